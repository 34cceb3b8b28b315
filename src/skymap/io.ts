/**
 * Reading and writing sky-map FITS files: multi-order (ORDERING = NUNIQ, columns UNIQ,
 * PROBDENSITY[, DISTMU, DISTSIGMA, DISTNORM]) and flat (ORDERING = NESTED or RING, columns
 * PROB[, DISTMU, DISTSIGMA, DISTNORM]), plain or gzipped (science-spec §1.7, §3).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  type BinTable,
  type Column,
  FitsError,
  type FitsHdu,
  FitsHeader,
  isTableStructureKey,
  readBinTable,
  readFits,
  writeFits,
} from '../formats/fits/index.js';
import { type FlatSkyMap, unflatten } from './flat.js';
import { npixToNside } from './healpix/index.js';
import { metadataCards, metadataFromHeader } from './metadata.js';
import { type MultiOrderSkyMap, maxOrder, SkyMapError, validateSkyMap } from './multiorder.js';

export interface SkyMapReadOptions {
  /** Name for error messages: the file path, or e.g. "S230518h bayestar.multiorder.fits". */
  source?: string;
}

export interface SkyMapWriteOptions {
  gzip?: boolean;
  /** Clock for the DATE card when the metadata has no creationDate (tests pin it). */
  now?: () => Date;
}

/** What a sky-map file holds before any conversion. */
export type SkyMapFile =
  | { kind: 'multiorder'; map: MultiOrderSkyMap }
  | { kind: 'flat'; map: FlatSkyMap };

function findColumn(table: BinTable, ...names: string[]): Column | undefined {
  for (const name of names) {
    const c = table.columns.find((col) => col.name.toUpperCase() === name);
    if (c) return c;
  }
  return undefined;
}

function toFloat64(c: Column, source: string): Float64Array {
  const d = c.data;
  if (d instanceof Float64Array) return d;
  if (
    d instanceof Float32Array ||
    d instanceof Int32Array ||
    d instanceof Int16Array ||
    d instanceof Uint8Array
  ) {
    return Float64Array.from(d);
  }
  throw new SkyMapError(source, `column ${c.name} (TFORM ${c.format}) is not numeric`);
}

function toUniq(c: Column, source: string): BigInt64Array {
  const d = c.data;
  if (d instanceof BigInt64Array) return d;
  if (d instanceof BigUint64Array) {
    const out = new BigInt64Array(d.length);
    for (let i = 0; i < d.length; i++) {
      if (d[i] >= 2n ** 63n)
        throw new SkyMapError(source, `UNIQ at row ${i} is not a valid NUNIQ value`);
      out[i] = d[i];
    }
    return out;
  }
  if (d instanceof Int32Array || d instanceof Uint32Array || d instanceof Int16Array) {
    return BigInt64Array.from(d, (v) => BigInt(v));
  }
  if (d instanceof Float64Array) {
    return BigInt64Array.from(d, (v, i) => {
      if (!Number.isSafeInteger(v))
        throw new SkyMapError(source, `UNIQ at row ${i} is not an integer: ${v}`);
      return BigInt(v);
    });
  }
  throw new SkyMapError(source, `UNIQ column has TFORM ${c.format}, not an integer type`);
}

function firstTable(hdus: FitsHdu[], source: string): FitsHdu {
  const hdu = hdus.find((h) => h.kind === 'bintable');
  if (!hdu) throw new SkyMapError(source, 'no BINTABLE extension: not a HEALPix sky map');
  return hdu;
}

