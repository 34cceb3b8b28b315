import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CandidateEvent,
  compareKeys,
  DEFAULT_SUPEREVENT_SETTINGS,
  isComplete,
  preferredEventKey,
  requiredLabels,
  selectPipelinePreferredEvents,
  selectPreferredEvent,
  supereventLabels,
} from '../../src/pipeline/superevents/rules.js';
import { cbcEvent, cwbEvent, mlyEvent, olibEvent, READY } from './events.js';

const completeness: { name: string; event: CandidateEvent; complete: boolean }[] = [
  {
    name: 'CBC AllSky with the three READY labels',
    event: cbcEvent({ labels: READY }),
    complete: true,
  },
  ...READY.map((missing) => ({
    name: `CBC AllSky without ${missing}`,
    event: cbcEvent({ labels: READY.filter((l) => l !== missing) }),
    complete: false,
  })),
  {
    name: 'CBC EarlyWarning with the three',
    event: cbcEvent({ search: 'EarlyWarning', labels: READY }),
    complete: true,
  },
  {
    name: 'CBC MDC with the three',
    event: cbcEvent({ search: 'MDC', labels: READY }),
    complete: true,
  },
  {
    name: 'CBC SSM without PASTRO_READY',
    event: cbcEvent({ search: 'SSM', labels: ['EMBRIGHT_READY', 'SKYMAP_READY'] }),
    complete: true,
  },
  {
    name: 'CBC SSM without SKYMAP_READY',
    event: cbcEvent({ search: 'SSM', labels: ['EMBRIGHT_READY', 'PASTRO_READY'] }),
    complete: false,
  },
  {
    name: 'cWB BBH needs the CBC labels',
    event: cwbEvent({ search: 'BBH', labels: ['SKYMAP_READY'] }),
    complete: false,
  },
  {
    name: 'cWB BBH with the three',
    event: cwbEvent({ search: 'BBH', labels: READY }),
    complete: true,
  },
  {
    name: 'cWB AllSky with SKYMAP_READY',
    event: cwbEvent({ labels: ['SKYMAP_READY'] }),
    complete: true,
  },
  { name: 'oLIB AllSky without labels', event: olibEvent(), complete: false },
  {
    name: 'MLy AllSky with SKYMAP_READY',
    event: mlyEvent({ labels: ['SKYMAP_READY'] }),
    complete: true,
  },
  {
    name: 'Test AllSky mirrors CBC',
    event: cbcEvent({ group: 'Test', labels: READY }),
    complete: true,
  },
  {
    name: 'a Burst MDC candidate: not in the table, never complete',
    event: cwbEvent({ search: 'MDC', labels: READY }),
    complete: false,
  },
  {
    name: 'labels given as an object (old payloads)',
    event: { ...cbcEvent(), labels: { PASTRO_READY: {}, EMBRIGHT_READY: {}, SKYMAP_READY: {} } },
    complete: true,
  },
];

for (const c of completeness) {
  test(`completeness: ${c.name}`, () => assert.equal(isComplete(c.event), c.complete));
}

test('completeness: the required labels per group and search', () => {
  assert.deepEqual(requiredLabels(cbcEvent({ search: 'SSM' })), ['EMBRIGHT_READY', 'SKYMAP_READY']);
  assert.deepEqual(requiredLabels(cwbEvent()), ['SKYMAP_READY']);
  assert.equal(requiredLabels(cwbEvent({ search: 'MDC' })), undefined);
});

/**
 * Pairs where the first candidate must rank above the second, each decided by one key
 * component (gwcelery-spec §3.6), with the second better on every later component.
 */
