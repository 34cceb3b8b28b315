/**
 * Sky-map metadata and the FITS header cards that carry it (science-spec §1.7), with the
 * comments that ligo.skymap writes, so that our files read like the reference's.
 */
import { type Card, type CardValue, FitsHeader } from '../formats/fits/index.js';
import { gpsToIsoUtc, gpsToMjd, isoUtcToUnix, unixToGps, unixToIsoUtc } from './time.js';

export interface SkyMapMetadata {
  /** OBJECT: the GraceDB id (or trigger id) of the event. */
  objectId?: string;
  /** REFERENC: URL of the event. */
  url?: string;
  /** INSTRUME: detectors or instruments, written comma-separated. */
  instruments?: string[];
  /** Time of the event (GPS s); DATE-OBS and MJD-OBS are derived from it unless given. */
  gpsTime?: number;
  dateObs?: string;
  mjdObs?: number;
  /** DATE: creation time, ISO UTC. Defaults to the time of writing. */
  creationDate?: string;
  creator?: string;
  origin?: string;
  /** RUNTIME in seconds. */
  runtime?: number;
  /** DISTMEAN and DISTSTD (Mpc): posterior mean and standard deviation of distance. */
  distMean?: number;
  distStd?: number;
  logBci?: number;
  logBsn?: number;
  vcsVersion?: string;
  vcsRevision?: string;
  buildDate?: string;
  /** HISTORY lines, one per card. */
  history?: string[];
  /** Other header cards, kept in order when read and written back (e.g. MSGTYPE of GCN maps). */
  extraCards?: Card[];
}

interface Field {
  key: string;
  comment: string;
  kind: 'string' | 'real';
}

/** Order and comments of the metadata cards, as in a BAYESTAR file. */
const FIELDS: [keyof SkyMapMetadata, Field][] = [
  ['objectId', { key: 'OBJECT', comment: 'Unique identifier for this event', kind: 'string' }],
  ['url', { key: 'REFERENC', comment: 'URL of this event', kind: 'string' }],
  [
    'instruments',
    { key: 'INSTRUME', comment: 'Instruments that triggered this event', kind: 'string' },
  ],
  ['dateObs', { key: 'DATE-OBS', comment: 'UTC date of the observation', kind: 'string' }],
  ['mjdObs', { key: 'MJD-OBS', comment: 'modified Julian date of the observation', kind: 'real' }],
  ['creationDate', { key: 'DATE', comment: 'UTC date of file creation', kind: 'string' }],
  ['creator', { key: 'CREATOR', comment: 'Program that created this file', kind: 'string' }],
  [
    'origin',
    { key: 'ORIGIN', comment: 'Organization responsible for this FITS file', kind: 'string' },
  ],
  [
    'runtime',
    { key: 'RUNTIME', comment: 'Runtime in seconds of the CREATOR program', kind: 'real' },
  ],
  ['distMean', { key: 'DISTMEAN', comment: 'Posterior mean distance (Mpc)', kind: 'real' }],
  [
    'distStd',
    { key: 'DISTSTD', comment: 'Posterior standard deviation of distance (Mpc)', kind: 'real' },
  ],
  ['logBci', { key: 'LOGBCI', comment: 'Log Bayes factor: coherent vs. incoherent', kind: 'real' }],
  ['logBsn', { key: 'LOGBSN', comment: 'Log Bayes factor: signal vs. noise', kind: 'real' }],
  ['vcsVersion', { key: 'VCSVERS', comment: 'Software version', kind: 'string' }],
  ['vcsRevision', { key: 'VCSREV', comment: 'Software revision (Git)', kind: 'string' }],
  ['buildDate', { key: 'DATE-BLD', comment: 'Software build date', kind: 'string' }],
];

/** Keywords that describe the HEALPix layout; written by the sky-map writer, not kept as extras. */
export const LAYOUT_KEYS = new Set([
  'MOC',
  'PIXTYPE',
  'ORDERING',
  'COORDSYS',
  'MOCORDER',
  'INDXSCHM',
  'NSIDE',
  'FIRSTPIX',
  'LASTPIX',
  'OBS_NPIX',
]);

