// The local back end's edges: a supervisor killed with SIGKILL leaves processes that `up`
// refuses to start beside and `down` still stops; logrotate (the real program) with the
// configuration `deploy logrotate` prints; systemd units that systemd-analyze accepts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { isSameProcessAlive } from '../../src/ops/deploy/local/process-identity.js';
import type { SupervisorReport } from '../../src/ops/deploy/local/supervisor.js';
import { logrotateConfig } from '../../src/ops/deploy/logrotate-config.js';
import { eventually } from '../helpers/process.js';
import { runGwcelery } from './helpers/run-cli.js';

const CHATTY = fileURLToPath(new URL('./fixtures/chatty-logger.mjs', import.meta.url));
const dirs: string[] = [];

function deploymentDir(config: Record<string, unknown>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gwt-deploy-')));
  dirs.push(dir);
  writeFileSync(join(dir, 'gwcelery.json'), JSON.stringify(config));
  return dir;
}

const deploy = (dir: string, ...args: string[]) =>
  runGwcelery(['--config-file', 'gwcelery.json', 'deploy', ...args], { cwd: dir });

after(async () => {
  for (const dir of dirs) {
    await deploy(dir, 'down');
    rmSync(dir, { recursive: true, force: true });
  }
});

const sleeper = (name: string) => ({
  name,
  args: ['-e', 'setInterval(() => {}, 1000)'],
  log_file: `{log_dir}/${name}.log`,
});

test('processes left by a killed supervisor block `up`, and `down` stops them', async () => {
  const dir = deploymentDir({
    deploy_command: [process.execPath],
    deploy_processes: [sleeper('a'), sleeper('b')],
  });
  const up = await deploy(dir, 'up');
  assert.equal(up.code, 0, up.stderr);
  const report = JSON.parse((await deploy(dir, 'status', '--json')).stdout) as SupervisorReport;
  const children = report.processes.map((p) => ({ pid: p.pid! }));
  assert.equal(
    readFileSync(join(dir, '.local/state/supervisor.pid'), 'utf8').split('\n')[0],
    String(report.pid),
  );

  process.kill(report.pid, 'SIGKILL');
  await eventually(() => (isSameProcessAlive({ pid: report.pid }) ? undefined : true));
  assert.ok(children.every(isSameProcessAlive), 'its children outlive it');

  const status = await deploy(dir, 'status');
  assert.equal(status.code, 3);
  const refused = await deploy(dir, 'up');
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /processes left by a supervisor that was killed: a pid \d+, b pid \d+/,
  );

  const down = await deploy(dir, 'down');
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stderr, /The supervisor is gone; stopping the 2 processes it left\./);
  assert.match(down.stdout, /^a: pid \d+ stopped$/m);
  assert.ok(!children.some(isSameProcessAlive), 'down stopped them');
  assert.equal(existsSync(join(dir, '.local/state/supervisor.pid')), false);

  const nothing = await deploy(dir, 'down');
  assert.equal(nothing.code, 0);
  assert.match(nothing.stdout, /No GWCelery processes run in this directory\./);
});

test('--foreground: the supervisor runs in the terminal, and Ctrl-C (SIGINT) stops everything', async () => {
  const dir = deploymentDir({
    deploy_command: [process.execPath],
    deploy_processes: [sleeper('a')],
  });
  const supervisor = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../../bin/gwcelery.js', import.meta.url)),
      '--config-file',
      'gwcelery.json',
      'deploy',
      'up',
      '--foreground',
    ],
    { cwd: dir, env: { ...process.env, GWCELERY_CONFIG: 'test' }, stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', resolve));
  const report = await eventually(async () => {
    const run = await deploy(dir, 'status', '--json');
    return run.code === 0 ? (JSON.parse(run.stdout) as SupervisorReport) : undefined;
  }, 30_000);
  assert.equal(report.pid, supervisor.pid);
  const child = { pid: report.processes[0].pid! };
  assert.ok(isSameProcessAlive(child));
  supervisor.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.equal(isSameProcessAlive(child), false, 'its process was stopped');
  assert.equal(existsSync(join(dir, '.local/state/supervisor.sock')), false);
});

const ticks = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { n: number }).n);
const readTicks = (path: string) => {
  try {
    return ticks(readFileSync(path, 'utf8'));
  } catch {
    return []; // not written yet
  }
};

