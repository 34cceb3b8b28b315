import type { IgwnAlert } from './envelope.js';

/**
 * What the listener asks GraceDB after a gap (an outage, a restart): which events and
 * superevents changed meanwhile. The GraceDB client implements it (src/gracedb/client.ts), for
 * example with `created: <since> .. <until>` queries plus the labels and logs of superevents
 * and events whose t_0 / gpstime is recent.
 */
export interface GraceDbChanges {
  /**
   * Events and superevents that were created, labelled or logged between `since` and `until`
   * (inclusive; GraceDB's timestamps have one-second resolution), each with its labels and its
   * log entries. Returning more objects or entries than changed is harmless: only what falls in
   * the window is replayed, and what was already dispatched is skipped.
   */
  changedBetween(since: Date, until: Date): Promise<ChangedObject[]>;
}

export interface ChangedObject {
  /** The event (gracedb-api §3.1) or superevent (§3.2) JSON, `links.self` included. */
  object: Record<string, unknown>;
  /** Its labels as GraceDB lists them (§3.5: name, created, creator, self). */
  labels: Record<string, unknown>[];
  /**
   * Its log entries written by clients (§3.4). GraceDB announces only those; entries it writes
   * itself (label, tag, membership, VOEvent, creation logs) must be left out.
   */
  logs: Record<string, unknown>[];
}

/** An alert rebuilt from GraceDB's state, with the topic GraceDB would have sent it on. */
export interface ReconstructedAlert {
  topic: string;
  alert: IgwnAlert;
}

/** GraceDB's "2023-04-13 19:54:04 UTC" (also accepts ISO 8601); undefined when unparsable. */
export function parseGraceDbTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: ?UTC|Z|[+-]00:?00)?$/.exec(
      value.trim(),
    );
  const ms = match ? Date.parse(`${match[1]}T${match[2]}Z`) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The IGWN Alert topic of an event or superevent (gracedb-api §8.1). */
export function topicOf(object: Record<string, unknown>): string | undefined {
  if (typeof object.superevent_id === 'string') {
    const category = String(object.category ?? 'Production').toLowerCase();
    if (category === 'production') return 'superevent';
    if (category === 'mdc') return 'mdc_superevent';
    if (category === 'test') return 'test_superevent';
    return undefined;
  }
  if (typeof object.graceid === 'string' && object.group && object.pipeline) {
    return `${String(object.group)}_${String(object.pipeline)}`.toLowerCase();
  }
  return undefined;
}

/**
 * The messages GraceDB sent (or would have sent) about these objects during [since, until]:
 * `new` for objects created in the window, `label_added` for labels applied in it, `log` for
 * client log entries written in it, oldest first. Their identities (change-identity.ts) match
 * the real messages', so what was already dispatched is recognised. The `object` is GraceDB's
 * current state, not the state at the time — the handlers re-read GraceDB anyway.
 * Changes that leave no timestamped trace (label_removed, update, event_added, ...) cannot be
 * rebuilt; docs/bus.md says so.
 */
export function reconstructAlerts(
  changes: ChangedObject[],
  since: number,
  until: number,
): ReconstructedAlert[] {
  // GraceDB's timestamps are truncated to the second.
  const from = Math.floor(since / 1000) * 1000;
  const inWindow = (t: number | undefined) => t !== undefined && t >= from && t <= until;
  const out: { at: number; order: number; item: ReconstructedAlert }[] = [];
  for (const { object, labels, logs } of changes) {
    const topic = topicOf(object);
    const uid =
      typeof object.superevent_id === 'string' ? object.superevent_id : (object.graceid as string);
    if (!topic || typeof uid !== 'string') continue;
    const created = parseGraceDbTime(object.created);
    if (inWindow(created)) {
      out.push({
        at: created!,
        order: 0,
        item: { topic, alert: { uid, alert_type: 'new', data: object, object } },
      });
    }
    for (const label of labels) {
      const at = parseGraceDbTime(label.created);
      if (inWindow(at)) {
        out.push({
          at: at!,
          order: 1,
          item: { topic, alert: { uid, alert_type: 'label_added', data: label, object } },
        });
      }
    }
    for (const log of logs) {
      const at = parseGraceDbTime(log.created);
      if (inWindow(at)) {
        out.push({
          at: at!,
          order: 2,
          item: { topic, alert: { uid, alert_type: 'log', data: log, object } },
        });
      }
    }
  }
  out.sort((a, b) => a.at - b.at || a.order - b.order);
  return out.map((o) => o.item);
}
