/**
 * Mock events through the one-process pipeline (startLocalStack), as `npm start` runs them:
 * beat sends first2years.upload_event at start, the uploads reach the embedded GraceDB, the
 * superevent manager makes one MDC superevent, and the mock advocate signs it off.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { beatSchedule } from '../../src/engine/index.js';
import { type LocalStack, startLocalStack } from '../../src/ops/local-stack.js';
import '../../src/pipeline/index.js';
import type { MockEventResult } from '../../src/pipeline/mock/upload-mock-event.js';
import type { SnewsEventResult } from '../../src/pipeline/mock/upload-snews-event.js';
import { eventually } from '../helpers/process.js';
import { needsShared } from '../helpers/shared.js';

const QUEUES = { celery: 4, superevent: 1 };

async function startStack(
  t: { after(fn: () => Promise<void>): void },
  overrides: Record<string, unknown>,
  beat = false,
): Promise<LocalStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-mock-e2e-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: {
      data_dir: dataDir,
      log_level: 'error',
      mock_events_upload_spread_s: 1,
      mock_events_vetting_delay_s: 1,
      mock_snews_interval_s: 0,
      ...overrides,
    },
  });
  const stack = await startLocalStack(config, { queues: QUEUES, beat });
  t.after(async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return stack;
}

/** The mock event beat sent at start (its task id is `beat-<entry>-<time>`). */
async function beatMockEvent(stack: LocalStack): Promise<MockEventResult> {
  const result = await eventually(
    async () => {
      const sent = await stack.gracedb.getEvents('search: MDC');
      return sent.length ? sent : undefined;
    },
    30_000,
    'the mock event beat sends at start',
  );
  return { graceid: String(result[0]!.graceid) } as MockEventResult;
}

test('npm start’s path: beat uploads a mock event at start, it becomes one MDC superevent, and the mock advocate signs it off', async (t) => {
  const stack = await startStack(
    t,
    {
      mock_events_source: 'generated',
      mock_events_interval_s: 3600,
      mock_events_simulate_multiple_uploads: 4,
      mock_events_vetting_ok_probability: 1,
      joint_mdc_freq: 1,
    },
    true,
  );
  assert.deepEqual(
    stack.beat?.entries.map((e) => [e.task, e.everyS]),
    [['first2years.upload_event', 3600]],
  );
  await beatMockEvent(stack);
  const superevent = await eventually(
    async () => {
      const [found] = await stack.gracedb.getSuperevents('MDC');
      return found && found.gw_events.length === 4 ? found : undefined;
    },
    30_000,
    'an MDC superevent with the four uploads',
  );
  assert.match(superevent.superevent_id, /^MS\d{6}[a-z]+$/);
  assert.equal((await stack.gracedb.getSuperevents('MDC')).length, 1, 'one superevent');
  const events = await Promise.all(superevent.gw_events.map((g) => stack.gracedb.getEvent(g)));
  for (const event of events) {
    assert.equal(event.group, 'CBC');
    assert.equal(event.pipeline, 'gstlal');
    assert.equal(event.search, 'MDC');
  }
  assert.equal(new Set(events.map((e) => e.far)).size, 4, 'each copy has its own FAR');
  // Significant (FAR far below one per month): the advocate is requested, then signs off OK.
  await eventually(
    async () =>
      (await stack.gracedb.getLabels(superevent.superevent_id)).has('ADVOK') ? true : undefined,
    30_000,
    'the mock advocate’s ADVOK',
  );
  const labels = await stack.gracedb.getLabels(superevent.superevent_id);
  assert.ok(!labels.has('ADVREQ'), 'the signoff answers the request');
  const log = await stack.gracedb.getLog(superevent.superevent_id);
  assert.ok(log.some((e) => /Advocate signoff certified status as OK/.test(e.comment)));

  // joint_mdc_freq 1: every MDC superevent gets one to three mock GRBs in coincidence.
  const grbs = await eventually(
    async () => {
      const found = await stack.gracedb.getEvents('group: External search: MDC');
      return found.length ? found : undefined;
    },
    30_000,
    'the mock GRBs of the joint MDC superevent',
  );
  assert.ok(grbs.length >= 1 && grbs.length <= 3);
  assert.equal(new Set(grbs.map((g) => g.pipeline)).size, grbs.length, 'one per mission');
  for (const grb of grbs) {
    assert.ok(['Fermi', 'Swift', 'INTEGRAL'].includes(grb.pipeline));
    const dt = grb.gpstime! - superevent.t_0;
    assert.ok(dt >= -1.01 && dt <= 5.01, `${grb.pipeline} at ${dt} s from t₀`);
  }
});

