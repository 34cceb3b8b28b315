/**
 * The superevent manager in the one-process pipeline (startLocalStack): uploads to the embedded
 * GraceDB, IGWN alerts through the bus and the listener, superevents.handle on the general
 * queue, superevents.process on the single-writer superevent queue.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { IgwnAlert } from '../../src/bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../../src/bus/igwn-alert/registry.js';
import { loadConfig } from '../../src/config/index.js';
import { type App, defineTask } from '../../src/engine/index.js';
import type { GraceDbClient } from '../../src/gracedb/client.js';
import { type LocalStack, startLocalStack } from '../../src/ops/local-stack.js';
import '../../src/pipeline/index.js';
import {
  type CandidateEvent,
  isComplete,
  selectPreferredEvent,
} from '../../src/pipeline/superevents/rules.js';
import { PIPELINE_TOPICS } from '../../src/pipeline/superevents/tasks.js';
import { eventually } from '../helpers/process.js';
import { READY } from './events.js';
import { gracedbState, upload } from './gracedb-uploads.js';

/** Every alert on the pipeline topics, as the listener delivered it (the replay material). */
const delivered: IgwnAlert[] = [];
defineTask({ name: 'test.superevents.record_alert' }, (_ctx, alert: IgwnAlert) => {
  delivered.push(alert);
});
onIgwnAlert(PIPELINE_TOPICS, 'test.superevents.record_alert');

const QUEUES = { celery: 4, superevent: 1 };

async function startStack(t: { after(fn: () => Promise<void>): void }): Promise<LocalStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-superevents-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { data_dir: dataDir, log_level: 'error' },
  });
  const stack = await startLocalStack(config, { queues: QUEUES });
  t.after(async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return stack;
}

/** Waits until both queues have stayed empty and idle for half a second. */
async function settle(app: App): Promise<void> {
  let quiet = 0;
  await eventually(
    async () => {
      const stats = await app.broker.queueStats(Object.keys(QUEUES));
      // Only the queues this stack serves: the orchestrator also sends annotation tasks to
      // queues (em-bright, openmp) that have no worker here.
      const busy = Object.entries(stats).some(
        ([queue, s]) => queue in QUEUES && s.waiting + s.active + s.delayed > 0,
      );
      quiet = busy ? 0 : quiet + 1;
      return quiet >= 20 ? true : undefined;
    },
    60_000,
    'the queues to settle',
  );
}

/** Uploads near-simultaneously; resolves once every one belongs to a superevent. */
async function uploadAll(
  stack: LocalStack,
  count: number,
  options: (i: number) => Parameters<typeof upload>[1],
) {
  const events = await Promise.all(
    Array.from({ length: count }, (_, i) => upload(stack.gracedb, options(i))),
  );
  const gids = events.map((e) => String(e.graceid));
  await eventually(
    async () => {
      const found = await Promise.all(gids.map((gid) => stack.gracedb.getEvent(gid)));
      return found.every((e) => e.superevent) ? true : undefined;
    },
    60_000,
    'every upload to join a superevent',
  );
  await settle(stack.app);
  return gids;
}

/**
 * Applies the READY labels the orchestrator would, and waits until the listener has delivered
 * every one of their alerts (so that their handler tasks are queued before the queues settle).
 */
async function complete(client: GraceDbClient, gids: string[]): Promise<void> {
  await Promise.all(gids.flatMap((gid) => READY.map((label) => client.createLabel(label, gid))));
  const isReadyAlert = (a: IgwnAlert) =>
    a.alert_type === 'label_added' &&
    gids.includes(a.uid) &&
    READY.includes(String((a.data as { name?: unknown }).name));
  await eventually(
    () => (delivered.filter(isReadyAlert).length >= gids.length * READY.length ? true : undefined),
    60_000,
    'the READY label alerts',
  );
}

const PIPELINES = ['gstlal', 'pycbc', 'MBTA'];

function jitter(i: number): number {
  // Deterministic spread: ±5 ms around the signal, SNR within ±1.
  return ((i * 7919) % 101) / 100 - 0.5;
}

