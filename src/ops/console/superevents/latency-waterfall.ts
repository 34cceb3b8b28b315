import type { EventJson, LogEntry, SupereventJson } from '../../../gracedb/client.js';
import { gpsToUnix } from '../../../gracedb/gps-time.js';
import type { LedgerEntry } from './alert-ledger-reader.js';

/** One step of a superevent's life, placed in time relative to the gravitational-wave signal. */
export interface WaterfallStep {
  label: string;
  /** ms since the epoch. */
  at: number;
  /** Seconds after t₀ (negative: before). */
  sinceT0S: number;
  source: 'gracedb' | 'log' | 'ledger';
}

export interface LatencyWaterfall {
  t0Ms: number;
  steps: WaterfallStep[];
  /** First alert delivered anywhere, seconds after t₀ (the number operators are judged on). */
  firstAlertS?: number;
}

export interface WaterfallInput {
  superevent: SupereventJson;
  /** The superevent's log (label changes, files). */
  log: LogEntry[];
  /** Its G-events, when fetched (upload times). */
  events?: EventJson[];
  /** Its alerts from the ledger. */
  alerts?: LedgerEntry[];
}

/** GraceDB writes `2023-05-18 12:59:08 UTC`; ISO strings are accepted too. */
export function parseGraceDbTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: UTC|Z)?$/.exec(
    value.trim(),
  );
  const ms = match ? Date.parse(`${match[1]}T${match[2]}Z`) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

const SUPEREVENT_LABEL = /^Added label: ([A-Za-z0-9_]+)$/;

/**
 * The latency waterfall of a superevent: signal → uploads → superevent → labels (sky map,
 * classification, locks, sent markers) → alerts delivered, from what GraceDB and the alert
 * ledger recorded. GraceDB stamps to the second; the ledger to the millisecond.
 */
export function latencyWaterfall(input: WaterfallInput): LatencyWaterfall {
  const { superevent } = input;
  const t0Ms = gpsToUnix(superevent.t_0) * 1000;
  const steps: WaterfallStep[] = [];
  const add = (label: string, at: number | undefined, source: WaterfallStep['source']): void => {
    if (at === undefined) return;
    steps.push({ label, at, sinceT0S: (at - t0Ms) / 1000, source });
  };

  const events = input.events ?? [];
  const uploaded = events
    .map((e) => ({ e, at: parseGraceDbTime(e.created) }))
    .filter((x): x is { e: EventJson; at: number } => x.at !== undefined)
    .sort((a, b) => a.at - b.at);
  if (uploaded.length) {
    const first = uploaded[0];
    add(`first event uploaded (${first.e.graceid}, ${first.e.pipeline})`, first.at, 'gracedb');
  }
  const preferred =
    events.find((e) => e.graceid === superevent.preferred_event) ??
    (superevent.preferred_event_data as EventJson | undefined);
  if (preferred && preferred.graceid !== uploaded[0]?.e.graceid) {
    add(
      `preferred event uploaded (${preferred.graceid}, ${preferred.pipeline})`,
      parseGraceDbTime(preferred.created),
      'gracedb',
    );
  }
  add('superevent created', parseGraceDbTime(superevent.created), 'gracedb');

  const seenLabels = new Set<string>();
  let skyMapSeen = false;
  let voeventSeen = false;
  for (const entry of input.log) {
    const at = parseGraceDbTime(entry.created);
    const label = SUPEREVENT_LABEL.exec(entry.comment ?? '')?.[1];
    if (label && !seenLabels.has(label)) {
      seenLabels.add(label);
      add(`label ${label}`, at, 'log');
    }
    const file = entry.filename ?? '';
    if (!skyMapSeen && file.endsWith('.multiorder.fits') && entry.tag_names.includes('sky_loc')) {
      skyMapSeen = true;
      add(`sky map on the superevent (${file})`, at, 'log');
    }
    if (!voeventSeen && /-\d+-[A-Za-z]+\.xml$/.test(file)) {
      voeventSeen = true;
      add(`first VOEvent created (${file})`, at, 'log');
    }
  }

  let firstAlert: number | undefined;
  for (const alert of input.alerts ?? []) {
    if (alert.state !== 'delivered' || !alert.deliveredAt) continue;
    const at = Date.parse(alert.deliveredAt);
    if (!Number.isFinite(at)) continue;
    add(`${alert.alertType} #${alert.serial} delivered to ${alert.destination}`, at, 'ledger');
    if (firstAlert === undefined || at < firstAlert) firstAlert = at;
  }

  steps.sort((a, b) => a.at - b.at);
  steps.unshift({
    label: 't₀ (signal at the detectors)',
    at: t0Ms,
    sinceT0S: 0,
    source: 'gracedb',
  });
  return {
    t0Ms,
    steps,
    ...(firstAlert !== undefined ? { firstAlertS: (firstAlert - t0Ms) / 1000 } : {}),
  };
}
