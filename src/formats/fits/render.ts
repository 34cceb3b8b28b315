/**
 * FITS headers as text and HTML for people. The HTML is the page gwcelery uploads next to every
 * sky map (one table row per card, a separator row per HDU); values are shown as Python shows
 * them (True/False, repr of reals), as in the reference.
 */

import { pythonFloatRepr } from '../text/python-float.js';
import type { Card, CardValue } from './card.js';
import type { FitsHdu } from './read.js';

/** A value as Python's str() shows the astropy value: True, 3.5, 1e-05, T12345. */
export function displayValue(value: CardValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  return String(value);
}

function displayCardValue(card: Card): string {
  if (card.kind === 'commentary') return card.text;
  if (typeof card.value === 'number' && card.real) return pythonFloatRepr(card.value);
  return displayValue(card.value);
}

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;');
}

/** The headers of every HDU as an HTML page (gwcelery's sky-map annotation). */
export function headersToHtml(hdus: FitsHdu[], filename: string): string {
  const name = escapeHtml(filename);
  const out: string[] = [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">',
    '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.0.0/css/bootstrap.min.css" integrity="sha384-Gn5384xqQ1aoWXA+058RXPxPg6fy4IWvTNh0E263XmFcJlSAwiGgFAW/dAiS6JXm" crossorigin="anonymous">',
    `<title>FITS headers for ${name}</title>`,
    '<div class=container>',
    `<h1>FITS headers for ${name}</h1>`,
    '<table class="table table-condensed table-striped">',
    '<thead>',
    '<tr>',
    '<th>Keyword</th>',
    '<th>Value</th>',
    '<th>Comment</th>',
    '</tr>',
    '</thead>',
    '<tbody>',
  ];
  for (const hdu of hdus) {
    out.push(
      '<tr class="info"><td colspan=3>',
      `<strong>HDU #${hdu.index} in ${name}</strong>`,
      '</td></tr>',
    );
    for (const card of hdu.header.cards) {
      out.push('<tr>', `<td style="font-family: monospace">${escapeHtml(card.key)}</td>`);
      if (card.kind === 'commentary') {
        out.push(`<td colspan=2 style="font-family: monospace">${escapeHtml(card.text)}</td>`);
      } else {
        out.push(
          `<td style="font-family: monospace">${escapeHtml(displayCardValue(card))}</td>`,
          `<td>${escapeHtml(card.comment)}</td>`,
        );
      }
      out.push('</tr>');
    }
  }
  out.push('</tbody>', '</table>', '</div>');
  return out.join('\n');
}

/** The headers as plain text: one line per card, like `fitsheader`. */
export function headersToText(hdus: FitsHdu[], filename: string): string {
  const lines: string[] = [];
  for (const hdu of hdus) {
    lines.push(`# HDU ${hdu.index} in ${filename}:`);
    for (const card of hdu.header.cards) {
      if (card.kind === 'commentary') lines.push(`${card.key.padEnd(8)} ${card.text}`.trimEnd());
      else {
        const value = displayCardValue(card);
        lines.push(`${card.key.padEnd(8)} = ${value}${card.comment ? ` / ${card.comment}` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
