/**
 * Grouping a candidate into a superevent (gwcelery-spec §3.4), as pure decisions over what
 * GraceDB answered: which category to search, whether the candidate already belongs to a
 * superevent, which superevent it overlaps, how far the window must grow and whether the
 * candidate becomes the preferred event.
 */
import { roundGps } from '../../gracedb/gps-time.js';
import { type CandidateEvent, gpstimeOf, graceidOf, groupOf, searchOf } from './candidate-event.js';
import type { EventWindow } from './event-window.js';
import { compareKeys, preferredEventKey } from './preferred-event.js';
import { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';

export type SupereventCategory = 'production' | 'mdc' | 'test';

/**
 * The superevent category a candidate may join. Group Test is checked before search MDC,
 * as GraceDB does when it assigns the T/M prefix and refuses mixed categories (the reference
 * checks MDC first, so a Test MDC candidate searched MDC superevents it cannot join).
 */
export function categoryOf(event: CandidateEvent): SupereventCategory {
  if (groupOf(event) === 'test') return 'test';
  if (searchOf(event) === 'mdc') return 'mdc';
  return 'production';
}

/** The neighbour query: superevents of the candidate's category with t_0 within ±100 s. */
export function neighbourQuery(
  event: CandidateEvent,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): string {
  const t = gpstimeOf(event);
  const from = t - settings.superevent_query_d_t_start;
  const to = t + settings.superevent_query_d_t_end;
  return `category: ${categoryOf(event)} ${from} .. ${to}`;
}

/** The parts of a superevent (search result or GET) the grouping reads. */
export interface SupereventWindow {
  superevent_id: string;
  t_start: number;
  t_end: number;
  gw_events?: readonly string[];
}

/** The superevent that already lists the candidate among its members, if any. */
export function supereventContaining<S extends SupereventWindow>(
  superevents: readonly S[],
  graceid: string,
): S | undefined {
  return superevents.find((s) => s.gw_events?.includes(graceid));
}

/** Strict overlap, as ligo.segments' `intersects`: segments that only touch do not overlap. */
export function segmentsIntersect(
  a: readonly [number, number],
  b: readonly [number, number],
): boolean {
  return a[1] > b[0] && a[0] < b[1];
}

/** The first superevent (in GraceDB's order) whose window overlaps the candidate's. */
export function firstOverlapping<S extends SupereventWindow>(
  superevents: readonly S[],
  window: EventWindow,
): S | undefined {
  return superevents.find((s) =>
    segmentsIntersect([s.t_start, s.t_end], [window.tStart, window.tEnd]),
  );
}

/**
 * The window of the superevent grown to cover the candidate's (GraceDB keeps 6 decimals), or
 * undefined when it already does.
 */
export function grownWindow(
  superevent: SupereventWindow,
  window: EventWindow,
): { t_start: number; t_end: number } | undefined {
  const tStart = Math.min(superevent.t_start, roundGps(window.tStart));
  const tEnd = Math.max(superevent.t_end, roundGps(window.tEnd));
  if (tStart === superevent.t_start && tEnd === superevent.t_end) return undefined;
  return { t_start: tStart, t_end: tEnd };
}

/** A superevent as `GET superevents/{sid}/` returns it, with the fields the update reads. */
export interface SupereventState extends SupereventWindow {
  preferred_event: string;
  preferred_event_data: CandidateEvent;
  labels: readonly string[];
}

export interface SupereventChange {
  t_start?: number;
  t_end?: number;
  t_0?: number;
  preferred_event?: string;
}

/**
 * The reference's `_update_superevent` decision for a member candidate: grow the window to
 * cover it, and make it preferred when its key beats the current preferred event's, unless
 * LOW_SIGNIF_LOCKED froze the choice. Growing is a no-op for a candidate the window already
 * covers, which is every member unless an earlier attempt died between adding the candidate
 * and growing the window; the reference grows only on the join itself.
 */
export function supereventChange(
  superevent: SupereventState,
  event: CandidateEvent,
  window: EventWindow,
  settings: SupereventSettings = DEFAULT_SUPEREVENT_SETTINGS,
): SupereventChange {
  const change: SupereventChange = { ...grownWindow(superevent, window) };
  const gid = graceidOf(event);
  if (
    !superevent.labels.includes('LOW_SIGNIF_LOCKED') &&
    superevent.preferred_event !== gid &&
    compareKeys(
      preferredEventKey(event, settings),
      preferredEventKey(superevent.preferred_event_data, settings),
    ) > 0
  ) {
    change.t_0 = roundGps(window.t0);
    change.preferred_event = gid;
  }
  return change;
}
