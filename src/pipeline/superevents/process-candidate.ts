/**
 * What `superevents.process` does with one candidate (gwcelery-spec §3.4): fetch, decide with
 * the pure rules, write. It runs on the single-writer `superevent` queue, so no two candidates
 * are grouped at once; every write is one GraceDB treats as idempotent, so that running a
 * message twice (a redelivery after a worker died) changes nothing the first run did not.
 */
import type { SupereventUpdate } from '../../gracedb/client.js';
import type { Logger } from '../../log/index.js';
import { type CandidateEvent, graceidOf } from './candidate-event.js';
import { eventWindow } from './event-window.js';
import {
  firstOverlapping,
  neighbourQuery,
  type SupereventChange,
  type SupereventState,
  type SupereventWindow,
  supereventChange,
  supereventContaining,
} from './grouping.js';
import type { SupereventSettings } from './settings.js';
import { supereventLabels } from './superevent-labels.js';

/** The GraceDB operations the manager uses; the client implements them (so can a test double). */
export interface SupereventGraceDb {
  getSuperevents(query: string): Promise<Record<string, unknown>[]>;
  getSuperevent(sid: string): Promise<Record<string, unknown>>;
  getEvent(graceid: string): Promise<Record<string, unknown>>;
  createSuperevent(
    graceid: string,
    t0: number,
    tStart: number,
    tEnd: number,
  ): Promise<string | undefined>;
  addEventToSuperevent(sid: string, graceid: string): Promise<void>;
  updateSuperevent(sid: string, update: SupereventUpdate): Promise<void>;
  createLabel(label: string, id: string): Promise<void>;
}

/** The alert `superevents.process` receives: the envelope of a pipeline-topic IGWN alert. */
export interface CandidateAlert {
  uid?: string;
  alert_type: string;
  object: CandidateEvent;
  data?: unknown;
}

/** What one run did, as its (small) task result. */
export interface ProcessOutcome {
  graceid: string;
  superevent_id: string;
  /** created: a new superevent; joined: added to one; member: it already belonged to one. */
  action: 'created' | 'joined' | 'member';
  change: SupereventChange;
  labels: string[];
}

/** A GraceDB answer that lacks what the manager needs: names the object and the field. */
export class SupereventResponseError extends Error {
  override name = 'SupereventResponseError';
}

function requireNumber(object: Record<string, unknown>, field: string, what: string): number {
  const value = object[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SupereventResponseError(
      `${what}: ${field} must be a number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function requireString(object: Record<string, unknown>, field: string, what: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value === '') {
    throw new SupereventResponseError(
      `${what}: ${field} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function stringList(object: Record<string, unknown>, field: string, what: string): string[] {
  const value = object[field];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new SupereventResponseError(`${what}: ${field} must be a list of strings`);
  }
  return value as string[];
}

export function supereventWindowOf(object: Record<string, unknown>): SupereventWindow {
  const sid = requireString(object, 'superevent_id', 'superevent');
  const what = `superevent ${sid}`;
  return {
    superevent_id: sid,
    t_start: requireNumber(object, 't_start', what),
    t_end: requireNumber(object, 't_end', what),
    gw_events: stringList(object, 'gw_events', what),
  };
}

export function supereventStateOf(object: Record<string, unknown>): SupereventState {
  const window = supereventWindowOf(object);
  const what = `superevent ${window.superevent_id}`;
  const data = object.preferred_event_data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SupereventResponseError(`${what}: preferred_event_data is missing`);
  }
  return {
    ...window,
    preferred_event: requireString(object, 'preferred_event', what),
    preferred_event_data: data as CandidateEvent,
    labels: stringList(object, 'labels', what),
  };
}

function isEmpty(change: SupereventChange): boolean {
  return Object.keys(change).length === 0;
}

/**
 * Groups one candidate: joins the superevent it belongs to or overlaps, or creates one; then
 * updates the window and the preferred event and applies the labels.
 */
export async function processCandidate(
  gracedb: SupereventGraceDb,
  settings: SupereventSettings,
  alert: CandidateAlert,
  log?: Logger,
): Promise<ProcessOutcome> {
  const event = alert.object;
  const gid = graceidOf(event);
  const window = eventWindow(event, settings);

  /** Grow the window and re-rank a member candidate; returns the superevent as it was. */
  const updateMember = async (
    sid: string,
  ): Promise<{ sid: string; state: SupereventState; change: SupereventChange }> => {
    let state = supereventStateOf(await gracedb.getSuperevent(sid));
    if (!state.gw_events?.includes(gid)) {
      // "Already assigned" was swallowed: the candidate belongs to another superevent.
      const actual = (await gracedb.getEvent(gid)).superevent;
      if (typeof actual !== 'string' || actual === '' || actual === sid) {
        throw new SupereventResponseError(
          `superevent ${sid}: ${gid} is not among its events after being added`,
        );
      }
      log?.warn({ graceid: gid, superevent_id: actual }, 'candidate belongs to another superevent');
      sid = actual;
      state = supereventStateOf(await gracedb.getSuperevent(sid));
    }
    const change = supereventChange(state, event, window, settings);
    if (!isEmpty(change)) await gracedb.updateSuperevent(sid, change);
    return { sid, state, change };
  };

  let action: ProcessOutcome['action'];
  let sid: string;
  let change: SupereventChange = {};
  let present: readonly string[] = [];
  const linked = typeof event.superevent === 'string' && event.superevent !== '';
  if (linked) {
    action = 'member';
    ({
      sid,
      change,
      state: { labels: present },
    } = await updateMember(event.superevent as string));
  } else {
    const superevents = (await gracedb.getSuperevents(neighbourQuery(event, settings))).map(
      supereventWindowOf,
    );
    const member = supereventContaining(superevents, gid);
    const target = member ?? firstOverlapping(superevents, window);
    if (target) {
      action = member ? 'member' : 'joined';
      if (!member) await gracedb.addEventToSuperevent(target.superevent_id, gid);
      ({
        sid,
        change,
        state: { labels: present },
      } = await updateMember(target.superevent_id));
    } else {
      action = 'created';
      const created = await gracedb.createSuperevent(gid, window.t0, window.tStart, window.tEnd);
      if (created !== undefined) {
        sid = created;
      } else {
        // An earlier attempt of this request went through: find where the candidate went.
        const actual = (await gracedb.getEvent(gid)).superevent;
        if (typeof actual !== 'string' || actual === '') {
          throw new SupereventResponseError(
            `create_superevent for ${gid} answered "already assigned" but ${gid} has no superevent`,
          );
        }
        action = 'member';
        ({
          sid,
          change,
          state: { labels: present },
        } = await updateMember(actual));
      }
    }
  }

  const labels = supereventLabels(event, settings).filter((label) => !present.includes(label));
  // One at a time, in order: the orchestrator reacts to each label as it lands.
  for (const label of labels) await gracedb.createLabel(label, sid);
  log?.info(
    { graceid: gid, superevent_id: sid, action, change, labels, alert_type: alert.alert_type },
    `${gid}: ${action} ${sid}`,
  );
  return { graceid: gid, superevent_id: sid, action, change, labels };
}
