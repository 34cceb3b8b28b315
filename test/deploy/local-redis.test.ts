// Acceptance of the local back end on Redis: `deploy up` starts beat and two workers; a worker
// killed with SIGKILL mid-task is restarted and its task runs again; `deploy status` shows the
// restart; `deploy down` stops everything within the grace time.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/engine/index.js';
import { isSameProcessAlive } from '../../src/ops/deploy/local/process-identity.js';
import type { SupervisorReport } from '../../src/ops/deploy/local/supervisor.js';
import { eventually } from '../helpers/process.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { longJob, startsKey } from './fixtures/tasks.js';
import { runGwcelery } from './helpers/run-cli.js';

const TASKS = fileURLToPath(new URL('./fixtures/tasks.ts', import.meta.url));
const prefix = uniquePrefix('deploy');
process.env.GWCELERY_REDIS_PREFIX = prefix; // the fixture's key in this process too
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gwt-deploy-')));
const redis = new Redis(SHARED_REDIS_URL);
const env = {
  GWCELERY_REDIS_PREFIX: prefix,
  TEST_REDIS_URL: SHARED_REDIS_URL,
};

const worker = (name: string, queue: string) => ({
  name,
  args: ['worker', '-n', '{name}@{host}', '-f', '{log_file}', '-Q', queue, '-c', '1', '-I', TASKS],
  log_file: '{log_dir}/{name}@{host}.log',
});
writeFileSync(
  join(dir, 'gwcelery.json'),
  JSON.stringify({
    broker_url: SHARED_REDIS_URL,
    deploy_processes: [
      {
        name: 'gwcelery-beat',
        args: ['beat', '-f', '{log_file}'],
        log_file: '{log_dir}/gwcelery-beat.log',
      },
      worker('gwcelery-worker', 'celery'),
      worker('gwcelery-superevent-worker', 'superevent'),
    ],
  }),
);

const cli = (...args: string[]) =>
  runGwcelery(['--config-file', 'gwcelery.json', 'deploy', ...args], { cwd: dir, env });

async function status(): Promise<SupervisorReport> {
  const run = await cli('status', '--json');
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as SupervisorReport;
}

after(async () => {
  await cli('down'); // whatever a failed assertion left running
  redis.disconnect();
  await deletePrefix(SHARED_REDIS_URL, prefix);
  rmSync(dir, { recursive: true, force: true });
});

test('deploy up, a worker killed mid-task comes back and runs it, deploy down', async () => {
  const up = await cli('up');
  assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
  assert.match(up.stdout, /3 processes \(3 R\)/);
  assert.match(
    up.stdout,
    new RegExp(`gwcelery-worker +R .*\\.local/state/log/gwcelery-worker@${hostname()}\\.log`),
  );

  const again = await cli('up');
  assert.equal(again.code, 1);
  assert.match(
    again.stderr,
    /^error: GWCelery processes are already running in this directory\.\nFirst stop them with "gwcelery deploy down"\./,
  );

  const app = createApp(
    loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: { broker_url: SHARED_REDIS_URL, redis_prefix: prefix },
    }),
  );
  try {
    const result = await longJob.delay(60_000);
    const first = await eventually(
      async () => (await redis.lrange(startsKey(), 0, -1))[0],
      30_000,
      'the task to start',
    );
    const [workerName, pid] = first.split(' ');
    assert.equal(workerName, `gwcelery-worker@${hostname()}`);
    const before = (await status()).processes.find((p) => p.name === 'gwcelery-worker')!;
    assert.equal(String(before.pid), pid, 'the task runs in the supervised worker');

    process.kill(Number(pid), 'SIGKILL');
    assert.equal(await app.result(result.id).get(45_000), 'finished');

    const starts = await redis.lrange(startsKey(), 0, -1);
    assert.equal(starts.length, 2, `started twice: ${starts}`);
    const [againName, againPid] = starts[1].split(' ');
    assert.equal(againName, workerName, 'the restarted worker ran it again');
    assert.notEqual(againPid, pid);

    const report = await status();
    const restarted = report.processes.find((p) => p.name === 'gwcelery-worker')!;
    assert.equal(restarted.status, 'R');
    assert.equal(restarted.restarts, 1);
    assert.equal(String(restarted.pid), againPid);
    assert.equal(restarted.lastExit?.signal, 'SIGKILL');
    for (const p of report.processes.filter((p) => p.name !== 'gwcelery-worker')) {
      assert.equal(p.restarts, 0, `${p.name} was not restarted`);
    }
    const table = await cli('status');
    assert.match(table.stdout, /gwcelery-worker +R +\d+ +1 /);

    const down = await cli('down');
    assert.equal(down.code, 0, down.stderr);
    for (const name of ['gwcelery-beat', 'gwcelery-worker', 'gwcelery-superevent-worker']) {
      assert.match(
        down.stdout,
        new RegExp(`^${name}: exit 0$`, 'm'),
        'stopped by SIGTERM within the grace time',
      );
    }
    assert.match(down.stdout, /All GWCelery processes in this directory are stopped\./);
    for (const p of report.processes)
      assert.equal(isSameProcessAlive({ pid: p.pid! }), false, `${p.name} is gone`);
    assert.equal(isSameProcessAlive({ pid: report.pid }), false, 'the supervisor is gone');
    for (const file of ['supervisor.pid', 'supervisor.sock', 'supervisor-children.json']) {
      assert.equal(existsSync(join(dir, '.local/state', file)), false, `${file} removed`);
    }
    const log = readFileSync(join(dir, '.local/state/log/gwcelery-supervisor.log'), 'utf8');
    assert.match(log, /"msg":"gwcelery-worker exited unexpectedly"/);

    const none = await cli('status');
    assert.equal(none.code, 3);
    assert.match(none.stderr, /No GWCelery supervisor runs in this directory/);
  } finally {
    await app.close();
  }
});