const KNOWN_KEYS = new Set(FIELDS.map(([, f]) => f.key));

function asNumber(v: CardValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** Metadata from a sky map's table header; unknown cards are kept in extraCards. */
export function metadataFromHeader(
  header: FitsHeader,
  isStructural: (key: string) => boolean,
): SkyMapMetadata {
  const meta: SkyMapMetadata = {};
  const text = (key: string) => {
    const v = header.get(key);
    return v === undefined || v === null ? undefined : String(v);
  };
  const set = <K extends keyof SkyMapMetadata>(k: K, v: SkyMapMetadata[K] | undefined) => {
    if (v !== undefined) meta[k] = v;
  };
  set('objectId', text('OBJECT'));
  set('url', text('REFERENC'));
  const instruments = text('INSTRUME');
  if (instruments !== undefined)
    meta.instruments = instruments
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  set('dateObs', text('DATE-OBS'));
  set('mjdObs', asNumber(header.get('MJD-OBS')));
  if (meta.dateObs !== undefined) {
    try {
      meta.gpsTime = unixToGps(isoUtcToUnix(meta.dateObs));
    } catch {
      // A DATE-OBS we cannot parse stays as text; there is then no GPS time.
    }
  }
  set('creationDate', text('DATE'));
  set('creator', text('CREATOR'));
  set('origin', text('ORIGIN'));
  set('runtime', asNumber(header.get('RUNTIME')));
  set('distMean', asNumber(header.get('DISTMEAN')));
  set('distStd', asNumber(header.get('DISTSTD')));
  set('logBci', asNumber(header.get('LOGBCI')));
  set('logBsn', asNumber(header.get('LOGBSN')));
  set('vcsVersion', text('VCSVERS'));
  set('vcsRevision', text('VCSREV'));
  set('buildDate', text('DATE-BLD'));
  const history = header.commentary('HISTORY');
  if (history.length > 0) meta.history = history;
  const extra = header.cards.filter(
    (c) =>
      !(c.kind === 'commentary' && c.key === 'HISTORY') &&
      !(
        c.kind === 'value' &&
        (KNOWN_KEYS.has(c.key) || LAYOUT_KEYS.has(c.key) || isStructural(c.key))
      ),
  );
  if (extra.length > 0) meta.extraCards = extra;
  return meta;
}

/** Header cards for the metadata, in the reference's order, after the layout cards. */
export function metadataCards(
  meta: SkyMapMetadata,
  now: () => Date = () => new Date(),
): FitsHeader {
  const values: Partial<Record<keyof SkyMapMetadata, CardValue>> = {
    objectId: meta.objectId,
    url: meta.url,
    instruments: meta.instruments?.join(','),
    dateObs: meta.dateObs ?? (meta.gpsTime !== undefined ? gpsToIsoUtc(meta.gpsTime) : undefined),
    mjdObs: meta.mjdObs ?? (meta.gpsTime !== undefined ? gpsToMjd(meta.gpsTime) : undefined),
    creationDate: meta.creationDate ?? unixToIsoUtc(Math.floor(now().getTime() / 1000)),
    creator: meta.creator,
    origin: meta.origin,
    runtime: meta.runtime,
    distMean: meta.distMean,
    distStd: meta.distStd,
    logBci: meta.logBci,
    logBsn: meta.logBsn,
    vcsVersion: meta.vcsVersion,
    vcsRevision: meta.vcsRevision,
    buildDate: meta.buildDate,
  };
  const header = new FitsHeader();
  for (const [name, field] of FIELDS) {
    const v = values[name];
    if (v === undefined || v === null) continue;
    if (field.kind === 'real' && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new TypeError(
        `sky map metadata ${name} (${field.key}) must be a finite number, got ${String(v)}`,
      );
    }
    header.set(field.key, v, { comment: field.comment, real: field.kind === 'real' });
  }
  for (const line of meta.history ?? []) header.addHistory(line);
  for (const card of meta.extraCards ?? []) header.cards.push(card);
  return header;
}