const ranking: { name: string; better: CandidateEvent; worse: CandidateEvent; index: number }[] = [
  {
    name: 'complete beats incomplete, whatever follows',
    better: cbcEvent({ labels: READY, far: 1e-4, snr: 5, ifos: ['H1'] }),
    worse: cbcEvent({ far: 1e-12, snr: 30, ifos: ['H1', 'L1', 'V1'] }),
    index: 0,
  },
  {
    name: 'online and not INJ beats a passing FAR',
    better: cbcEvent({ far: 1e-4, snr: 5 }),
    worse: cbcEvent({ far: 1e-12, offline: true, snr: 30 }),
    index: 1,
  },
  {
    name: 'INJ loses like offline',
    better: cbcEvent({ far: 1e-4, snr: 5 }),
    worse: cbcEvent({ far: 1e-12, labels: ['INJ'], snr: 30 }),
    index: 1,
  },
  {
    name: 'passing the significant FAR test beats passing the less-significant one only',
    better: cbcEvent({ far: 1e-9, snr: 5, ifos: ['H1'] }),
    worse: cbcEvent({ far: 1e-6, snr: 30, ifos: ['H1', 'L1', 'V1'] }),
    index: 2,
  },
  {
    name: 'passing the less-significant FAR test beats passing neither',
    better: cbcEvent({ far: 1e-6, snr: 5, ifos: ['H1'] }),
    worse: cbcEvent({ far: 1e-4, snr: 30, ifos: ['H1', 'L1', 'V1'] }),
    index: 4,
  },
  {
    name: 'RAVEN_ALERT counts as passing',
    better: cbcEvent({ far: 1e-4, labels: ['RAVEN_ALERT'], snr: 5 }),
    worse: cbcEvent({ far: 1e-6, snr: 30 }),
    index: 2,
  },
  {
    name: 'CBC AllSky outranks CBC EarlyWarning (search rank 2 > 1)',
    better: cbcEvent({ far: 1e-4, snr: 5, ifos: ['H1'] }),
    worse: cbcEvent({ search: 'EarlyWarning', far: 1e-4, snr: 30, ifos: ['H1', 'L1', 'V1'] }),
    index: 5,
  },
  {
    name: 'CBC AllSky outranks Burst AllSky (2 > 0)',
    better: cbcEvent({ far: 1e-4, snr: 5 }),
    worse: cwbEvent({ far: 1e-4 }),
    index: 5,
  },
  {
    name: 'a listed search outranks an unlisted one (0 > −1)',
    better: cwbEvent({ far: 1e-4 }),
    worse: olibEvent({ search: null, far: 1e-4 }),
    index: 5,
  },
  {
    name: 'more detectors beat a louder CBC candidate',
    better: cbcEvent({ far: 1e-4, snr: 5, ifos: ['H1', 'L1', 'V1'] }),
    worse: cbcEvent({ far: 1e-4, snr: 30, ifos: ['H1', 'L1'] }),
    index: 6,
  },
  {
    name: 'higher network SNR wins among CBC candidates',
    better: cbcEvent({ far: 1e-4, snr: 12.5 }),
    worse: cbcEvent({ far: 1e-4, snr: 12.4 }),
    index: 7,
  },
  {
    name: 'lower FAR wins among Burst candidates',
    better: cwbEvent({ far: 1e-5 }),
    worse: cwbEvent({ far: 2e-5 }),
    index: 7,
  },
  {
    name: 'FAR 0 is the best Burst FAR',
    better: cwbEvent({ far: 0, search: 'IMBH' }),
    worse: cwbEvent({ far: 1e-30, search: 'IMBH' }),
    index: 7,
  },
];

for (const r of ranking) {
  test(`preferred-event key: ${r.name}`, () => {
    const a = preferredEventKey(r.better);
    const b = preferredEventKey(r.worse);
    assert.ok(compareKeys(a, b) > 0, `${JSON.stringify(a)} > ${JSON.stringify(b)}`);
    assert.ok(compareKeys(b, a) < 0);
    for (let i = 0; i < r.index; i++) assert.equal(a[i], b[i], `component ${i} ties`);
    assert.notEqual(a[r.index], b[r.index], `component ${r.index} decides`);
    assert.equal(selectPreferredEvent([r.worse, r.better]), r.better);
    assert.equal(selectPreferredEvent([r.better, r.worse]), r.better);
  });
}

test('preferred-event key: the components in order', () => {
  assert.deepEqual(
    preferredEventKey(cbcEvent({ labels: READY, far: 1e-9, snr: 11, ifos: ['H1', 'L1', 'V1'] })),
    [true, true, true, true, true, 2, 3, 11],
  );
  assert.deepEqual(preferredEventKey(cwbEvent({ far: 1e-6 })), [
    false,
    true,
    false,
    true,
    true,
    0,
    -1,
    -1e-6,
  ]);
  assert.equal(compareKeys(preferredEventKey(cbcEvent()), preferredEventKey(cbcEvent())), 0);
});

test('preferred-event key: the search rank comes from the configuration', () => {
  const settings = {
    ...DEFAULT_SUPEREVENT_SETTINGS,
    superevent_candidate_preference: { burst: { allsky: 5 }, cbc: { allsky: 2 } },
  };
  const burst = cwbEvent({ far: 1e-4 });
  const cbc = cbcEvent({ far: 1e-4 });
  assert.equal(selectPreferredEvent([cbc, burst]), cbc);
  assert.equal(selectPreferredEvent([cbc, burst], settings), burst);
});

