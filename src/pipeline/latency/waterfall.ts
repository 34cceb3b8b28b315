/**
 * The latency waterfall of a superevent: when each stage of its life happened, from what
 * GraceDB and the alert ledger already record (nothing is written on the hot path to make it):
 *
 *   t₀ → first upload → superevent created → annotations ready on the preferred event
 *   (EMBRIGHT_READY, PASTRO_READY, SKYMAP_READY) → superevent labels (EM_READY, ADVREQ,
 *   SIGNIF_LOCKED / LOW_SIGNIF_LOCKED, GCN_PRELIM_SENT, …) → alert decision (the orchestrator's
 *   DQ check before an alert, the first VOEvent) → each destination's receipt → signoffs.
 *
 * GraceDB stamps times to the second; the ledger to the millisecond. The console's superevent
 * page and `gwcelery latency` both draw this.
 */

import { gpsToUnix } from '../../formats/time/gps.js';
import type { EventJson, LogEntry, SupereventJson } from '../../gracedb/client.js';

/** What the waterfall reads from an alert-ledger record (src/alerts/ledger's LedgerRecord). */
export interface LedgerReceipt {
  alertType: string;
  serial: number;
  destination: string;
  state: 'pending' | 'delivered' | 'failed';
  /** ISO time the destination confirmed it. */
  deliveredAt: string | null;
}

export type WaterfallSource = 'gracedb' | 'log' | 'ledger';

/** A label as GraceDB's labels resource lists it. */
export interface LabelJson {
  name: string;
  created?: unknown;
}

/** One step of a superevent's life, placed in time. */
export interface WaterfallStep {
  /**
   * Machine-readable stage: `t0`, `first_upload`, `preferred_upload`, `superevent_created`,
   * `event_label:<LABEL>` (on the preferred event), `label:<LABEL>` (on the superevent),
   * `sky_map`, `alert_decision`, `voevent_created`, `delivered:<type>#<serial>:<destination>`,
   * `signoff:<Advocate|Operator>`.
   */
  stage: string;
  label: string;
  /** ms since the epoch. */
  at: number;
  /** Seconds after t₀ (negative: before). */
  sinceT0S: number;
  /** Seconds after the first upload, when it is known. */
  sinceFirstUploadS?: number;
  source: WaterfallSource;
}

export interface LatencyWaterfall {
  superevent: string;
  t0Ms: number;
  firstUploadMs?: number;
  steps: WaterfallStep[];
  /** First alert delivered anywhere, seconds after t₀ (the number operators are judged on). */
  firstAlertS?: number;
  /** The same, seconds after the first upload (the pipeline's own latency). */
  firstAlertSinceUploadS?: number;
}