test('the console’s mock joint event: a mock event, then a Fermi MDC GRB beside it', async (t) => {
  const stack = await startStack(t, {
    mock_events_source: 'generated',
    mock_events_simulate_multiple_uploads: 1,
    mock_events_vetting_delay_s: 3600,
    joint_mdc_freq: 1000,
  });
  // As the console's form sends it: the GRB task receives the mock event's result.
  const result = await stack.app.apply({
    kind: 'chain',
    id: '',
    tasks: [
      {
        kind: 'task',
        id: '',
        task: 'first2years.upload_event',
        args: [],
        kwargs: {},
        options: {},
        immutable: true,
      },
      {
        kind: 'task',
        id: '',
        task: 'first2years_external.upload_joint_grb',
        args: [],
        kwargs: { pipeline: 'Fermi', ext_search: 'MDC' },
        options: { countdown: 0.5 },
        immutable: false,
      },
    ],
  });
  const grb = (await result.get(60_000)) as { graceid: string; gpstime: number };
  const [mock] = await stack.gracedb.getEvents('group: CBC search: MDC');
  const event = await stack.gracedb.getEvent(grb.graceid);
  assert.deepEqual([event.group, event.pipeline, event.search], ['External', 'Fermi', 'MDC']);
  const dt = event.gpstime! - mock!.gpstime!;
  assert.ok(dt >= -1.01 && dt <= 5.01, `GRB ${dt} s from the mock event`);

  const alone = await stack.app.sendTask('first2years_external.upload_joint_grb', [], {
    kwargs: { pipeline: 'Fermi' },
  });
  await assert.rejects(alone.get(30_000), /needs the mock event it joins/);
});

test(
  'the task on demand: N uploads of a first-two-years coincidence, a NO signoff, and a SNEWS MDC event',
  needsShared('gwcelery/first2years/gstlal.xml.gz'),
  async (t) => {
    const stack = await startStack(t, {
      mock_events_source: 'first2years',
      mock_events_vetting_ok_probability: 0,
    });
    const result = (await (
      await stack.app.sendTask('first2years.upload_event', [], { kwargs: { uploads: 3 } })
    ).get(60_000)) as MockEventResult;
    assert.equal(result.graceids.length, 3);
    assert.equal(result.origin.source, 'first2years');
    const superevent = await eventually(
      async () => {
        const [found] = await stack.gracedb.getSuperevents(`MDC event: ${result.graceid}`);
        return found && found.gw_events.length === 3 ? found : undefined;
      },
      30_000,
      'the superevent of the three uploads',
    );
    assert.ok(Math.abs(superevent.t_0 - result.gpstime) < 1e-3);
    await eventually(
      async () =>
        (await stack.gracedb.getLabels(superevent.superevent_id)).has('ADVNO') ? true : undefined,
      30_000,
      'the mock advocate’s ADVNO',
    );

    const snews = (await (
      await stack.app.sendTask('first2years_external.upload_snews_event', [])
    ).get(30_000)) as SnewsEventResult;
    const event = await stack.gracedb.getEvent(snews.graceid);
    assert.deepEqual([event.group, event.pipeline, event.search], ['External', 'SNEWS', 'MDC']);
    assert.equal(
      (event.extra_attributes as { GRB: { trigger_id: string } }).GRB.trigger_id,
      snews.trigger_id,
    );
  },
);

test('beat runs the mock events at their configured periods, and 0 turns each off', () => {
  const config = (overrides: Record<string, unknown>) =>
    loadConfig({ env: { GWCELERY_CONFIG: 'test' }, overrides });
  const entries = (overrides: Record<string, unknown>) =>
    beatSchedule(config(overrides))
      .filter((e) => e.task.startsWith('first2years'))
      .map((e) => [e.task, e.everyS]);
  // The test suite's preset sends none unless a test asks.
  assert.deepEqual(entries({}), []);
  assert.deepEqual(entries({ mock_events_interval_s: 3600, mock_snews_interval_s: 7200 }), [
    ['first2years.upload_event', 3600],
    ['first2years_external.upload_snews_event', 7200],
  ]);
  assert.deepEqual(entries({ mock_events_interval_s: 30, mock_snews_interval_s: 0 }), [
    ['first2years.upload_event', 30],
  ]);
  assert.deepEqual(entries({ mock_events_interval_s: 0, mock_snews_interval_s: 0 }), []);
  const dev = loadConfig({ env: { GWCELERY_CONFIG: 'development' } });
  assert.equal(dev.mock_events_interval_s, 300, 'development: a mock event every few minutes');
  assert.equal(dev.mock_events_simulate_multiple_uploads, 16);
  const production = loadConfig({ env: { GWCELERY_CONFIG: 'production' } });
  assert.equal(production.mock_events_simulate_multiple_uploads, 1);
  assert.equal(production.mock_events_vetting_delay_s, 600);
  assert.equal(production.mock_events_interval_s, 3600, 'the canary runs in production too');
  assert.equal(production.mock_snews_interval_s, 7200);
});

test('a missing first-two-years file is a configuration error naming the key', async (t) => {
  const stack = await startStack(t, {
    mock_events_source: 'first2years',
    first2years_path: '/nonexistent/gstlal.xml.gz',
    // The task's failure is the expected outcome; keep it out of the test output.
    log_level: 'silent',
  });
  const sent = await stack.app.sendTask('first2years.upload_event', []);
  await assert.rejects(
    sent.get(30_000),
    /first2years_path \(\/nonexistent\/gstlal\.xml\.gz\) does not exist/,
  );
  assert.equal((await stack.gracedb.getEvents('search: MDC')).length, 0, 'nothing uploaded');
});
