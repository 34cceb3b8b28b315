import { type EventRow, eventById, type SupereventRow, supereventById } from './model.js';
import { eventJson, supereventJson } from './serialize.js';
import type { Write } from './store.js';

/**
 * IGWN-Alert notifications (§8). Each is written to the outbox inside the transaction that
 * made the change, so a notification exists exactly when its change committed; the outbox pump
 * publishes them afterwards in commit order.
 */

/** An event's topics: `<group>_<pipeline>` and, with a search, `<group>_<pipeline>_<search>`. */
export function eventTopics(event: Pick<EventRow, 'grp' | 'pipeline' | 'search'>): string[] {
  const base = `${event.grp}_${event.pipeline}`.toLowerCase();
  return event.search ? [base, `${base}_${event.search}`.toLowerCase()] : [base];
}

export function supereventTopic(category: SupereventRow['category']): string {
  return category === 'P' ? 'superevent' : category === 'M' ? 'mdc_superevent' : 'test_superevent';
}

function enqueue(w: Write, topics: string[], uid: string, message: unknown): void {
  if (!w.store.options.notify) return;
  const payload = JSON.stringify(message);
  const insert = w.db.prepare('INSERT INTO outbox (topic, key, payload) VALUES (?, ?, ?)');
  for (const topic of topics) insert.run(`${w.store.options.alertGroup}.${topic}`, uid, payload);
}

/** An event alert; `data` defaults to the event itself (new, update, membership changes). */
export function eventAlert(w: Write, event: EventRow, alertType: string, data?: unknown): void {
  if (!w.store.options.notify) return;
  // Re-read: the caller's row may predate the change this alert announces.
  const object = eventJson(w, eventById(w.db, event.id));
  enqueue(w, eventTopics(event), event.graceid, {
    uid: event.graceid,
    alert_type: alertType,
    data: data === undefined ? object : data,
    object,
  });
}

/** A superevent alert; `data` defaults to the superevent itself. */
export function supereventAlert(
  w: Write,
  superevent: SupereventRow,
  alertType: string,
  data?: unknown,
): void {
  if (!w.store.options.notify) return;
  const fresh = supereventById(w.db, superevent.id);
  const object = supereventJson(w, fresh);
  const uid = fresh.gw_id ?? fresh.superevent_id;
  enqueue(w, [supereventTopic(fresh.category)], uid, {
    uid,
    alert_type: alertType,
    data: data === undefined ? object : data,
    object,
  });
}
