import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CandidateEventError,
  DEFAULT_SUPEREVENT_SETTINGS,
  entryDecision,
  type PipelineAlert,
} from '../../src/pipeline/superevents/rules.js';
import { cbcEvent, cwbEvent, nextUp, READY } from './events.js';

const FAR_CUT = DEFAULT_SUPEREVENT_SETTINGS.superevent_far_threshold;

function withRows(ifos: string[], instruments: string) {
  const event = cbcEvent({ ifos });
  event.instruments = instruments;
  return event;
}

const cases: { name: string; alert: PipelineAlert; expect: false | 0 | 1 }[] = [
  { name: 'a new CBC candidate', alert: { alert_type: 'new', object: cbcEvent() }, expect: 1 },
  {
    name: 'KAGRA in the SingleInspiral rows',
    alert: { alert_type: 'new', object: cbcEvent({ ifos: ['H1', 'K1'] }) },
    expect: false,
  },
  {
    name: 'KAGRA in `instruments` of an event without SingleInspiral rows',
    alert: { alert_type: 'new', object: { ...cwbEvent(), instruments: 'H1,K1' } },
    expect: false,
  },
  {
    name: 'the SingleInspiral rows decide over `instruments`',
    alert: { alert_type: 'new', object: withRows(['H1', 'L1'], 'H1,K1,L1') },
    expect: 1,
  },
  {
    name: 'a VTInjection candidate',
    alert: { alert_type: 'new', object: cbcEvent({ search: 'VTInjection' }) },
    expect: false,
  },
  {
    name: 'a candidate without FAR (null)',
    alert: { alert_type: 'new', object: cbcEvent({ far: null }) },
    expect: false,
  },
  {
    name: 'a candidate without FAR (absent)',
    alert: { alert_type: 'new', object: { ...cbcEvent(), far: undefined } },
    expect: false,
  },
  {
    name: 'FAR exactly at superevent_far_threshold',
    alert: { alert_type: 'new', object: cbcEvent({ far: FAR_CUT }) },
    expect: 1,
  },
  {
    name: 'FAR just above superevent_far_threshold',
    alert: { alert_type: 'new', object: cbcEvent({ far: nextUp(FAR_CUT) }) },
    expect: false,
  },
  { name: 'a log alert', alert: { alert_type: 'log', object: cbcEvent() }, expect: false },
  { name: 'an update alert', alert: { alert_type: 'update', object: cbcEvent() }, expect: false },
  {
    name: 'an added_to_superevent alert',
    alert: { alert_type: 'added_to_superevent', object: cbcEvent() },
    expect: false,
  },
  {
    name: 'RAVEN_ALERT on an incomplete candidate',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ labels: ['RAVEN_ALERT'] }),
      data: { name: 'RAVEN_ALERT' },
    },
    expect: 0,
  },
  {
    name: 'the READY label that completes a CBC candidate',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ labels: READY }),
      data: { name: 'SKYMAP_READY' },
    },
    expect: 0,
  },
  {
    name: 'a READY label on a CBC candidate still incomplete',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ labels: ['SKYMAP_READY', 'EMBRIGHT_READY'] }),
      data: { name: 'SKYMAP_READY' },
    },
    expect: false,
  },
  {
    name: 'a label that is not a READY label of the search, on a complete candidate',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ labels: [...READY, 'DQOK'] }),
      data: { name: 'DQOK' },
    },
    expect: false,
  },
  {
    name: 'PASTRO_READY completing a cWB BBH candidate (looked up as CBC)',
    alert: {
      alert_type: 'label_added',
      object: cwbEvent({ search: 'BBH', labels: READY }),
      data: { name: 'PASTRO_READY' },
    },
    expect: 0,
  },
  {
    name: 'PASTRO_READY on a cWB AllSky candidate (Burst needs SKYMAP_READY only)',
    alert: {
      alert_type: 'label_added',
      object: cwbEvent({ labels: READY }),
      data: { name: 'PASTRO_READY' },
    },
    expect: false,
  },
  {
    name: 'SKYMAP_READY completing a cWB AllSky candidate',
    alert: {
      alert_type: 'label_added',
      object: cwbEvent({ labels: ['SKYMAP_READY'] }),
      data: { name: 'SKYMAP_READY' },
    },
    expect: 0,
  },
  {
    name: 'EMBRIGHT_READY completing an SSM candidate (no p_astro)',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ search: 'SSM', labels: ['EMBRIGHT_READY', 'SKYMAP_READY'] }),
      data: { name: 'EMBRIGHT_READY' },
    },
    expect: 0,
  },
  {
    name: 'a complete label_added with KAGRA data is still dropped',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ ifos: ['H1', 'K1'], labels: READY }),
      data: { name: 'SKYMAP_READY' },
    },
    expect: false,
  },
  {
    name: 'RAVEN_ALERT on a candidate above the FAR threshold is still dropped',
    alert: {
      alert_type: 'label_added',
      object: cbcEvent({ far: 1e-3, labels: ['RAVEN_ALERT'] }),
      data: { name: 'RAVEN_ALERT' },
    },
    expect: false,
  },
];

for (const c of cases) {
  test(`entry filter: ${c.name}`, () => {
    const decision = entryDecision(c.alert);
    if (c.expect === false) {
      assert.equal(decision.process, false, decision.reason);
      assert.ok(decision.reason.length > 0, 'a skip says why');
    } else {
      assert.equal(decision.process, true, decision.reason);
      assert.equal(decision.process && decision.priority, c.expect);
    }
  });
}

test('entry filter: the FAR threshold comes from the configuration', () => {
  const settings = { ...DEFAULT_SUPEREVENT_SETTINGS, superevent_far_threshold: 1e-12 };
  const alert = { alert_type: 'new', object: cbcEvent({ far: 1e-10 }) };
  assert.equal(entryDecision(alert, settings).process, false);
  assert.equal(entryDecision(alert).process, true);
});

test('entry filter: malformed alerts are errors that name the event and the field', () => {
  assert.throws(
    () => entryDecision({ alert_type: 'label_added', object: cbcEvent({ graceid: 'G77' }) }),
    (err: unknown) =>
      err instanceof CandidateEventError && err.graceid === 'G77' && /data\.name/.test(err.message),
  );
  assert.throws(
    () =>
      entryDecision({
        alert_type: 'new',
        object: { ...cbcEvent({ graceid: 'G78' }), far: '1' as unknown as number },
      }),
    /event G78: far must be a finite non-negative number/,
  );
  const badRows = cbcEvent({ graceid: 'G79' });
  (badRows.extra_attributes as Record<string, unknown>).SingleInspiral = [{ chisq: 1 }];
  assert.throws(
    () => entryDecision({ alert_type: 'new', object: badRows }),
    /event G79: extra_attributes\.SingleInspiral\[0\]\.ifo must be a detector name/,
  );
});
