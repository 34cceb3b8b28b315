/**
 * Fetching what a latency waterfall is drawn from: the superevent, its log, its events, the
 * preferred event's log (GraceDB) and its alerts (the alert ledger). Read-only.
 */

import { unixToGps } from '../../formats/time/gps.js';
import type { EventJson, GraceDbClient, SupereventJson } from '../../gracedb/client.js';
import {
  type LabelJson,
  type LatencyWaterfall,
  type LedgerReceipt,
  latencyWaterfall,
} from './waterfall.js';

/** The part of the alert ledger the waterfall reads (AlertLedger satisfies it). */
export interface LedgerLister {
  list(filter?: { superevent?: string; limit?: number }): Promise<readonly LedgerReceipt[]>;
}

export async function collectWaterfall(
  gracedb: GraceDbClient,
  ledger: LedgerLister | undefined,
  supereventOrId: string | SupereventJson,
): Promise<LatencyWaterfall> {
  const superevent =
    typeof supereventOrId === 'string'
      ? await gracedb.getSuperevent(supereventOrId)
      : supereventOrId;
  const sid = superevent.superevent_id;
  // Events one by one: a `superevent:` query hides MDC and Test events unless asked for them.
  const [log, labels, events, preferredEventLabels, alerts] = await Promise.all([
    gracedb.getLog(sid),
    gracedb.listLabels(sid),
    Promise.all(superevent.gw_events.map((gid) => gracedb.getEvent(gid))) as Promise<EventJson[]>,
    superevent.preferred_event
      ? gracedb.listLabels(superevent.preferred_event)
      : Promise.resolve([]),
    ledger ? ledger.list({ superevent: sid }) : Promise.resolve([]),
  ]);
  return latencyWaterfall({
    superevent,
    log,
    labels: labels as unknown as LabelJson[],
    events,
    preferredEventLabels: preferredEventLabels as unknown as LabelJson[],
    alerts,
  });
}

export type SupereventCategory = 'production' | 'mdc' | 'test';
const QUERY_WORD: Record<SupereventCategory, string> = {
  production: 'Production',
  mdc: 'MDC',
  test: 'Test',
};

/**
 * The most recent superevents (by t₀) of the given categories within `lookbackS` of now, newest
 * first. A t₀ window keeps the query to one page however long GraceDB's history is.
 */
export async function recentSuperevents(
  gracedb: GraceDbClient,
  count: number,
  options: { categories: readonly SupereventCategory[]; lookbackS: number; nowGps?: number },
): Promise<SupereventJson[]> {
  const now = options.nowGps ?? unixToGps(Date.now() / 1000);
  const from = (now - options.lookbackS).toFixed(3);
  const to = (now + 3600).toFixed(3);
  const found = await Promise.all(
    options.categories.map((category) =>
      gracedb.getSuperevents(`${QUERY_WORD[category]} t_0: ${from} .. ${to}`),
    ),
  );
  return found
    .flat()
    .sort((a, b) => b.t_0 - a.t_0)
    .slice(0, count);
}
