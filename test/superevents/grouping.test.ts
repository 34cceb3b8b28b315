import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CandidateEvent,
  categoryOf,
  DEFAULT_SUPEREVENT_SETTINGS,
  eventWindow,
  firstOverlapping,
  grownWindow,
  neighbourQuery,
  type SupereventState,
  segmentsIntersect,
  supereventChange,
  supereventContaining,
} from '../../src/pipeline/superevents/rules.js';
import { cbcEvent, cwbEvent, mlyEvent, olibEvent, READY } from './events.js';

const T = 1400000000;

const windows: { name: string; event: CandidateEvent; before: number; after: number }[] = [
  { name: 'gstlal: ±1 s', event: cbcEvent({ pipeline: 'gstlal' }), before: 1, after: 1 },
  { name: 'spiir: ±1 s', event: cbcEvent({ pipeline: 'spiir' }), before: 1, after: 1 },
  { name: 'pycbc: ±1 s', event: cbcEvent({ pipeline: 'pycbc' }), before: 1, after: 1 },
  { name: 'MBTA (any case): ±1 s', event: cbcEvent({ pipeline: 'MBTA' }), before: 1, after: 1 },
  {
    name: 'cWB: ± MultiBurst.duration',
    event: cwbEvent({ duration: 0.017816 }),
    before: 0.017816,
    after: 0.017816,
  },
  {
    name: 'oLIB: ± quality_mean / frequency_mean',
    event: olibEvent({ quality: 20, frequency: 80 }),
    before: 0.25,
    after: 0.25,
  },
  {
    name: 'MLy: ± MLyBurst.duration',
    event: mlyEvent({ duration: 0.1875 }),
    before: 0.1875,
    after: 0.1875,
  },
];

for (const w of windows) {
  test(`event window: ${w.name}`, () => {
    const window = eventWindow(w.event);
    assert.equal(window.t0, T);
    assert.ok(Math.abs(window.tStart - (T - w.before)) < 1e-6, `${window.tStart}`);
    assert.ok(Math.abs(window.tEnd - (T + w.after)) < 1e-6, `${window.tEnd}`);
  });
}

test('event window: configured half-widths per pipeline, and the default for others', () => {
  const settings = {
    ...DEFAULT_SUPEREVENT_SETTINGS,
    superevent_d_t_start: { gstlal: 0.5 },
    superevent_d_t_end: { gstlal: 0.25 },
    superevent_default_d_t_start: 3,
    superevent_default_d_t_end: 4,
  };
  assert.deepEqual(eventWindow(cbcEvent({ pipeline: 'gstlal' }), settings), {
    t0: T,
    tStart: T - 0.5,
    tEnd: T + 0.25,
  });
  assert.deepEqual(eventWindow(cbcEvent({ pipeline: 'pycbc' }), settings), {
    t0: T,
    tStart: T - 3,
    tEnd: T + 4,
  });
  // A pipeline name that is also an Object.prototype property is still "not configured".
  assert.deepEqual(eventWindow(cbcEvent({ pipeline: 'constructor' }), settings), {
    t0: T,
    tStart: T - 3,
    tEnd: T + 4,
  });
});

test('event window: missing or impossible Burst attributes are errors naming the field', () => {
  const noMultiBurst = { ...cwbEvent({ graceid: 'G9' }), extra_attributes: {} };
  assert.throws(
    () => eventWindow(noMultiBurst),
    /event G9: extra_attributes\.MultiBurst is missing/,
  );
  assert.throws(
    () => eventWindow(olibEvent({ graceid: 'G10', frequency: 0 })),
    /event G10: extra_attributes\.LalInferenceBurst\.frequency_mean must be positive/,
  );
  assert.throws(
    () => eventWindow(cwbEvent({ graceid: 'G11', duration: -1 })),
    /event G11: extra_attributes\.MultiBurst\.duration must be a finite number ≥ 0/,
  );
  assert.throws(
    () => eventWindow({ ...cbcEvent({ graceid: 'G12' }), gpstime: null }),
    /event G12: gpstime must be a finite number/,
  );
});

test('category: Test group before MDC search (GraceDB refuses a T event in an MDC superevent)', () => {
  assert.equal(categoryOf(cbcEvent()), 'production');
  assert.equal(categoryOf(cwbEvent()), 'production');
  assert.equal(categoryOf(cbcEvent({ search: 'MDC' })), 'mdc');
  assert.equal(categoryOf(cbcEvent({ group: 'Test' })), 'test');
  assert.equal(categoryOf(cbcEvent({ group: 'Test', search: 'MDC' })), 'test');
});

test('neighbour query: the category and t_0 within ±100 s', () => {
  assert.equal(
    neighbourQuery(cbcEvent({ gpstime: 1000.5 })),
    'category: production 900.5 .. 1100.5',
  );
  assert.equal(
    neighbourQuery(cbcEvent({ gpstime: 1000, search: 'MDC' }), {
      ...DEFAULT_SUPEREVENT_SETTINGS,
      superevent_query_d_t_start: 10,
      superevent_query_d_t_end: 20,
    }),
    'category: mdc 990 .. 1020',
  );
});

