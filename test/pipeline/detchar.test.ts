import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import {
  type BitState,
  checkVectors,
  NO_FRAMES,
  setStateVectorSource,
} from '../../src/pipeline/detchar.js';
import { coincXml } from '../gracedb/coinc-fixture.js';
import { startTestGraceDb, type TestGraceDb } from '../gracedb/helpers.js';

let g: TestGraceDb;
const config = loadConfig({ env: { GWCELERY_CONFIG: 'test' } });

before(async () => {
  g = await startTestGraceDb();
});
after(() => g?.close());
afterEach(() => setStateVectorSource(NO_FRAMES));

const past = unixToGps(Date.parse('2024-05-01T00:00:00Z') / 1000);

async function superevent(ifos = ['H1', 'L1'], search = 'AllSky') {
  const created = await g.client.createEvent(
    coincXml({ gpstime: past, far: 1e-10, ifos }),
    search,
    'gstlal',
    'CBC',
  );
  const sid = (await g.client.createSuperevent(created.graceid, past, past - 1, past + 1))!;
  return { sid, event: await g.client.getEvent(created.graceid) };
}

/** Bits answered from a table: channel → bit → state (absent channels are unreadable). */
function source(states: Record<string, Record<number, BitState>>) {
  return {
    description: 'test',
    async bits(channel: string) {
      return states[channel];
    },
  };
}

const ALL_GOOD = { 0: true, 1: true, 5: true, 6: true, 7: true, 8: true, 10: true };

test('without frames every bit is unknown: three unknown messages, a DQR file, no label', async () => {
  const { sid, event } = await superevent();
  const result = await checkVectors(g.client, config, event, sid, past - 1, past + 1);
  assert.equal(result.overall, 'unknown');
  const log = await g.client.getLog(sid);
  const dq = log.filter((e) => e.tag_names.includes('data_quality')).map((e) => e.comment);
  assert.equal(dq.length, 3);
  assert.equal(dq[0], 'Injection state unknown. Check looked within -2/+2 seconds of superevent. ');
  assert.match(dq[1]!, /^Detector state for active instruments is unknown\. <table>/);
  assert.match(
    dq[1]!,
    /H1:GDS-CALIB_STATE_VECTOR:HOFT_OK<\/td><td style="background-color:yellow">Unknown/,
  );
  assert.doesNotMatch(dq[1]!, /V1:/, 'only the active detectors are judged');
  assert.match(dq[1]!, /gated h\(t\): H1:DMT-DQ_VECTOR, L1:DMT-DQ_VECTOR not checked/);
  assert.equal(
    dq[2],
    'iDQ false alarm probabilities unknown. Check looked within -2/+2 seconds of superevent. ',
  );
  const dqr = JSON.parse(
    (await g.client.download(`gwcelerydetcharcheckvectors-${sid}.json`, sid)).toString(),
  );
  assert.equal(dqr.state, 'error');
  assert.match(dqr.summary, /unknown/);
  const labels = await g.client.getLabels(sid);
  assert.ok(!labels.has('DQOK') && !labels.has('DQV') && !labels.has('INJ'));
});

test('good bits in the active detectors give DQOK; a bad bit gives DQV and removes DQOK', async () => {
  const { sid, event } = await superevent();
  setStateVectorSource(
    source({ 'H1:GDS-CALIB_STATE_VECTOR': ALL_GOOD, 'L1:GDS-CALIB_STATE_VECTOR': ALL_GOOD }),
  );
  const good = await checkVectors(g.client, config, event, sid, past - 1, past + 1);
  assert.equal(good.overall, 'good');
  assert.ok(good.event.labels.includes('DQOK'));
  assert.ok((await g.client.getLabels(sid)).has('DQOK'));
  const dqr = JSON.parse(
    (await g.client.download(`gwcelerydetcharcheckvectors-${sid}.json`, sid)).toString(),
  );
  assert.equal(dqr.state, 'pass');
  setStateVectorSource(
    source({
      'H1:GDS-CALIB_STATE_VECTOR': { ...ALL_GOOD, 1: false },
      'L1:GDS-CALIB_STATE_VECTOR': ALL_GOOD,
    }),
  );
  const bad = await checkVectors(g.client, config, good.event, sid, past - 1, past + 1);
  assert.equal(bad.overall, 'bad');
  const labels = await g.client.getLabels(sid);
  assert.ok(labels.has('DQV') && !labels.has('DQOK'));
  assert.deepEqual(
    bad.event.labels.filter((l) => l.startsWith('DQ')),
    ['DQV'],
  );
});

test('an injection counts only in an active detector (the §13 V1 bug fixed)', async () => {
  const { sid, event } = await superevent(['H1', 'L1']);
  setStateVectorSource(
    source({
      'H1:GDS-CALIB_STATE_VECTOR': ALL_GOOD,
      'L1:GDS-CALIB_STATE_VECTOR': ALL_GOOD,
      'V1:DQ_ANALYSIS_STATE_VECTOR': { ...ALL_GOOD, 6: false },
    }),
  );
  const result = await checkVectors(g.client, config, event, sid, past - 1, past + 1);
  assert.equal(result.overall, 'good');
  assert.ok(!(await g.client.getLabels(sid)).has('INJ'), 'V1 is not active');
  const messages = (await g.client.getLog(sid)).map((e) => e.comment);
  assert.ok(messages.some((m) => m.startsWith('Injection found. <table>')));

  setStateVectorSource(
    source({
      'H1:GDS-CALIB_STATE_VECTOR': { ...ALL_GOOD, 6: false },
      'L1:GDS-CALIB_STATE_VECTOR': ALL_GOOD,
      'V1:DQ_ANALYSIS_STATE_VECTOR': ALL_GOOD,
    }),
  );
  const injected = await checkVectors(g.client, config, event, sid, past - 1, past + 1);
  assert.ok(injected.event.labels.includes('INJ'));
  assert.ok((await g.client.getLabels(sid)).has('INJ'));
  setStateVectorSource(
    source({
      'H1:GDS-CALIB_STATE_VECTOR': ALL_GOOD,
      'L1:GDS-CALIB_STATE_VECTOR': ALL_GOOD,
      'V1:DQ_ANALYSIS_STATE_VECTOR': ALL_GOOD,
    }),
  );
  const clean = await checkVectors(g.client, config, injected.event, sid, past - 1, past + 1);
  assert.ok(!clean.event.labels.includes('INJ'));
  assert.ok(!(await g.client.getLabels(sid)).has('INJ'), 'no injection: INJ removed');
});

test('MDC events and windows ending in the future are not checked', async () => {
  const mdc = await superevent(['H1', 'L1'], 'MDC');
  const before = (await g.client.getLog(mdc.sid)).length;
  assert.equal(
    (await checkVectors(g.client, config, mdc.event, mdc.sid, past - 1, past + 1)).overall,
    'skipped',
  );
  const { sid, event } = await superevent();
  const now = unixToGps(Date.now() / 1000);
  assert.equal(
    (await checkVectors(g.client, config, event, sid, now - 1, now + 60)).overall,
    'skipped',
  );
  assert.equal((await g.client.getLog(mdc.sid)).length, before, 'nothing written');
});
