import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { chain, createApp, defineTask, type TaskEvent, Worker } from '../../src/engine/index.js';
import { HistoryIngester } from '../../src/ops/history/history-ingester.js';
import { TaskHistory } from '../../src/ops/history/task-history.js';
import { eventually } from '../helpers/process.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'ops-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const add = defineTask({ name: 'history_test.add' }, (_ctx, a: number, b: number) => a + b);
const double = defineTask({ name: 'history_test.double' }, (_ctx, x: number) => x * 2);
const fail = defineTask({ name: 'history_test.fail' }, (_ctx, superevent: string) => {
  throw new Error(`cannot handle ${superevent}`);
});
let flaky = 0;
const retrying = defineTask(
  { name: 'history_test.flaky', retry: { maxRetries: 2, backoffS: 0.01, on: () => true } },
  () => {
    flaky++;
    if (flaky < 2) throw new Error('transient');
    return 'ok';
  },
);

test('tasks run on the embedded broker are merged into one searchable row each', async () => {
  const app = createApp(
    loadConfig({ env: { GWCELERY_CONFIG: 'test' }, overrides: { broker_url: '' } }),
  );
  const worker = new Worker(app, { queues: ['celery'], concurrency: 4, name: 'history-worker' });
  await worker.start();
  const history = new TaskHistory(join(dir, 'embedded.sqlite'));
  const ingester = new HistoryIngester(app.broker, history, {
    retentionMs: 86400_000,
    waitMs: 100,
  });
  ingester.start();
  try {
    const sum = await add.delay(2, 3);
    assert.equal(await sum.get(5000), 5);
    const failed = await fail.delay('S230518h');
    await assert.rejects(failed.get(5000), /cannot handle S230518h/);
    const flakyResult = await retrying.delay();
    assert.equal(await flakyResult.get(5000), 'ok');
    const canvas = await app.apply(chain(add.s(1, 1), double.s()));
    assert.equal(await canvas.get(5000), 4);
    await app.events.flush();

    const failedRow = await eventually(() => {
      const row = history.get(failed.id);
      return row?.state === 'FAILURE' ? row : undefined;
    });
    assert.equal(failedRow.name, 'history_test.fail');
    assert.equal(failedRow.worker, 'history-worker');
    assert.match(failedRow.error ?? '', /Error: cannot handle S230518h/);
    assert.match(failedRow.traceback ?? '', /cannot handle S230518h/);
    assert.deepEqual(failedRow.subjects, ['S230518h']);
    assert.equal(failedRow.queue, 'celery');

    // By superevent id, by state, by name.
    assert.deepEqual(
      history.search({ subject: 'S230518h' }).map((r) => r.id),
      [failed.id],
    );
    assert.ok(history.search({ state: 'FAILURE' }).some((r) => r.id === failed.id));
    assert.ok(history.search({ state: 'SUCCESS', name: 'add' }).some((r) => r.id === sum.id));
    assert.equal(history.search({ id: sum.id.slice(0, 8) })[0]?.id, sum.id);

    const flakyRow = await eventually(() => {
      const row = history.get(flakyResult.id);
      return row?.state === 'SUCCESS' ? row : undefined;
    });
    assert.equal(flakyRow.retries, 1);
    const types = history.timeline(flakyResult.id).map((t) => t.type);
    assert.deepEqual(types, [
      'task-sent',
      'task-started',
      'task-retried',
      'task-started',
      'task-succeeded',
    ]);

    // The chain: the second task's parent is the first; both share the root.
    const child = await eventually(() => {
      const row = history.search({ name: 'history_test.double' })[0];
      return row?.state === 'SUCCESS' ? row : undefined;
    });
    assert.ok(child.parentId);
    assert.deepEqual(
      history.children(child.parentId!).map((r) => r.id),
      [child.id],
    );
    assert.equal(history.tree(child.rootId!).length, 2);

    const activity = history.queueActivity(Date.now() - 60_000);
    assert.ok(activity.celery.sent >= 5);
    assert.ok(activity.celery.failed >= 1);
  } finally {
    await ingester.stop();
    await worker.stop();
    await app.close();
    history.close();
  }
});

