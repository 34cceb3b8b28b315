/**
 * Writing FITS files made of an empty primary HDU and BINTABLE extensions. Structural keywords
 * are generated from the table (with the comments astropy writes, so that headers read the same
 * in both); the caller's cards follow them. Output can be gzipped (RFC 1952).
 */
import { gzipSync } from 'node:zlib';
import { type BinTable, columnCards, encodeBinTable, isTableStructureKey } from './bintable.js';
import type { Card } from './card.js';
import { FitsError } from './errors.js';
import { BLOCK_SIZE, FitsHeader } from './header.js';

export interface TableHdu {
  table: BinTable;
  /** Cards after the table's structural keywords (any structural keyword here is ignored). */
  header?: FitsHeader;
}

export interface WriteOptions {
  /** Cards added to the (otherwise empty) primary header. */
  primary?: FitsHeader;
  gzip?: boolean;
  /** Name used in error messages. */
  source?: string;
}

const PRIMARY_KEYS = new Set(['SIMPLE', 'BITPIX', 'NAXIS', 'EXTEND']);

function card(key: string, value: string | number | boolean, comment = ''): Card {
  return { kind: 'value', key, value, comment };
}

export function primaryHeader(extra?: FitsHeader): FitsHeader {
  const cards: Card[] = [
    card('SIMPLE', true, 'conforms to FITS standard'),
    card('BITPIX', 8, 'array data type'),
    card('NAXIS', 0, 'number of array dimensions'),
    card('EXTEND', true),
  ];
  for (const c of extra?.cards ?? []) {
    if (c.kind === 'value' && (PRIMARY_KEYS.has(c.key) || /^NAXIS\d+$/.test(c.key))) continue;
    cards.push(c);
  }
  return new FitsHeader(cards);
}

export function tableHeader(table: BinTable, rowBytes: number, extra?: FitsHeader): FitsHeader {
  const cards: Card[] = [
    card('XTENSION', 'BINTABLE', 'binary table extension'),
    card('BITPIX', 8, 'array data type'),
    card('NAXIS', 2, 'number of array dimensions'),
    card('NAXIS1', rowBytes, 'length of dimension 1'),
    card('NAXIS2', table.rows, 'length of dimension 2'),
    card('PCOUNT', 0, 'number of group parameters'),
    card('GCOUNT', 1, 'number of groups'),
    card('TFIELDS', table.columns.length, 'number of table fields'),
  ];
  table.columns.forEach((c, i) => {
    cards.push(...columnCards(i + 1, c));
  });
  for (const c of extra?.cards ?? []) {
    if (c.kind === 'value' && isTableStructureKey(c.key)) continue;
    cards.push(c);
  }
  return new FitsHeader(cards);
}

function padded(data: Uint8Array): Uint8Array {
  const size = Math.ceil(data.length / BLOCK_SIZE) * BLOCK_SIZE;
  if (size === data.length) return data;
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}

/** Encodes a FITS file: empty primary HDU, then one BINTABLE per entry of `tables`. */
export function writeFits(tables: TableHdu[], options: WriteOptions = {}): Uint8Array {
  const source = options.source ?? 'FITS output';
  const parts: Uint8Array[] = [];
  try {
    parts.push(primaryHeader(options.primary).encode());
    for (const t of tables) {
      if (!Number.isSafeInteger(t.table.rows) || t.table.rows < 0) {
        throw new FitsError(source, `invalid row count ${t.table.rows}`);
      }
      const { rowBytes, data } = encodeBinTable(t.table, source);
      parts.push(tableHeader(t.table, rowBytes, t.header).encode(), padded(data));
    }
  } catch (err) {
    if (err instanceof FitsError) throw err;
    throw new FitsError(source, (err as Error).message);
  }
  const file = Buffer.concat(parts);
  return options.gzip ? gzipSync(file) : file;
}