const logrotate = ['/usr/sbin/logrotate', '/usr/bin/logrotate'].find(existsSync);

test('logrotate with the printed configuration: rotated, compressed, and the processes write to the new file', {
  skip: logrotate ? false : 'logrotate is not installed',
}, async () => {
  const dir = deploymentDir({
    deploy_command: [process.execPath, CHATTY],
    deploy_processes: [{ name: 'chatty', args: ['{log_file}'], log_file: '{log_dir}/chatty.log' }],
  });
  const logDir = join(dir, '.local/state/log');
  const up = await deploy(dir, 'up');
  assert.equal(up.code, 0, up.stderr);
  await eventually(() => (readTicks(join(logDir, 'chatty.log')).length > 5 ? true : undefined));

  const printed = await deploy(dir, 'logrotate');
  assert.equal(printed.code, 0, printed.stderr);
  for (const line of ['weekly', 'rotate 4', 'compress', 'dateext', 'missingok', 'postrotate']) {
    assert.match(printed.stdout, new RegExp(`^ +${line}$`, 'm'));
  }
  const conf = join(dir, 'logrotate.conf');
  writeFileSync(conf, printed.stdout, { mode: 0o644 });
  const rotated = spawnSync(
    logrotate!,
    ['--force', '--state', join(dir, 'logrotate.status'), conf],
    {
      encoding: 'utf8',
      env: { ...process.env, GWCELERY_CONFIG: 'test' },
      timeout: 60_000,
    },
  );
  assert.equal(rotated.status, 0, `${rotated.stdout}${rotated.stderr}`);
  assert.match(
    rotated.stdout,
    /Asked the supervisor \(pid \d+\) and its processes to reopen their logs/,
  );

  const archive = readdirSync(logDir).find((f) => /^chatty\.log-\d{8}\.gz$/.test(f));
  assert.ok(archive, `a dated, compressed archive in ${readdirSync(logDir)}`);
  const old = ticks(gunzipSync(readFileSync(join(logDir, archive))).toString());
  const fresh = await eventually(() => {
    const n = readTicks(join(logDir, 'chatty.log'));
    return n.length > 5 ? n : undefined;
  });
  assert.equal(fresh[0], old.at(-1)! + 1, 'the next line went to the new file: nothing lost');
  assert.equal(
    ticks(gunzipSync(readFileSync(join(logDir, archive))).toString()).length,
    old.length,
    'nothing more was written to the rotated file',
  );
  assert.ok(readdirSync(logDir).some((f) => /^gwcelery-supervisor\.log-\d{8}\.gz$/.test(f)));
  const report = JSON.parse((await deploy(dir, 'status', '--json')).stdout) as SupervisorReport;
  assert.equal(report.processes[0].restarts, 0, 'SIGHUP did not kill it');
  assert.equal((await deploy(dir, 'down')).code, 0);
});

test('logrotate --copytruncate (HTCondor): the process keeps writing at the start of the emptied file', {
  skip: logrotate ? false : 'logrotate is not installed',
}, async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gwt-deploy-')));
  dirs.push(dir);
  const logDir = join(dir, 'log');
  mkdirSync(logDir);
  const logFile = join(logDir, 'chatty.log');
  const chatty = spawn(process.execPath, [CHATTY, logFile], { stdio: 'ignore' });
  try {
    await eventually(() => (readTicks(logFile).length > 5 ? true : undefined));
    const conf = join(dir, 'logrotate.conf');
    writeFileSync(
      conf,
      logrotateConfig({
        logDir,
        cwd: dir,
        stateDir: dir,
        gwcelery: ['gwcelery'],
        copytruncate: true,
      }),
    );
    const rotated = spawnSync(logrotate!, ['--force', '--state', join(dir, 'status'), conf], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(rotated.status, 0, `${rotated.stdout}${rotated.stderr}`);
    const archive = readdirSync(logDir).find((f) => /^chatty\.log-\d{8}\.gz$/.test(f));
    assert.ok(archive);
    const old = ticks(gunzipSync(readFileSync(join(logDir, archive))).toString());
    const fresh = await eventually(() => {
      const n = readTicks(logFile);
      return n.length > 5 ? n : undefined;
    });
    assert.ok(
      !readFileSync(logFile).includes(0),
      'no hole of NUL bytes: appends follow the truncation',
    );
    assert.ok(fresh[0] > old.at(-1)!, 'the new file holds the lines written after the copy');
  } finally {
    chatty.kill('SIGTERM');
  }
});

