import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/engine/index.js';
import { eventually, gwcelery } from '../helpers/process.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const prefix = uniquePrefix('log');
after(() => deletePrefix(SHARED_REDIS_URL, prefix));

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('a worker logs JSON lines to its file, every task line carries the task id and name, and SIGHUP reopens the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gwc-log-'));
  const logfile = join(dir, 'worker.log');
  const env = {
    GWCELERY_BROKER_URL: SHARED_REDIS_URL,
    GWCELERY_REDIS_PREFIX: prefix,
    GWCELERY_LOG_LEVEL: 'info',
  };
  const worker = gwcelery(
    [
      'worker',
      '-Q',
      'celery',
      '-c',
      '1',
      '-n',
      'logger@test',
      '-f',
      logfile,
      '-I',
      'test/engine/fixtures/tasks.ts',
    ],
    env,
  );
  t.after(() => worker.kill('SIGKILL'));
  await eventually(() =>
    existsSync(logfile) && readFileSync(logfile, 'utf8').includes('worker ready')
      ? true
      : undefined,
  );

  const app = createApp(
    loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: { broker_url: SHARED_REDIS_URL, redis_prefix: prefix },
    }),
  );
  t.after(() => app.close());
  const failing = await app.sendTask('test.fail', ['S230101xy went wrong']);
  await assert.rejects(failing.get(20_000));
  const failure = await eventually(() =>
    lines(logfile).find((l) => l.msg === 'task test.fail failed'),
  );
  assert.equal(failure.task_id, failing.id);
  assert.equal(failure.task_name, 'test.fail');
  assert.equal(failure.name, 'logger@test', 'the node name is on every line');
  assert.equal(failure.level, 50);

  // logrotate moves the file, then sends SIGHUP: the worker writes to a new file at the old path.
  renameSync(logfile, `${logfile}.1`);
  worker.process.kill('SIGHUP');
  await new Promise((r) => setTimeout(r, 300));
  const again = await app.sendTask('test.fail', ['after rotation']);
  await assert.rejects(again.get(20_000));
  const rotated = await eventually(() =>
    existsSync(logfile) ? lines(logfile).find((l) => l.task_id === again.id) : undefined,
  );
  assert.equal(rotated.task_name, 'test.fail');
  assert.ok(
    !lines(`${logfile}.1`).some((l) => l.task_id === again.id),
    'nothing after the rotation went to the old file',
  );
  assert.equal(worker.process.exitCode, null, 'SIGHUP does not stop the worker');
});