test('selection: ties keep the first candidate, External events are ignored', () => {
  const a = cbcEvent({ graceid: 'G1' });
  const b = cbcEvent({ graceid: 'G2' });
  assert.equal(selectPreferredEvent([a, b])?.graceid, 'G1');
  assert.equal(selectPreferredEvent([b, a])?.graceid, 'G2');
  const external = { graceid: 'E1', group: 'External', pipeline: 'Fermi', labels: ['RAVEN_ALERT'] };
  assert.equal(selectPreferredEvent([external, a])?.graceid, 'G1');
  assert.equal(selectPreferredEvent([external]), undefined);
  assert.equal(selectPreferredEvent([]), undefined);
});

test('selection: the best candidate per pipeline', () => {
  const events = [
    cbcEvent({ graceid: 'G1', pipeline: 'gstlal', snr: 10 }),
    cbcEvent({ graceid: 'G2', pipeline: 'pycbc', snr: 9 }),
    cbcEvent({ graceid: 'G3', pipeline: 'gstlal', snr: 11 }),
    cbcEvent({ graceid: 'G4', pipeline: 'pycbc', snr: 8, labels: READY }),
    cwbEvent({ graceid: 'G5' }),
    { graceid: 'E1', group: 'External', pipeline: 'Fermi' },
  ];
  const best = selectPipelinePreferredEvents(events);
  assert.deepEqual(Object.fromEntries([...best].map(([p, e]) => [p, e.graceid])), {
    gstlal: 'G3',
    pycbc: 'G4',
    CWB: 'G5',
  });
});

test('preferred-event key: a CBC candidate without network SNR is an error naming the field', () => {
  const event = cbcEvent({ graceid: 'G42' });
  (event.extra_attributes as Record<string, unknown>).CoincInspiral = {};
  assert.throws(() => preferredEventKey(event), /event G42: extra_attributes\.CoincInspiral\.snr/);
});

const labelCases: { name: string; event: CandidateEvent; labels: string[] }[] = [
  {
    name: 'significant and complete',
    event: cbcEvent({ far: 1e-10, labels: READY }),
    labels: ['EM_READY', 'ADVREQ', 'SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED'],
  },
  { name: 'significant, incomplete', event: cbcEvent({ far: 1e-10 }), labels: ['ADVREQ'] },
  {
    name: 'significant early-warning search, complete',
    event: cbcEvent({ search: 'EarlyWarning', far: 1e-10, labels: READY }),
    labels: ['EM_READY', 'ADVREQ', 'EARLY_WARNING', 'LOW_SIGNIF_LOCKED'],
  },
  {
    name: 'significant AllSky candidate a pipeline labelled EARLY_WARNING, complete',
    event: cbcEvent({ far: 1e-10, labels: [...READY, 'EARLY_WARNING'] }),
    labels: ['EM_READY', 'ADVREQ', 'EARLY_WARNING', 'LOW_SIGNIF_LOCKED'],
  },
  {
    name: 'less-significant only, complete',
    event: cbcEvent({ far: 1e-6, labels: READY }),
    labels: ['EM_READY', 'LOW_SIGNIF_LOCKED'],
  },
  { name: 'less-significant only, incomplete', event: cbcEvent({ far: 1e-6 }), labels: [] },
  {
    name: 'not publishable, complete',
    event: cbcEvent({ far: 1e-4, labels: READY }),
    labels: ['EM_READY'],
  },
  {
    name: 'offline with a significant FAR, complete',
    event: cbcEvent({ far: 1e-10, offline: true, labels: READY }),
    labels: ['EM_READY'],
  },
  {
    name: 'RAVEN_ALERT with a high FAR, complete',
    event: cbcEvent({ far: 1e-4, labels: [...READY, 'RAVEN_ALERT'] }),
    labels: ['EM_READY', 'ADVREQ', 'SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED'],
  },
  {
    name: 'significant MDC, complete (MDC never less-significant on its own)',
    event: cbcEvent({ search: 'MDC', far: 1e-10, labels: READY }),
    labels: ['EM_READY', 'ADVREQ', 'SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED'],
  },
  {
    name: 'MDC between the cuts, complete',
    event: cbcEvent({ search: 'MDC', far: 1e-6, labels: READY }),
    labels: ['EM_READY'],
  },
];

for (const c of labelCases) {
  test(`superevent labels: ${c.name}`, () => assert.deepEqual(supereventLabels(c.event), c.labels));
}