test('the committed logrotate samples are what the generator prints', () => {
  const base = {
    logDir: '/home/emfollow/.local/state/log',
    cwd: '/home/emfollow',
    stateDir: '/home/emfollow/.local/state',
    gwcelery: ['/usr/bin/node', '/home/emfollow/gwcelery-ts/bin/gwcelery.js'],
  };
  const sample = (name: string) =>
    readFileSync(new URL(`../../deploy/${name}`, import.meta.url), 'utf8');
  assert.equal(sample('logrotate.conf'), logrotateConfig(base));
  assert.equal(sample('logrotate-condor.conf'), logrotateConfig({ ...base, copytruncate: true }));
});

const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find(existsSync);

test('systemd units: one service per process, the target, the private environment file', async () => {
  const dir = deploymentDir({
    deploy_processes: [
      {
        name: 'gwcelery-beat',
        args: ['beat', '-f', '{log_file}'],
        log_file: '{log_dir}/gwcelery-beat.log',
      },
      {
        name: 'gwcelery-openmp-worker',
        args: [
          'worker',
          '-n',
          '{name}@{host}',
          '-f',
          '{log_file}',
          '-Q',
          'openmp',
          '--title',
          '50% of $HOME',
        ],
        log_file: '{log_dir}/{name}@{host}.log',
        instances: 2,
        env: { OMP_NUM_THREADS: null, GREETING: 'a "quoted" value' },
      },
    ],
  });
  const units = join(dir, 'units');
  mkdirSync(units);
  const run = await runGwcelery(
    ['--config-file', 'gwcelery.json', 'deploy', 'systemd', '--dir', units],
    {
      cwd: dir,
      env: { GWCELERY_BROKER_URL: 'redis://:secret@127.0.0.1:6379/0' },
    },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(units).sort(), [
    'gwcelery-beat.service',
    'gwcelery-openmp-worker-0.service',
    'gwcelery-openmp-worker-1.service',
    'gwcelery.target',
  ]);
  assert.match(
    readFileSync(join(units, 'gwcelery.target'), 'utf8'),
    /^Wants=gwcelery-beat\.service gwcelery-openmp-worker-0\.service gwcelery-openmp-worker-1\.service$/m,
  );
  const worker = readFileSync(join(units, 'gwcelery-openmp-worker-1.service'), 'utf8');
  assert.match(
    worker,
    /^ExecStart=\S+node \S+\/bin\/gwcelery\.js worker -n gwcelery-openmp-worker-1@\S+ -f \.local\/state\/log\/gwcelery-openmp-worker-1@\S+\.log -Q openmp --title "50%% of \$\$HOME"$/m,
  );
  assert.match(worker, /^Environment="GREETING=a \\"quoted\\" value"$/m);
  assert.match(worker, /^UnsetEnvironment=OMP_NUM_THREADS$/m);
  assert.match(worker, /^Environment=GWCELERY_CONFIG_FILE=\S+\/gwcelery\.json$/m);
  assert.match(worker, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  assert.match(worker, /^TimeoutStopSec=8$/m);
  assert.doesNotMatch(worker, /secret/, 'credentials stay in the environment file');
  const envFile = join(dir, '.local/state/gwcelery-systemd.env');
  assert.match(
    readFileSync(envFile, 'utf8'),
    /^GWCELERY_BROKER_URL=redis:\/\/:secret@127\.0\.0\.1:6379\/0$/m,
  );
  assert.equal(statSync(envFile).mode & 0o777, 0o600);
  if (analyze) {
    const verify = spawnSync(
      analyze,
      ['verify', ...readdirSync(units).map((f) => join(units, f))],
      {
        encoding: 'utf8',
      },
    );
    // Older systemd does not know the growing restart delay (254+) and says so; nothing else.
    const complaints = verify.stderr
      .split('\n')
      .filter(Boolean)
      .filter((l) => !/Unknown key '(RestartSteps|RestartMaxDelaySec)'/.test(l));
    assert.deepEqual(complaints, []);
    assert.equal(verify.status, 0);
  }
});