export interface WaterfallInput {
  superevent: SupereventJson;
  /** The superevent's log (label changes, files). */
  log: LogEntry[];
  /** Its G-events, when fetched (upload times). */
  events?: EventJson[];
  /** The superevent's labels as GraceDB lists them (name, created): those applied without a log line. */
  labels?: readonly LabelJson[];
  /** The preferred event's labels (its READY annotations), when fetched. */
  preferredEventLabels?: readonly LabelJson[];
  /** Its alerts from the ledger. */
  alerts?: readonly LedgerReceipt[];
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

/** A label as GraceDB logs it: `Added label: X` on a superevent, `Label: X` on an event. */
const LABEL_LOG = /^(?:Added label|Label): ([A-Za-z0-9_]+)$/;
/** Annotations a CBC candidate needs before it can be preferred for an alert (§3.2). */
const ANNOTATION_LABELS = new Set(['EMBRIGHT_READY', 'PASTRO_READY', 'SKYMAP_READY']);
/** The orchestrator's log line when it has decided to send an alert and starts the DQ check. */
const ALERT_DECISION_LOG = /^Automated DQ check before sending /;
/** GraceDB's log line for a signoff: `Advocate signoff certified status as OK: …`. */
const SIGNOFF_LOG = /^(Advocate|Operator) signoff certified status as (OK|NO)/;
/** A VOEvent as GraceDB names it: `S230518h-1-Preliminary.xml`. */
const VOEVENT_FILE = /-\d+-[A-Za-z]+\.xml$/;

export function latencyWaterfall(input: WaterfallInput): LatencyWaterfall {
  const { superevent } = input;
  const t0Ms = gpsToUnix(superevent.t_0) * 1000;
  const steps: WaterfallStep[] = [];
  const add = (
    stage: string,
    label: string,
    at: number | undefined,
    source: WaterfallSource,
  ): void => {
    if (at === undefined) return;
    steps.push({ stage, label, at, sinceT0S: (at - t0Ms) / 1000, source });
  };

  const events = input.events ?? [];
  const uploaded = events
    .map((e) => ({ e, at: parseGraceDbTime(e.created) }))
    .filter((x): x is { e: EventJson; at: number } => x.at !== undefined)
    .sort((a, b) => a.at - b.at);
  const first = uploaded[0];
  if (first) {
    add(
      'first_upload',
      `first event uploaded (${first.e.graceid}, ${first.e.pipeline})`,
      first.at,
      'gracedb',
    );
  }
  const preferred =
    events.find((e) => e.graceid === superevent.preferred_event) ??
    (superevent.preferred_event_data as EventJson | undefined);
  if (preferred && preferred.graceid !== first?.e.graceid) {
    add(
      'preferred_upload',
      `preferred event uploaded (${preferred.graceid}, ${preferred.pipeline})`,
      parseGraceDbTime(preferred.created),
      'gracedb',
    );
  }
  add('superevent_created', 'superevent created', parseGraceDbTime(superevent.created), 'gracedb');

  for (const label of input.preferredEventLabels ?? []) {
    if (!ANNOTATION_LABELS.has(label.name)) continue;
    add(
      `event_label:${label.name}`,
      `${label.name} on the preferred event (${preferred?.graceid ?? superevent.preferred_event})`,
      parseGraceDbTime(label.created),
      'gracedb',
    );
  }

  const seenLabels = new Set<string>();
  let skyMapSeen = false;
  let decisionSeen = false;
  let voeventSeen = false;
  for (const entry of input.log) {
    const at = parseGraceDbTime(entry.created);
    const comment = entry.comment ?? '';
    const label = LABEL_LOG.exec(comment)?.[1];
    if (label && !seenLabels.has(label)) {
      seenLabels.add(label);
      add(`label:${label}`, `label ${label}`, at, 'log');
    }
    const file = entry.filename ?? '';
    if (!skyMapSeen && file.endsWith('.multiorder.fits') && entry.tag_names.includes('sky_loc')) {
      skyMapSeen = true;
      add('sky_map', `sky map on the superevent (${file})`, at, 'log');
    }
    if (!decisionSeen && ALERT_DECISION_LOG.test(comment)) {
      decisionSeen = true;
      add('alert_decision', 'alert decided (DQ check before sending)', at, 'log');
    }
    if (!voeventSeen && VOEVENT_FILE.test(file)) {
      voeventSeen = true;
      add('voevent_created', `first VOEvent created (${file})`, at, 'log');
    }
    const signoff = SIGNOFF_LOG.exec(comment);
    if (signoff) add(`signoff:${signoff[1]}`, `${signoff[1]} signoff ${signoff[2]}`, at, 'log');
  }
  // Labels a signoff applies leave no `Added label` line.
  for (const label of input.labels ?? []) {
    if (seenLabels.has(label.name)) continue;
    seenLabels.add(label.name);
    add(`label:${label.name}`, `label ${label.name}`, parseGraceDbTime(label.created), 'gracedb');
  }

  let firstAlert: number | undefined;
  for (const alert of input.alerts ?? []) {
    if (alert.state !== 'delivered' || !alert.deliveredAt) continue;
    const at = Date.parse(alert.deliveredAt);
    if (!Number.isFinite(at)) continue;
    add(
      `delivered:${alert.alertType}#${alert.serial}:${alert.destination}`,
      `${alert.alertType} #${alert.serial} delivered to ${alert.destination}`,
      at,
      'ledger',
    );
    if (firstAlert === undefined || at < firstAlert) firstAlert = at;
  }

  steps.sort((a, b) => a.at - b.at);
  steps.unshift({
    stage: 't0',
    label: 't₀ (signal at the detectors)',
    at: t0Ms,
    sinceT0S: 0,
    source: 'gracedb',
  });
  const firstUploadMs = first?.at;
  if (firstUploadMs !== undefined) {
    for (const step of steps) step.sinceFirstUploadS = (step.at - firstUploadMs) / 1000;
  }
  return {
    superevent: superevent.superevent_id,
    t0Ms,
    ...(firstUploadMs !== undefined ? { firstUploadMs } : {}),
    steps,
    ...(firstAlert !== undefined ? { firstAlertS: (firstAlert - t0Ms) / 1000 } : {}),
    ...(firstAlert !== undefined && firstUploadMs !== undefined
      ? { firstAlertSinceUploadS: (firstAlert - firstUploadMs) / 1000 }
      : {}),
  };
}
