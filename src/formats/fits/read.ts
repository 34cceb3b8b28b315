/**
 * Reading FITS files: a sequence of HDUs, each a header of 2880-byte blocks followed by a data
 * part padded to 2880 bytes. Gzip-compressed files (RFC 1952, magic 1f 8b) are inflated first.
 * Every HDU's data size follows from its header (FITS Standard 4.0 §4.4.1), so HDUs of kinds
 * this module does not decode (images, ASCII tables) are skipped correctly.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type BinTable, decodeBinTable } from './bintable.js';
import { CARD_LENGTH, type Card, CardError, parseCard } from './card.js';
import { FitsError } from './errors.js';
import { BLOCK_SIZE, FitsHeader } from './header.js';

export type HduKind = 'primary' | 'image' | 'bintable' | 'table' | 'other';

export interface FitsHdu {
  index: number;
  kind: HduKind;
  header: FitsHeader;
  /** The data part, without its padding. */
  data: Uint8Array;
}

export interface ReadOptions {
  /** Name used in error messages (the file name, or e.g. a GraceDB file id). */
  source?: string;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads every HDU of a FITS file given as bytes (plain or gzipped). */
export function readFits(bytes: Uint8Array, options: ReadOptions = {}): FitsHdu[] {
  const source = options.source ?? 'FITS data';
  let buf = bytes;
  if (isGzip(bytes)) {
    try {
      buf = gunzipSync(bytes);
    } catch (err) {
      throw new FitsError(source, `corrupt gzip stream: ${(err as Error).message}`);
    }
  }
  if (buf.length < BLOCK_SIZE || latin1(buf, 0, 9) !== 'SIMPLE  =') {
    throw new FitsError(
      source,
      'not a FITS file (it does not begin with a SIMPLE = T card in a 2880-byte block)',
    );
  }
  const hdus: FitsHdu[] = [];
  let offset = 0;
  while (offset < buf.length) {
    // Some writers pad the end of a file with zeros: nothing more to read.
    if (hdus.length > 0 && buf.subarray(offset, offset + BLOCK_SIZE).every((b) => b === 0)) break;
    const index = hdus.length;
    const { header, end } = readHeader(buf, offset, index, source);
    const kind = kindOf(header, index);
    const size = dataSize(header, index, source);
    const dataStart = end;
    if (dataStart + size > buf.length) {
      throw new FitsError(
        source,
        `truncated: HDU ${index} declares ${size} data bytes but only ${Math.max(0, buf.length - dataStart)} remain`,
      );
    }
    hdus.push({ index, kind, header, data: buf.subarray(dataStart, dataStart + size) });
    offset = dataStart + Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE;
  }
  return hdus;
}

export function readFitsFile(path: string): FitsHdu[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new FitsError(path, `cannot read: ${(err as Error).message}`);
  }
  return readFits(bytes, { source: path });
}

/** The decoded table of a BINTABLE HDU. */
export function readBinTable(hdu: FitsHdu, source = 'FITS data'): BinTable {
  if (hdu.kind !== 'bintable') throw new FitsError(source, `HDU ${hdu.index} is not a BINTABLE`);
  return decodeBinTable(hdu.header, hdu.data, `${source} (HDU ${hdu.index})`);
}

function latin1(buf: Uint8Array, start: number, length: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, length).toString('latin1');
}

function readHeader(
  buf: Uint8Array,
  start: number,
  index: number,
  source: string,
): { header: FitsHeader; end: number } {
  const cards: Card[] = [];
  let pending: string[] = [];
  let pendingNo = 0;
  let position = start;
  const flush = () => {
    if (pending.length === 0) return;
    try {
      cards.push(parseCard(pending));
    } catch (err) {
      if (!(err instanceof CardError)) throw err;
      throw new FitsError(
        source,
        `HDU ${index}, card ${pendingNo} (${pending[0].slice(0, 8).trim()}): ${err.message}`,
      );
    }
    pending = [];
  };
  let cardNo = 0;
  for (;;) {
    if (position + BLOCK_SIZE > buf.length) {
      throw new FitsError(source, `truncated: header of HDU ${index} has no END card`);
    }
    const block = latin1(buf, position, BLOCK_SIZE);
    position += BLOCK_SIZE;
    for (let i = 0; i < BLOCK_SIZE; i += CARD_LENGTH) {
      const image = block.slice(i, i + CARD_LENGTH);
      cardNo++;
      const key = image.slice(0, 8).trimEnd();
      if (key === 'END') {
        flush();
        return { header: new FitsHeader(cards), end: position };
      }
      const continues = key === 'CONTINUE' && pending.length > 0 && isOpenString(pending);
      if (continues) {
        pending.push(image);
        continue;
      }
      flush();
      pending = [image];
      pendingNo = cardNo;
    }
  }
}

/** Whether the last image of a string-valued card ends with the '&' continuation marker. */
function isOpenString(images: string[]): boolean {
  const last = images[images.length - 1];
  const m = /^\s*'((?:[^']|'')*)'/.exec(last.slice(10));
  return m?.[1].trimEnd().endsWith('&') ?? false;
}

function kindOf(header: FitsHeader, index: number): HduKind {
  if (index === 0) return 'primary';
  const x = header.get('XTENSION');
  if (x === 'BINTABLE') return 'bintable';
  if (x === 'IMAGE') return 'image';
  if (x === 'TABLE') return 'table';
  return 'other';
}

function integerCard(header: FitsHeader, key: string, index: number, source: string): number {
  const v = header.get(key);
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new FitsError(
      source,
      `HDU ${index}: required integer keyword ${key} is missing or invalid`,
    );
  }
  return v;
}

/** Bytes of the data part: |BITPIX|/8 · GCOUNT · (PCOUNT + NAXIS1 · … · NAXISn). */
function dataSize(header: FitsHeader, index: number, source: string): number {
  if (index === 0 && header.get('SIMPLE') !== true) {
    throw new FitsError(source, 'not a standard FITS file (SIMPLE is not T)');
  }
  if (index > 0 && typeof header.get('XTENSION') !== 'string') {
    throw new FitsError(source, `HDU ${index} has no XTENSION keyword`);
  }
  const bitpix = integerCard(header, 'BITPIX', index, source);
  if (![8, 16, 32, 64, -32, -64].includes(bitpix)) {
    throw new FitsError(source, `HDU ${index}: invalid BITPIX ${bitpix}`);
  }
  const naxis = integerCard(header, 'NAXIS', index, source);
  if (naxis < 0 || naxis > 999) throw new FitsError(source, `HDU ${index}: invalid NAXIS ${naxis}`);
  if (naxis === 0) return 0;
  let product = 1;
  for (let i = 1; i <= naxis; i++) {
    const n = integerCard(header, `NAXIS${i}`, index, source);
    if (n < 0) throw new FitsError(source, `HDU ${index}: negative NAXIS${i}`);
    // Random-groups primary arrays set NAXIS1 = 0 and do not count it.
    if (!(index === 0 && i === 1 && n === 0)) product *= n;
  }
  const pcount = header.has('PCOUNT') ? integerCard(header, 'PCOUNT', index, source) : 0;
  const gcount = header.has('GCOUNT') ? integerCard(header, 'GCOUNT', index, source) : 1;
  const size = (Math.abs(bitpix) / 8) * gcount * (pcount + product);
  if (!Number.isSafeInteger(size)) throw new FitsError(source, `HDU ${index}: data size overflows`);
  return size;
}
