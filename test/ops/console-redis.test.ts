import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import '../../src/engine/builtin-tasks.js';
import { loadConfig } from '../../src/config/index.js';
import { App, createBroker, Worker } from '../../src/engine/index.js';
import { startConsole } from '../../src/ops/console/start-console.js';
import { startTestGraceDb, TOKEN } from '../gracedb/helpers.js';
import { eventually } from '../helpers/process.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { ConsoleClient } from './helpers/console-client.js';

test('a console watching a Redis deployment: tasks from another app, workers, Redis memory', async () => {
  const prefix = uniquePrefix('ops-console');
  const dir = mkdtempSync(join(tmpdir(), 'ops-console-redis-'));
  const gracedb = await startTestGraceDb();
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: {
      broker_url: SHARED_REDIS_URL,
      redis_prefix: prefix,
      data_dir: dir,
      gracedb_host: gracedb.service.url,
      gracedb_token: TOKEN,
      health_redis_memory_warn_mb: 0.001,
    },
  });
  // The deployment (a worker and a sender) and the console are separate apps, as separate
  // processes would be: the console knows the tasks only through Redis.
  const deployment = new App(config, createBroker(config));
  const worker = new Worker(deployment, {
    queues: ['celery'],
    concurrency: 2,
    name: 'gwcelery-worker@redis-host',
  });
  await worker.start();
  const consoleApp = new App(config, createBroker(config));
  const running = await startConsole({ app: consoleApp, config, port: 0 });
  try {
    const sent = await deployment.sendTask('gwcelery.ping', ['S230518h']);
    assert.equal(await sent.get(5000), 'S230518h');
    const client = new ConsoleClient(running.url);
    const page = await eventually(async () => {
      const text = await (await client.get(`/tasks?subject=S230518h`)).text();
      return text.includes(sent.id) && text.includes('SUCCESS') ? text : undefined;
    });
    assert.match(page, /gwcelery-worker@redis-host/);
    const workers = await (await client.get('/workers/panel')).text();
    assert.match(workers, /gwcelery-worker@redis-host/);
    assert.match(workers, /online/);
    const health = await (await client.get('/health/panel')).text();
    assert.match(health, /<span class="level warning">warning<\/span> used [\d.]+ (KiB|MiB|GiB)/);
    assert.match(health, /append-only file/);
    const metrics = await (await client.get('/metrics')).text();
    assert.match(metrics, /gwcelery_tasks_total\{name="gwcelery.ping",state="succeeded"\} 1/);
    assert.match(metrics, /gwcelery_broker_up 1/);
  } finally {
    await running.close();
    await worker.stop(100);
    await consoleApp.close();
    await deployment.close();
    await gracedb.close();
    await deletePrefix(SHARED_REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
});