test('events arriving out of order end in the state of the latest one', () => {
  const history = new TaskHistory(':memory:');
  const base = { id: 't1', name: 'x.y' };
  const events: TaskEvent[] = [
    { ...base, type: 'task-succeeded', timestamp: 3000, runtimeMs: 5, result: '1' },
    { ...base, type: 'task-started', timestamp: 2000, worker: 'w' },
    { ...base, type: 'task-sent', timestamp: 1000, queue: 'celery', args: '[1]' },
  ];
  const result = history.ingest(events);
  assert.equal(result.inserted, 3);
  const row = history.get('t1')!;
  assert.equal(row.state, 'SUCCESS');
  assert.equal(row.sentAt, 1000);
  assert.equal(row.args, '[1]');
  assert.equal(row.firstAt, 1000);
  // A batch read twice (a crash before the cursor was stored) changes nothing.
  assert.equal(history.ingest(events).inserted, 0);
  // Malformed entries are skipped, not fatal.
  assert.equal(history.ingest([{ bogus: true } as unknown as TaskEvent]).inserted, 0);
  history.close();
});

test('retention prunes tasks whose last event is older than the window', () => {
  const history = new TaskHistory(':memory:');
  history.ingest([
    { type: 'task-sent', id: 'old', name: 'a', timestamp: 1000, subjects: ['S1'] },
    { type: 'task-sent', id: 'new', name: 'a', timestamp: 9000 },
  ]);
  assert.equal(history.prune(5000, 1), 1);
  assert.equal(history.get('old'), undefined);
  assert.deepEqual(history.search({ subject: 'S1' }), []);
  assert.equal(history.timeline('old').length, 0);
  assert.ok(history.get('new'));
  history.close();
});

test('on Redis, a restarted ingester resumes after the stored cursor', async () => {
  const prefix = uniquePrefix('ops-history');
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { broker_url: SHARED_REDIS_URL, redis_prefix: prefix },
  });
  const app = createApp(config);
  const path = join(dir, 'redis.sqlite');
  try {
    const first = (n: number): TaskEvent[] =>
      Array.from({ length: n }, (_, i) => ({
        type: 'task-sent' as const,
        id: `r${i}`,
        name: 'history_test.add',
        timestamp: Date.now(),
      }));
    await app.broker.emitEvents(first(30));
    let history = new TaskHistory(path);
    let ingester = new HistoryIngester(app.broker, history, {
      retentionMs: 86400_000,
      batch: 7,
      waitMs: 100,
      source: `redis:${prefix}`,
    });
    ingester.start();
    await ingester.waitCaughtUp();
    assert.equal(history.size(), 30);
    await ingester.stop();
    history.close();

    await app.broker.emitEvents([
      { type: 'task-started', id: 'r0', name: 'history_test.add', timestamp: Date.now() },
      { type: 'task-sent', id: 'later', name: 'history_test.add', timestamp: Date.now() },
    ]);
    history = new TaskHistory(path);
    ingester = new HistoryIngester(app.broker, history, {
      retentionMs: 86400_000,
      waitMs: 100,
      source: `redis:${prefix}`,
    });
    const inserted: number[] = [];
    ingester.onIngest((r) => inserted.push(r.inserted));
    ingester.start();
    await eventually(() => (history.get('later') ? true : undefined));
    // Only the two new events were read again: the first 30 were behind the cursor.
    assert.deepEqual(inserted, [2]);
    assert.equal(history.get('r0')?.state, 'STARTED');
    await ingester.stop();
    history.close();
  } finally {
    await app.close();
    await deletePrefix(SHARED_REDIS_URL, prefix);
  }
});