/** Reads a sky-map file as it is stored (multi-order or flat). */
export function readSkyMapFile(bytes: Uint8Array, options: SkyMapReadOptions = {}): SkyMapFile {
  const source = options.source ?? 'sky map';
  const hdu = firstTable(readFits(bytes, { source }), source);
  const header = hdu.header;
  const table = readBinTable(hdu, source);
  const fail = (msg: string): never => {
    throw new SkyMapError(source, msg);
  };
  const pixtype = header.get('PIXTYPE');
  if (pixtype !== undefined && pixtype !== 'HEALPIX')
    fail(`PIXTYPE is ${JSON.stringify(pixtype)}, not 'HEALPIX'`);
  const coordsys = header.get('COORDSYS');
  if (coordsys !== undefined && coordsys !== 'C' && coordsys !== 'CELESTIAL') {
    fail(
      `COORDSYS is ${JSON.stringify(coordsys)}: only celestial (equatorial, 'C') maps are supported`,
    );
  }
  const columnNames = table.columns.map((c) => c.name).join(', ');
  const uniqColumn = findColumn(table, 'UNIQ');
  let ordering = header.get('ORDERING');
  if (ordering === undefined) ordering = uniqColumn ? 'NUNIQ' : undefined;
  if (typeof ordering === 'string') ordering = ordering.toUpperCase();
  const meta = metadataFromHeader(header, isTableStructureKey);
  const distance = () => {
    const cols = ['DISTMU', 'DISTSIGMA', 'DISTNORM'].map((n) => findColumn(table, n));
    const present = cols.filter((c) => c !== undefined);
    if (present.length === 0) return {};
    if (present.length !== 3)
      fail(`has only some of DISTMU, DISTSIGMA, DISTNORM (columns: ${columnNames})`);
    const [distmu, distsigma, distnorm] = cols.map((c) => toFloat64(c!, source));
    return { distmu, distsigma, distnorm };
  };

  if (ordering === 'NUNIQ') {
    if (!uniqColumn)
      return fail(`ORDERING is NUNIQ but there is no UNIQ column (columns: ${columnNames})`);
    const density = findColumn(table, 'PROBDENSITY');
    if (!density)
      return fail(`multi-order map has no PROBDENSITY column (columns: ${columnNames})`);
    const map: MultiOrderSkyMap = {
      uniq: toUniq(uniqColumn, source),
      probdensity: toFloat64(density, source),
      ...distance(),
      meta,
    };
    validateSkyMap(map, source);
    return { kind: 'multiorder', map };
  }
  if (ordering === 'NESTED' || ordering === 'RING') {
    if (header.get('INDXSCHM') === 'EXPLICIT')
      fail('flat maps with explicit pixel indices (INDXSCHM = EXPLICIT) are not supported');
    const probColumn = findColumn(table, 'PROB', 'PROBABILITY');
    if (!probColumn)
      return fail(`flat map has no PROB or PROBABILITY column (columns: ${columnNames})`);
    const prob = toFloat64(probColumn, source);
    let nside: number;
    try {
      nside = npixToNside(prob.length);
    } catch {
      return fail(`${prob.length} pixels is not a full-sky HEALPix map (12·nside²)`);
    }
    const declared = header.get('NSIDE');
    if (declared !== undefined && declared !== nside)
      fail(`NSIDE is ${declared} but the table holds ${prob.length} pixels (nside ${nside})`);
    const flat: FlatSkyMap = { nside, nest: ordering === 'NESTED', prob, ...distance(), meta };
    for (let i = 0; i < prob.length; i++) {
      if (!Number.isFinite(prob[i])) fail(`PROB at pixel ${i} is ${prob[i]}`);
    }
    return { kind: 'flat', map: flat };
  }
  return fail(
    ordering === undefined
      ? `no ORDERING keyword and no UNIQ column (columns: ${columnNames})`
      : `ORDERING is ${JSON.stringify(ordering)}; expected NUNIQ, NESTED or RING`,
  );
}

/**
 * Reads any sky-map file as a multi-order map. Flat maps are converted without loss, except
 * that negative probabilities (Fermi GBM maps hold small ones) become 0: a density cannot be
 * negative.
 */
export function readSkyMap(bytes: Uint8Array, options: SkyMapReadOptions = {}): MultiOrderSkyMap {
  const file = readSkyMapFile(bytes, options);
  if (file.kind === 'multiorder') return file.map;
  const flat = file.map;
  const prob = flat.prob.map((p) => Math.max(0, p));
  return unflatten({ ...flat, prob });
}

export function readSkyMapPath(path: string): MultiOrderSkyMap {
  return readSkyMap(readPath(path), { source: path });
}

