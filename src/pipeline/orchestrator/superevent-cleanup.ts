/**
 * Re-selecting a superevent's preferred event before an alert (gwcelery-spec §4.2, "superevent
 * cleaned up"): the superevent manager stops moving the preferred event once it is locked, so the
 * orchestrator re-ranks every member itself right before the significant, early-warning and
 * second alerts, and sets GraceDB's pipeline-preferred events after the clean-up timeout.
 */
import type { Config } from '../../config/index.js';
import type { EventJson, GraceDbClient, SupereventJson } from '../../gracedb/client.js';
import {
  type CandidateEvent,
  selectPipelinePreferredEvents,
  selectPreferredEvent,
} from '../superevents/rules.js';

/** `superevent: <sid> group: CBC Burst`, plus MDC or Test for those categories (§4.2). */
export function memberQuery(
  superevent: Pick<SupereventJson, 'superevent_id' | 'category'>,
): string {
  const category = (superevent.category ?? '').toLowerCase();
  const extra = category === 'mdc' ? ' MDC' : category === 'test' ? ' Test' : '';
  return `superevent: ${superevent.superevent_id} group: CBC Burst${extra}`;
}

export async function memberEvents(
  gracedb: GraceDbClient,
  superevent: SupereventJson,
): Promise<EventJson[]> {
  return gracedb.getEvents(memberQuery(superevent));
}

/**
 * Ranks the members and makes the best one preferred (preferred_event and t_0); returns it.
 * Falls back to the current preferred event when the query finds none.
 */
export async function reselectPreferredEvent(
  gracedb: GraceDbClient,
  config: Config,
  superevent: SupereventJson,
): Promise<EventJson> {
  const events = await memberEvents(gracedb, superevent);
  const best = selectPreferredEvent(events as (EventJson & CandidateEvent)[], config);
  if (!best) return gracedb.getEvent(superevent.preferred_event);
  if (best.graceid !== superevent.preferred_event || best.gpstime !== superevent.t_0) {
    await gracedb.updateSuperevent(superevent.superevent_id, {
      preferred_event: best.graceid,
      t_0: best.gpstime,
    });
  }
  return best;
}

/** Makes each pipeline's best member its pipeline-preferred event. */
export async function setPipelinePreferredEvents(
  gracedb: GraceDbClient,
  config: Config,
  superevent: SupereventJson,
): Promise<string[]> {
  const events = await memberEvents(gracedb, superevent);
  const best = selectPipelinePreferredEvents(events as (EventJson & CandidateEvent)[], config);
  const current = (superevent.pipeline_preferred_events ?? {}) as Record<
    string,
    { graceid?: string }
  >;
  const added: string[] = [];
  for (const [pipeline, event] of best) {
    if (current[pipeline]?.graceid === event.graceid) continue;
    await gracedb.addPipelinePreferredEvent(superevent.superevent_id, event.graceid);
    added.push(event.graceid);
  }
  return added;
}
