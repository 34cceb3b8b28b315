/**
 * The fields of a GraceDB event (gracedb-api.md §3.1) that the superevent rules read, with
 * errors that name the event and the field. The rules accept the event JSON of the client
 * (`EventJson`), the `object` of an IGWN alert and a superevent's `preferred_event_data` alike.
 */

/** A G-event as the rules see it: only the fields they read are typed. */
export interface CandidateEvent {
  graceid?: string;
  group?: string | null;
  pipeline?: string | null;
  search?: string | null;
  gpstime?: number | null;
  far?: number | null;
  offline?: boolean | null;
  /** A list of label names; old payloads (and some fixtures) carry an object keyed by name. */
  labels?: readonly string[] | Record<string, unknown> | null;
  instruments?: string | readonly string[] | null;
  extra_attributes?: Record<string, unknown> | null;
  superevent?: string | null;
  [key: string]: unknown;
}

/** A candidate the rules cannot judge: names the event and what is wrong with which field. */
export class CandidateEventError extends Error {
  override name = 'CandidateEventError';

  constructor(
    readonly graceid: string,
    readonly field: string,
    detail: string,
  ) {
    super(`event ${graceid}: ${field} ${detail}`);
  }
}

export function graceidOf(event: CandidateEvent): string {
  return typeof event.graceid === 'string' && event.graceid !== '' ? event.graceid : '(no graceid)';
}

function requiredName(event: CandidateEvent, field: 'group' | 'pipeline'): string {
  const value = event[field];
  if (typeof value !== 'string' || value === '') {
    throw new CandidateEventError(
      graceidOf(event),
      field,
      `must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value.toLowerCase();
}

/** Lower-cased group (`cbc`, `burst`, `test`, `external`). */
export function groupOf(event: CandidateEvent): string {
  return requiredName(event, 'group');
}

/** Lower-cased pipeline (`gstlal`, `cwb`, `olib`, `mly`, ...). */
export function pipelineOf(event: CandidateEvent): string {
  return requiredName(event, 'pipeline');
}

/** Lower-cased search; '' when the event has none (the reference's `event.get('search', '')`). */
export function searchOf(event: CandidateEvent): string {
  const value = event.search;
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw new CandidateEventError(
      graceidOf(event),
      'search',
      `must be a string, got ${JSON.stringify(value)}`,
    );
  }
  return value.toLowerCase();
}

export function labelsOf(event: CandidateEvent): Set<string> {
  const labels = event.labels;
  if (labels === undefined || labels === null) return new Set();
  if (Array.isArray(labels)) {
    for (const label of labels) {
      if (typeof label !== 'string') {
        throw new CandidateEventError(
          graceidOf(event),
          'labels',
          `must list label names, got ${JSON.stringify(label)}`,
        );
      }
    }
    return new Set(labels as string[]);
  }
  if (typeof labels === 'object') return new Set(Object.keys(labels));
  throw new CandidateEventError(
    graceidOf(event),
    'labels',
    `must be a list of label names, got ${JSON.stringify(labels)}`,
  );
}

/** FAR in Hz, or undefined when the event has none (null or absent). */
export function farOf(event: CandidateEvent): number | undefined {
  const far = event.far;
  if (far === undefined || far === null) return undefined;
  if (typeof far !== 'number' || !Number.isFinite(far) || far < 0) {
    throw new CandidateEventError(
      graceidOf(event),
      'far',
      `must be a finite non-negative number (Hz), got ${JSON.stringify(far)}`,
    );
  }
  return far;
}

/** Offline analyses are never published; an event that does not say is online. */
export function isOffline(event: CandidateEvent): boolean {
  return event.offline === true;
}

export function gpstimeOf(event: CandidateEvent): number {
  const t = event.gpstime;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new CandidateEventError(
      graceidOf(event),
      'gpstime',
      `must be a finite number (GPS s), got ${JSON.stringify(t)}`,
    );
  }
  return t;
}

/** An `extra_attributes` sub-object (CoincInspiral, MultiBurst, ...); errors when missing. */
export function attributesOf(event: CandidateEvent, table: string): Record<string, unknown> {
  const value = event.extra_attributes?.[table];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CandidateEventError(graceidOf(event), `extra_attributes.${table}`, 'is missing');
  }
  return value as Record<string, unknown>;
}

/** A finite number at `extra_attributes.<table>.<field>`, at least `min`. */
export function attributeNumber(
  event: CandidateEvent,
  table: string,
  field: string,
  min = Number.NEGATIVE_INFINITY,
): number {
  const value = attributesOf(event, table)[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new CandidateEventError(
      graceidOf(event),
      `extra_attributes.${table}.${field}`,
      `must be a finite number${min > Number.NEGATIVE_INFINITY ? ` ≥ ${min}` : ''}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Detectors that contributed data: the `ifo` of every SingleInspiral row when the event has
 * such rows, else the comma list in `instruments` (the reference's `get_instruments`).
 */
export function instrumentsOf(event: CandidateEvent): Set<string> {
  const rows = event.extra_attributes?.SingleInspiral;
  if (Array.isArray(rows) && rows.length > 0) {
    const ifos = new Set<string>();
    rows.forEach((row, i) => {
      const ifo = (row as Record<string, unknown> | null)?.ifo;
      if (typeof ifo !== 'string' || ifo === '') {
        throw new CandidateEventError(
          graceidOf(event),
          `extra_attributes.SingleInspiral[${i}].ifo`,
          `must be a detector name, got ${JSON.stringify(ifo)}`,
        );
      }
      ifos.add(ifo);
    });
    return ifos;
  }
  const list: unknown = event.instruments;
  if (list === undefined || list === null || list === '') return new Set();
  // Some servers list MLy's instruments as an array rather than a comma-separated string.
  const names = Array.isArray(list) ? list : typeof list === 'string' ? list.split(',') : undefined;
  if (!names || names.some((name) => typeof name !== 'string')) {
    throw new CandidateEventError(
      graceidOf(event),
      'instruments',
      `must be a comma-separated string, got ${JSON.stringify(list)}`,
    );
  }
  return new Set((names as string[]).map((s) => s.trim()).filter(Boolean));
}

/** True for cWB's BBH search, which the superevent manager treats as a CBC search. */
export function isCwbBbh(event: CandidateEvent): boolean {
  return pipelineOf(event) === 'cwb' && searchOf(event) === 'bbh';
}