export function readSkyMapFilePath(path: string): SkyMapFile {
  return readSkyMapFile(readPath(path), { source: path });
}

function readPath(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new FitsError(path, `cannot read: ${(err as Error).message}`);
  }
}

function distanceColumns(map: {
  distmu?: Float64Array;
  distsigma?: Float64Array;
  distnorm?: Float64Array;
}): Column[] {
  if (!map.distmu || !map.distsigma || !map.distnorm) return [];
  return [
    { name: 'DISTMU', format: 'D', unit: 'Mpc', data: map.distmu },
    { name: 'DISTSIGMA', format: 'D', unit: 'Mpc', data: map.distsigma },
    { name: 'DISTNORM', format: 'D', unit: 'Mpc-2', data: map.distnorm },
  ];
}

/** Encodes a multi-order sky map as FITS (the layout BAYESTAR writes). */
export function writeSkyMap(map: MultiOrderSkyMap, options: SkyMapWriteOptions = {}): Uint8Array {
  validateSkyMap(map, 'sky map to write');
  const header = new FitsHeader()
    .set('MOC', true)
    .set('PIXTYPE', 'HEALPIX', { comment: 'HEALPIX pixelisation' })
    .set('ORDERING', 'NUNIQ', { comment: 'Pixel ordering scheme: RING, NESTED, or NUNIQ' })
    .set('COORDSYS', 'C', { comment: 'Ecliptic, Galactic or Celestial (equatorial)' })
    .set('MOCORDER', maxOrder(map), { comment: 'MOC resolution (best order)' })
    .set('INDXSCHM', 'EXPLICIT', { comment: 'Indexing: IMPLICIT or EXPLICIT' });
  header.cards.push(...metadataCards(map.meta, options.now).cards);
  const table: BinTable = {
    rows: map.uniq.length,
    columns: [
      { name: 'UNIQ', format: 'K', data: map.uniq },
      { name: 'PROBDENSITY', format: 'D', unit: 'sr-1', data: map.probdensity },
      ...distanceColumns(map),
    ],
  };
  return writeFits([{ table, header }], { gzip: options.gzip, source: 'sky map to write' });
}

/** Encodes a flat sky map as FITS (NESTED or RING as the map is ordered). */
export function writeFlatSkyMap(map: FlatSkyMap, options: SkyMapWriteOptions = {}): Uint8Array {
  const npix = 12 * map.nside * map.nside;
  for (const [name, d] of [
    ['PROB', map.prob],
    ['DISTMU', map.distmu],
    ['DISTSIGMA', map.distsigma],
    ['DISTNORM', map.distnorm],
  ] as const) {
    if (d && d.length !== npix)
      throw new SkyMapError(
        'flat sky map to write',
        `${name} has ${d.length} pixels, nside ${map.nside} needs ${npix}`,
      );
  }
  const header = new FitsHeader()
    .set('PIXTYPE', 'HEALPIX', { comment: 'HEALPIX pixelisation' })
    .set('ORDERING', map.nest ? 'NESTED' : 'RING', {
      comment: 'Pixel ordering scheme: RING, NESTED, or NUNIQ',
    })
    .set('COORDSYS', 'C', { comment: 'Ecliptic, Galactic or Celestial (equatorial)' })
    .set('NSIDE', map.nside, { comment: 'Resolution parameter of HEALPIX' })
    .set('INDXSCHM', 'IMPLICIT', { comment: 'Indexing: IMPLICIT or EXPLICIT' });
  header.cards.push(...metadataCards(map.meta, options.now).cards);
  const table: BinTable = {
    rows: npix,
    columns: [
      { name: 'PROB', format: 'D', unit: 'pix-1', data: map.prob },
      ...distanceColumns(map),
    ],
  };
  return writeFits([{ table, header }], { gzip: options.gzip, source: 'flat sky map to write' });
}

/**
 * Writes bytes to a path through a temporary file in the same folder and a rename, so that a
 * reader never sees half a file and a failure leaves nothing behind.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
