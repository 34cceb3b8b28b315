import { createHash } from 'node:crypto';
import type { IgwnAlert } from './envelope.js';

/**
 * What makes two IGWN Alert messages "the same change" (gracedb-api §8): GraceDB sends an event
 * change to two topics with identical content, a broker may deliver a message twice, and a
 * reconciliation pass rebuilds messages from GraceDB's REST API. The identity must match in all
 * three cases, so it is built from fields GraceDB itself keeps unique wherever they exist:
 *
 * - `new`: the object is created once — `uid|new`.
 * - `log`: log entries are numbered per object — `uid|log|N`.
 * - `label_added` / `label_removed`: a label application is its name plus its creation time
 *   (the removal message carries the label it removed) — `uid|label_added|NAME|created`.
 * - `voevent`: VOEvents are numbered per object — `uid|voevent|N`.
 *
 * These are durable: remembered for the retention period. Every other type (update,
 * event_added, selected_as_preferred, signoffs, exposed, ...) has no such field; for those the
 * identity is a hash of the whole message, remembered only for a short window, because the
 * same content may legitimately recur later (a preferred event that flips back).
 */
export interface ChangeIdentity {
  key: string;
  durable: boolean;
}

function field(data: unknown, name: string): unknown {
  return typeof data === 'object' && data !== null
    ? (data as Record<string, unknown>)[name]
    : undefined;
}

export function changeIdentity(alert: IgwnAlert): ChangeIdentity {
  const { uid, alert_type: type, data } = alert;
  const n = field(data, 'N');
  if (type === 'new') return { key: `${uid}|new`, durable: true };
  if ((type === 'log' || type === 'voevent') && (typeof n === 'number' || typeof n === 'string')) {
    return { key: `${uid}|${type}|${n}`, durable: true };
  }
  if (type === 'label_added' || type === 'label_removed') {
    const name = field(data, 'name');
    const created = field(data, 'created');
    if (typeof name === 'string' && typeof created === 'string') {
      return { key: `${uid}|${type}|${name}|${created}`, durable: true };
    }
  }
  const digest = createHash('sha256')
    .update(canonicalJson({ data: alert.data, object: alert.object }))
    .digest('hex');
  return { key: `${uid}|${type}|${digest}`, durable: false };
}

/** JSON with object keys sorted, so that equal content hashes equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The deterministic task id of one handler's task for one change. */
export function taskIdFor(handler: string, identity: ChangeIdentity, replay?: string): string {
  const digest = createHash('sha256').update(identity.key).digest('hex').slice(0, 32);
  return `igwn-alert:${handler}:${digest}${replay ? `:${replay}` : ''}`;
}