test('segments overlap strictly: touching windows do not', () => {
  const rows: [[number, number], [number, number], boolean][] = [
    [[0, 2], [1, 3], true],
    [[1, 3], [0, 2], true],
    [[0, 2], [2, 3], false],
    [[2, 3], [0, 2], false],
    [[0, 10], [4, 5], true],
    [[4, 5], [0, 10], true],
    [[0, 1], [5, 6], false],
  ];
  for (const [a, b, expected] of rows) assert.equal(segmentsIntersect(a, b), expected, `${a} ${b}`);
});

test('grouping: the first overlapping superevent in GraceDB order, and membership', () => {
  const superevents = [
    { superevent_id: 'S1', t_start: T - 50, t_end: T - 40, gw_events: ['G1'] },
    { superevent_id: 'S2', t_start: T - 1.5, t_end: T - 0.5, gw_events: ['G2'] },
    { superevent_id: 'S3', t_start: T - 0.9, t_end: T + 0.9, gw_events: ['G3', 'G7'] },
  ];
  const window = eventWindow(cbcEvent({ gpstime: T }));
  assert.equal(firstOverlapping(superevents, window)?.superevent_id, 'S2');
  assert.equal(firstOverlapping(superevents.slice(2), window)?.superevent_id, 'S3');
  assert.equal(firstOverlapping(superevents.slice(0, 1), window), undefined);
  assert.equal(supereventContaining(superevents, 'G7')?.superevent_id, 'S3');
  assert.equal(supereventContaining(superevents, 'G8'), undefined);
});

test('grouping: the window grows to the union, and only when the candidate sticks out', () => {
  const superevent = { superevent_id: 'S1', t_start: T - 1, t_end: T + 1 };
  assert.equal(grownWindow(superevent, { t0: T, tStart: T - 0.5, tEnd: T + 0.5 }), undefined);
  assert.equal(grownWindow(superevent, { t0: T, tStart: T - 1, tEnd: T + 1 }), undefined);
  assert.deepEqual(grownWindow(superevent, { t0: T + 0.5, tStart: T - 0.5, tEnd: T + 1.5 }), {
    t_start: T - 1,
    t_end: T + 1.5,
  });
  assert.deepEqual(grownWindow(superevent, { t0: T - 1.5, tStart: T - 2.5, tEnd: T - 0.5 }), {
    t_start: T - 2.5,
    t_end: T + 1,
  });
  // GraceDB keeps 6 decimals: a sub-microsecond excess is no change.
  assert.equal(grownWindow(superevent, { t0: T, tStart: T - 1.0000000004, tEnd: T }), undefined);
});

function state(preferred: CandidateEvent, labels: string[] = []): SupereventState {
  return {
    superevent_id: 'S1',
    t_start: T - 1,
    t_end: T + 1,
    gw_events: [String(preferred.graceid)],
    preferred_event: String(preferred.graceid),
    preferred_event_data: preferred,
    labels,
  };
}

test('update: a better candidate becomes preferred with its t_0; a worse one does not', () => {
  const current = cbcEvent({ graceid: 'G1', snr: 10 });
  const better = cbcEvent({ graceid: 'G2', snr: 11, gpstime: T + 0.25 });
  const worse = cbcEvent({ graceid: 'G3', snr: 9, gpstime: T + 0.25 });
  assert.deepEqual(supereventChange(state(current), better, eventWindow(better)), {
    t_start: T - 1,
    t_end: T + 1.25,
    t_0: T + 0.25,
    preferred_event: 'G2',
  });
  assert.deepEqual(supereventChange(state(current), worse, eventWindow(worse)), {
    t_start: T - 1,
    t_end: T + 1.25,
  });
});

test('update: LOW_SIGNIF_LOCKED freezes the preferred event but not the window', () => {
  const current = cbcEvent({ graceid: 'G1', snr: 10 });
  const better = cbcEvent({ graceid: 'G2', snr: 50, labels: READY, gpstime: T + 0.5 });
  assert.deepEqual(
    supereventChange(state(current, ['LOW_SIGNIF_LOCKED']), better, eventWindow(better)),
    { t_start: T - 1, t_end: T + 1.5 },
  );
  // SIGNIF_LOCKED alone does not freeze (the orchestrator re-selects, the manager keeps ranking).
  assert.equal(
    supereventChange(state(current, ['SIGNIF_LOCKED']), better, eventWindow(better))
      .preferred_event,
    'G2',
  );
});

test('update: the preferred event compared with its own fresher copy changes nothing', () => {
  const fresh = cbcEvent({ graceid: 'G1', labels: ['INJ'] });
  const stale = cbcEvent({ graceid: 'G1' });
  assert.deepEqual(supereventChange(state(fresh), stale, eventWindow(stale)), {});
});
