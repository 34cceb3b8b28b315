/**
 * The parts of a GraceDB event JSON (gracedb-api.md §3.1; the `object` of an IGWN alert) that
 * em_bright and p_astro read, with errors that name the event and the exact field path.
 */

import { requireFinite, requireNonNegative, requirePositive, ScienceInputError } from './errors.js';

/** A GraceDB event as returned by `GET /api/events/<id>` or carried by an IGWN alert. */
export interface GraceDbEventJson {
  graceid?: string;
  group?: string;
  pipeline?: string;
  search?: string;
  far?: number;
  instruments?: string;
  extra_attributes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The event's id for messages, or a placeholder when it has none. */
export function eventSource(event: GraceDbEventJson): string {
  return typeof event.graceid === 'string' && event.graceid ? event.graceid : 'event';
}

function requireString(event: GraceDbEventJson, field: 'group' | 'pipeline' | 'search'): string {
  const v = event[field];
  if (typeof v !== 'string' || v === '') {
    throw new ScienceInputError(
      field,
      `must be a non-empty string, got ${JSON.stringify(v)}`,
      eventSource(event),
    );
  }
  return v;
}

/** Lower-cased, as the reference compares them. */
export function eventPipeline(event: GraceDbEventJson): string {
  return requireString(event, 'pipeline').toLowerCase();
}

export function eventSearch(event: GraceDbEventJson): string {
  return requireString(event, 'search').toLowerCase();
}

export function eventGroup(event: GraceDbEventJson): string {
  return requireString(event, 'group').toLowerCase();
}

export function eventFar(event: GraceDbEventJson): number {
  return requireNonNegative(event.far, 'far', eventSource(event));
}

function attributes(event: GraceDbEventJson, key: string): Record<string, unknown> {
  const extra = event.extra_attributes;
  if (typeof extra !== 'object' || extra === null) {
    throw new ScienceInputError('extra_attributes', 'is missing', eventSource(event));
  }
  const value = (extra as Record<string, unknown>)[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScienceInputError(`extra_attributes.${key}`, 'is missing', eventSource(event));
  }
  return value as Record<string, unknown>;
}

function singleInspirals(event: GraceDbEventJson): Record<string, unknown>[] {
  const extra = event.extra_attributes;
  const rows =
    typeof extra === 'object' && extra !== null
      ? (extra as Record<string, unknown>).SingleInspiral
      : undefined;
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new ScienceInputError(
      'extra_attributes.SingleInspiral',
      'is missing or empty',
      eventSource(event),
    );
  }
  rows.forEach((row, i) => {
    if (typeof row !== 'object' || row === null) {
      throw new ScienceInputError(
        `extra_attributes.SingleInspiral[${i}]`,
        'must be an object',
        eventSource(event),
      );
    }
  });
  return rows as Record<string, unknown>[];
}

/**
 * The template of the first SingleInspiral row, which the reference uses for em_bright and
 * p_astro (every row carries the same template).
 */
export function cbcTemplate(event: GraceDbEventJson): {
  mass1: number;
  mass2: number;
  spin1z: number;
  spin2z: number;
} {
  const row = singleInspirals(event)[0]!;
  const source = eventSource(event);
  const path = 'extra_attributes.SingleInspiral[0]';
  return {
    mass1: requirePositive(row.mass1, `${path}.mass1`, source),
    mass2: requirePositive(row.mass2, `${path}.mass2`, source),
    spin1z: requireFinite(row.spin1z, `${path}.spin1z`, source),
    spin2z: requireFinite(row.spin2z, `${path}.spin2z`, source),
  };
}

/** Network SNR by pipeline (the reference's `get_snr`). */
export function networkSnr(event: GraceDbEventJson): number {
  const pipeline = eventPipeline(event);
  const source = eventSource(event);
  const group = typeof event.group === 'string' ? event.group.toLowerCase() : '';
  if (group === 'cbc' || ['gstlal', 'pycbc', 'spiir', 'mbta', 'mbtaonline'].includes(pipeline)) {
    return requirePositive(
      attributes(event, 'CoincInspiral').snr,
      'extra_attributes.CoincInspiral.snr',
      source,
    );
  }
  if (pipeline === 'cwb') {
    return requirePositive(
      attributes(event, 'MultiBurst').snr,
      'extra_attributes.MultiBurst.snr',
      source,
    );
  }
  if (pipeline === 'olib') {
    return requirePositive(
      attributes(event, 'LalInferenceBurst').omicron_snr_network,
      'extra_attributes.LalInferenceBurst.omicron_snr_network',
      source,
    );
  }
  if (pipeline === 'mly') {
    return requirePositive(
      attributes(event, 'MLyBurst').SNR,
      'extra_attributes.MLyBurst.SNR',
      source,
    );
  }
  throw new ScienceInputError(
    'pipeline',
    `no network SNR is defined for pipeline '${pipeline}'`,
    source,
  );
}

/**
 * Instruments that entered the ranking statistic: SingleInspiral rows with a chisq (gstlal lists
 * sub-threshold detectors without one), else the event's `instruments`.
 */
export function rankingInstruments(event: GraceDbEventJson): string[] {
  const rows = singleInspirals(event);
  const ranked = new Set<string>();
  for (const row of rows) {
    if (row.chisq !== null && row.chisq !== undefined && typeof row.ifo === 'string') {
      ranked.add(row.ifo);
    }
  }
  if (ranked.size > 0) return [...ranked].sort();
  if (typeof event.instruments !== 'string' || event.instruments === '') {
    throw new ScienceInputError(
      'instruments',
      'is missing and no SingleInspiral row has a chisq',
      eventSource(event),
    );
  }
  return event.instruments
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .sort();
}

/**
 * The chirp mass cWB reports for its BBH search, or undefined when absent, null or 0 (the
 * reference then falls back to 30 M☉ per component).
 */
export function cwbChirpMass(event: GraceDbEventJson): number | undefined {
  const mchirp = attributes(event, 'MultiBurst').mchirp;
  if (mchirp === undefined || mchirp === null || mchirp === 0) return undefined;
  return requirePositive(mchirp, 'extra_attributes.MultiBurst.mchirp', eventSource(event));
}

/** The cWB network SNR, or undefined when the MultiBurst row has none. */
export function cwbSnr(event: GraceDbEventJson): number | undefined {
  const snr = attributes(event, 'MultiBurst').snr;
  if (snr === undefined || snr === null) return undefined;
  return requirePositive(snr, 'extra_attributes.MultiBurst.snr', eventSource(event));
}
