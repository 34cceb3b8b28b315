import { ApiError, invalid } from './api-error.js';
import type { Parent } from './model.js';
import { parentUrl, type Viewer } from './serialize.js';
import type { GraceDbStore } from './store.js';

/** Versioned files of events and superevents (§2.6). */

interface FileRow {
  name: string;
  version: number;
  blob: string;
  size: number;
}

/** Files the viewer may see: all for internal users, those of public log entries otherwise. */
function visibleFiles(store: GraceDbStore, parent: Parent, viewer: Viewer): FileRow[] {
  const rows = store.db
    .prepare(
      'SELECT name, version, blob, size FROM files WHERE parent_kind = ? AND parent_id = ? ORDER BY name, version',
    )
    .all(parent.kind, parent.id) as FileRow[];
  if (viewer.internal) return rows;
  const publicFiles = new Set(
    (
      store.db
        .prepare(
          `SELECT l.filename, l.file_version FROM logs l JOIN log_tags t
             ON t.parent_kind = l.parent_kind AND t.parent_id = l.parent_id AND t.n = l.n
           WHERE l.parent_kind = ? AND l.parent_id = ? AND t.tag = 'public' AND l.filename != ''`,
        )
        .all(parent.kind, parent.id) as { filename: string; file_version: number }[]
    ).map((r) => `${r.filename},${r.file_version}`),
  );
  return rows.filter((row) => publicFiles.has(`${row.name},${row.version}`));
}

/** `GET …/files/`: `name,N` for every version plus the bare name for the newest. */
export function listFiles(
  store: GraceDbStore,
  parent: Parent,
  viewer: Viewer,
): Record<string, string> {
  const base = parentUrl(store.links, parent);
  const out: Record<string, string> = {};
  const newest = new Map<string, number>();
  for (const row of visibleFiles(store, parent, viewer)) {
    out[`${row.name},${row.version}`] = store.links.file(base, row.name, row.version);
    newest.set(row.name, Math.max(row.version, newest.get(row.name) ?? -1));
  }
  for (const name of newest.keys()) out[name] = store.links.file(base, name);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.xml$/i, 'application/xml'],
  [/\.json$/i, 'application/json'],
  [/\.png$/i, 'image/png'],
  [/\.jpe?g$/i, 'image/jpeg'],
  [/\.gif$/i, 'image/gif'],
  [/\.svg$/i, 'image/svg+xml'],
  [/\.html?$/i, 'text/html; charset=utf-8'],
  [/\.(txt|log|data)$/i, 'text/plain; charset=utf-8'],
];

export interface Download {
  data: Buffer;
  contentType: string;
  disposition?: string;
}

/** `GET …/files/{name}` or `…/files/{name,N}`. */
export async function downloadFile(
  store: GraceDbStore,
  parent: Parent,
  filename: string,
  viewer: Viewer,
): Promise<Download> {
  const commas = filename.split(',').length - 1;
  if (commas > 1) throw invalid('Invalid filename: filename should not contain commas');
  let name = filename;
  let version: number | undefined;
  if (commas === 1) {
    const [base, v] = filename.split(',') as [string, string];
    if (!/^\d+$/.test(v)) {
      throw new ApiError(
        404,
        parent.kind === 'superevent'
          ? 'File not found, version string should be an int'
          : `File ${filename} not found`,
      );
    }
    name = base;
    version = Number(v);
  }
  const candidates = visibleFiles(store, parent, viewer).filter((f) => f.name === name);
  const file =
    version === undefined ? candidates.at(-1) : candidates.find((f) => f.version === version);
  if (!file) throw new ApiError(404, `File ${filename} not found`);
  const data = await store.files.read(file.blob);
  const type = CONTENT_TYPES.find(([re]) => re.test(name))?.[1];
  return type
    ? { data, contentType: type }
    : {
        data,
        contentType: 'application/octet-stream',
        disposition: contentDisposition(name),
      };
}

/** A header must be ASCII: a plain fallback name plus the exact UTF-8 name (RFC 6266). */
function contentDisposition(name: string): string {
  const ascii = name
    .replace(/[^\x20-\x7e]/g, '_')
    .replaceAll('"', '_')
    .replaceAll('\\', '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return ascii === name
    ? `attachment; filename="${name}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