test('16 near-simultaneous uploads from three pipelines: one superevent, the highest-ranked complete candidate preferred', async (t) => {
  const stack = await startStack(t);
  const T = 1400000000.25;
  // FARs between the less-significant cut (2.3e-5 Hz) and the entry cut (2.8e-4 Hz): grouped,
  // never locked, so the preferred event follows the ranking to the end.
  const gids = await uploadAll(stack, 16, (i) => ({
    pipeline: PIPELINES[i % 3]!,
    gpstime: T + jitter(i) / 100,
    far: 5e-5,
    snr: 12 + jitter(i) * 2,
    ifos: i % 4 === 0 ? ['H1', 'L1', 'V1'] : ['H1', 'L1'],
  }));
  const superevents = await stack.gracedb.getSuperevents('');
  assert.equal(superevents.length, 1, 'exactly one superevent');
  const sid = superevents[0]!.superevent_id;
  assert.deepEqual([...superevents[0]!.gw_events].sort(), [...gids].sort());
  const before = await fresh(stack.gracedb, gids);
  assert.equal(superevents[0]!.preferred_event, selectPreferredEvent(before)?.graceid);

  // The orchestrator's READY labels land on six of them at once: the best complete one wins.
  const chosen = gids.filter((_, i) => i % 3 === 1);
  await complete(stack.gracedb, chosen);
  await eventually(
    async () =>
      (await stack.gracedb.getSuperevent(sid)).labels.includes('EM_READY') ? true : undefined,
    60_000,
    'EM_READY',
  );
  await settle(stack.app);
  const events = await fresh(stack.gracedb, gids);
  const best = selectPreferredEvent(events)!;
  assert.ok(chosen.includes(String(best.graceid)) && isComplete(best));
  const s = await stack.gracedb.getSuperevent(sid);
  assert.equal(s.preferred_event, best.graceid, 'the highest-ranked complete candidate');
  assert.equal(s.t_0, best.gpstime);
  assert.deepEqual(s.labels, ['EM_READY'], 'not publishable: no ADVREQ, no lock');
  await checkPriorities(stack.app);

  // Redelivery: every alert of the pipeline topics again, through superevents.handle, and the
  // process tasks twice over: GraceDB does not change.
  const snapshot = await gracedbState(stack.gracedb, gids);
  const mine = delivered.filter((a) => gids.includes(a.uid));
  assert.ok(mine.length >= 16 + chosen.length * 3, `${mine.length} alerts recorded`);
  for (const [i, alert] of mine.entries()) {
    await stack.app.sendTask('superevents.handle', [alert], { taskId: `replay-${i}` });
    if (alert.alert_type === 'new') {
      await stack.app.sendTask('superevents.process', [alert], {
        taskId: `again-${i}`,
        priority: 1,
      });
    }
  }
  const direct = await stack.app
    .result(`again-${mine.findIndex((a) => a.alert_type === 'new')}`)
    .get(60_000);
  assert.equal((direct as { superevent_id: string }).superevent_id, sid);
  await settle(stack.app);
  assert.deepEqual(await gracedbState(stack.gracedb, gids), snapshot);
});

test('significant uploads: the first complete candidate locks the superevent; later ones change only the window', async (t) => {
  const stack = await startStack(t);
  const T = 1400001000.5;
  const gids = await uploadAll(stack, 16, (i) => ({
    pipeline: PIPELINES[i % 3]!,
    gpstime: T + jitter(i) / 100,
    far: 1e-10,
    snr: 12 + jitter(i) * 2,
  }));
  const [{ superevent_id: sid }] = await stack.gracedb.getSuperevents('');
  assert.deepEqual((await stack.gracedb.getSuperevent(sid!)).labels, ['ADVREQ']);
  const events = await fresh(stack.gracedb, gids);
  const quietest = events.reduce((a, b) => (snrOf(a) <= snrOf(b) ? a : b));
  await complete(stack.gracedb, [String(quietest.graceid)]);
  await eventually(
    async () =>
      (await stack.gracedb.getSuperevent(sid!)).labels.includes('LOW_SIGNIF_LOCKED')
        ? true
        : undefined,
    60_000,
    'LOW_SIGNIF_LOCKED',
  );
  await settle(stack.app);
  // A late, louder, complete upload with a wider window: it joins, the window grows, the
  // preferred event stays frozen.
  const late = await upload(stack.gracedb, {
    pipeline: 'spiir',
    gpstime: T + 1.5,
    far: 1e-12,
    snr: 40,
    labels: READY,
  });
  await complete(
    stack.gracedb,
    gids.filter((gid) => gid !== quietest.graceid),
  );
  await eventually(
    async () =>
      (await stack.gracedb.getEvent(String(late.graceid))).superevent ? true : undefined,
    60_000,
    'the late upload to join',
  );
  await settle(stack.app);
  const s = await stack.gracedb.getSuperevent(sid!);
  assert.equal(s.preferred_event, quietest.graceid);
  assert.equal(s.gw_events.length, 17);
  assert.ok(Math.abs(s.t_end - (T + 2.5)) < 1e-6, `window grew to ${s.t_end}`);
  assert.deepEqual([...s.labels].sort(), [
    'ADVREQ',
    'EM_READY',
    'LOW_SIGNIF_LOCKED',
    'SIGNIF_LOCKED',
  ]);
});

function snrOf(event: CandidateEvent): number {
  return (event.extra_attributes as { CoincInspiral: { snr: number } }).CoincInspiral.snr;
}

async function fresh(client: GraceDbClient, gids: string[]): Promise<CandidateEvent[]> {
  return (await Promise.all(gids.map((gid) => client.getEvent(gid)))) as CandidateEvent[];
}

/** New uploads were processed at priority 1, label completions at 0 (gwcelery-spec §2.4). */
async function checkPriorities(app: App): Promise<void> {
  const events = await app.broker.readEvents(undefined, 100_000);
  const sent = events
    .map((e) => e.event)
    .filter((e) => e.type === 'task-sent' && e.name === 'superevents.process');
  const byType = (type: string) => sent.filter((e) => e.args?.includes(`"alert_type":"${type}"`));
  assert.ok(byType('new').length >= 16);
  assert.ok(byType('label_added').length >= 1);
  assert.ok(byType('new').every((e) => e.priority === 1));
  assert.ok(byType('label_added').every((e) => e.priority === 0));
}
