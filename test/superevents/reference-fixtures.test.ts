/**
 * The rules against the reference's own fixtures (../shared/data/gwcelery/tests): real event
 * and superevent JSON as GraceDB served it. Skipped on a fresh clone without ../shared.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { supereventStateOf } from '../../src/pipeline/superevents/process-candidate.js';
import {
  type CandidateEvent,
  categoryOf,
  entryDecision,
  eventWindow,
  isComplete,
  neighbourQuery,
  preferredEventKey,
  type SupereventState,
  selectPipelinePreferredEvents,
  selectPreferredEvent,
  shouldPublish,
  supereventChange,
  supereventLabels,
} from '../../src/pipeline/superevents/rules.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const dir = 'gwcelery/tests/';

function load<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(sharedData(dir + name)!, 'utf8')) as T;
}

test(
  'sample_events.json: G3 is preferred (complete, significant, louder than G1)',
  needsShared(`${dir}sample_events.json`),
  () => {
    const events = load<CandidateEvent[]>('sample_events.json');
    assert.equal(selectPreferredEvent(events)?.graceid, 'G3');
    const keys = Object.fromEntries(
      events.slice(0, 3).map((e) => [e.graceid, preferredEventKey(e)]),
    );
    assert.deepEqual(keys.G1, [true, true, true, true, true, 2, 3, 7]);
    assert.deepEqual(keys.G2, [false, true, true, true, true, 2, 3, 8]);
    assert.deepEqual(keys.G3, [true, true, true, true, true, 2, 3, 10]);
    const perPipeline = selectPipelinePreferredEvents(events);
    assert.deepEqual([...perPipeline.keys()], ['pipeline'], 'the External event is left out');
    assert.equal(perPipeline.get('pipeline')?.graceid, 'G3');
    assert.equal(isComplete(events[1]!), false, 'G2 lacks SKYMAP_READY');
  },
);

for (const name of ['S230413b.json', 'S230413g.json', 'S230413h.json', 'MS220722v.json']) {
  test(
    `${name}: the preferred event's window is the superevent's window`,
    needsShared(dir + name),
    () => {
      const superevent = load(name);
      const state = supereventStateOf(superevent);
      const window = eventWindow(state.preferred_event_data);
      assert.ok(
        Math.abs(window.tStart - state.t_start) < 2e-6,
        `t_start ${window.tStart} vs ${state.t_start}`,
      );
      assert.ok(
        Math.abs(window.tEnd - state.t_end) < 2e-6,
        `t_end ${window.tEnd} vs ${state.t_end}`,
      );
      assert.equal(window.t0, superevent.t_0);
      // The preferred event compared with itself changes nothing.
      assert.deepEqual(supereventChange(state, state.preferred_event_data, window), {});
    },
  );
}

test(
  'S230413b.json: the labels the manager applies for its cWB preferred event are on it',
  needsShared(`${dir}S230413b.json`),
  () => {
    const superevent = load('S230413b.json');
    const state = supereventStateOf(superevent);
    const applied = supereventLabels(state.preferred_event_data);
    assert.deepEqual(applied, ['EM_READY', 'ADVREQ', 'SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED']);
    for (const label of applied) assert.ok(state.labels.includes(label), label);
    assert.equal(categoryOf(state.preferred_event_data), 'production');
  },
);

test(
  'MS220722v.json: 16 mock uploads, an MDC superevent; a fresh upload would join it',
  needsShared(`${dir}MS220722v.json`),
  () => {
    const superevent = load('MS220722v.json');
    const state = supereventStateOf(superevent);
    assert.equal(state.gw_events?.length, 16);
    const preferred = state.preferred_event_data;
    assert.equal(categoryOf(preferred), 'mdc');
    assert.match(
      neighbourQuery(preferred),
      /^category: mdc 1342562150\.38\d* \.\. 1342562350\.38\d*$/,
    );
    assert.equal(isComplete(preferred), true);
    assert.equal(shouldPublish(preferred), true);
    // LOW_SIGNIF_LOCKED is on: a louder sibling changes the window only.
    const louder: CandidateEvent = {
      ...preferred,
      graceid: 'M999999',
      gpstime: (preferred.gpstime as number) + 0.5,
      extra_attributes: {
        ...(preferred.extra_attributes as Record<string, unknown>),
        CoincInspiral: { snr: 100 },
      },
    };
    assert.ok(state.labels.includes('LOW_SIGNIF_LOCKED'));
    const change = supereventChange(state, louder, eventWindow(louder));
    assert.equal(change.preferred_event, undefined);
    assert.ok(Math.abs(change.t_end! - (state.t_end + 0.5)) < 1e-6);
    const unlocked: SupereventState = { ...state, labels: [] };
    assert.equal(
      supereventChange(unlocked, louder, eventWindow(louder)).preferred_event,
      'M999999',
    );
  },
);

test(
  'lvalert_event_creation.json: a new MDC upload goes to the superevent queue at priority 1',
  needsShared(`${dir}lvalert_event_creation.json`),
  () => {
    const alert = load<{ alert_type: string; object: CandidateEvent; data: unknown }>(
      'lvalert_event_creation.json',
    );
    const decision = entryDecision(alert);
    assert.equal(decision.process, true);
    assert.equal(decision.process && decision.priority, 1);
    assert.equal(categoryOf(alert.object), 'mdc');
    assert.equal(supereventLabels(alert.object).join(), 'ADVREQ', 'significant but incomplete');
  },
);

test(
  'superevents.json and the S0039/S0040/S0041 events: categories, windows, members',
  needsShared(
    `${dir}superevents.json`,
    `${dir}T0212_S0039_preferred.json`,
    `${dir}G000012_S0040_preferred.json`,
    `${dir}T0219_S0041_nopreferred.json`,
  ),
  () => {
    const superevents = load<Record<string, Record<string, unknown>>>('superevents.json');
    const t0212 = load<CandidateEvent>('T0212_S0039_preferred.json');
    const g000012 = load<CandidateEvent>('G000012_S0040_preferred.json');
    const t0219 = load<CandidateEvent>('T0219_S0041_nopreferred.json');
    assert.equal(categoryOf(t0212), 'production', 'group CBC');
    assert.equal(categoryOf(t0219), 'test', 'group Test');
    // oLIB: quality 100 / frequency 100 = ±1 s, exactly S0040's window.
    const s0040 = superevents.S0040!;
    assert.deepEqual(eventWindow(g000012), {
      t0: s0040.t_0,
      tStart: s0040.t_start,
      tEnd: s0040.t_end,
    });
    assert.equal(
      shouldPublish(g000012),
      false,
      'an oLIB upload without a search is never published',
    );
    const labelsAsObject = isComplete(g000012);
    assert.equal(labelsAsObject, false, 'labels given as {} are no labels');
    // T0219 sits inside S0041's window and is a member of it.
    const s0041 = superevents.S0041! as { gw_events: string[]; t_start: number; t_end: number };
    const w = eventWindow(t0219);
    assert.ok(s0041.gw_events.includes('T0219'));
    assert.ok(w.tStart > s0041.t_start && w.tEnd < s0041.t_end);
    assert.deepEqual(supereventLabels(t0219), ['ADVREQ'], 'Test events now have trials factors');
  },
);
