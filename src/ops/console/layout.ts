import type { FlashMessage } from './flash.js';
import { html, type SafeHtml } from './html.js';
import { canSubmit, type Viewer } from './viewer.js';

/** What every page shows in its header (the reference's index showed the same). */
export interface ConsoleIdentity {
  gracedbUrl: string;
  igwnAlertServer: string;
  igwnAlertGroup: string;
  hostname: string;
  version: string;
  preset: string;
}

export interface PageContext {
  /** URL prefix of the console ('' or '/gwcelery'). */
  base: string;
  viewer: Viewer;
  csrf: string;
  flashes: FlashMessage[];
  identity: ConsoleIdentity;
}

const NAV: [string, string][] = [
  ['overview', '/'],
  ['tasks', '/tasks'],
  ['workers', '/workers'],
  ['superevents', '/superevents'],
  ['health', '/health'],
  ['operations', '/operations'],
];

export function layout(
  ctx: PageContext,
  options: { title: string; active: string },
  body: SafeHtml,
): string {
  const { base, viewer, identity } = ctx;
  const who = viewer.user
    ? html`<span class="who">Welcome, <strong>${viewer.user}</strong>${
        canSubmit(viewer) ? '' : html` <span class="badge">read-only</span>`
      }</span>${
        viewer.via === 'session'
          ? html`<form method="post" action="${base}/logout" class="inline">
              <input type="hidden" name="_csrf" value="${ctx.csrf}">
              <button type="submit" class="link">Log out</button></form>`
          : ''
      }`
    : html`<a href="${base}/login">Log in</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${ctx.csrf}">
<title>${options.title} · gwcelery</title>
<link rel="stylesheet" href="${base}/static/console.css">
<script src="${base}/static/htmx.min.js" defer></script>
<script src="${base}/static/console.js" defer></script>
</head>
<body data-base="${base}">
<header class="top">
  <a class="brand" href="${base}/">gwcelery</a>
  <nav>${NAV.map(
    ([name, href]) =>
      html`<a href="${base}${href}" class="${name === options.active ? 'active' : ''}">${name}</a>`,
  )}</nav>
  <div class="right">${who}</div>
</header>
<div class="identity">
  <span>GraceDB <code>${identity.gracedbUrl}</code></span>
  <span>IGWN Alert <code>${identity.igwnAlertServer || '(pipeline bus)'}</code> group <code>${identity.igwnAlertGroup}</code></span>
  <span>host <code>${identity.hostname}</code></span>
  <span>preset <code>${identity.preset}</code></span>
  <span>version <code>${identity.version}</code></span>
</div>
<main>
${ctx.flashes.map(
  (f) =>
    html`<div class="flash ${f.category}" role="alert">${f.message}${
      f.href ? html` <a href="${f.href}">view</a>` : ''
    }</div>`,
)}
${body}
</main>
</body>
</html>`.value;
}
