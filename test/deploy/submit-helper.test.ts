// gwcelery-condor-submit-helper: the broker URL from the machine ad, {host} filled in, CMD run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  brokerUrlFor,
  clientMachine,
  planSubmitHelper,
  SubmitHelperError,
} from '../../src/ops/deploy/condor/submit-helper.js';

const HELPER = fileURLToPath(
  new URL('../../bin/gwcelery-condor-submit-helper.js', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'gwt-helper-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A machine ad as a starter writes it: one `Name = value` per line. */
const AD = [
  'Arch = "X86_64"',
  'Cpus = 64',
  'Machine = "node123.cluster.ldas.cit"',
  'clientmachine = "emfollow.ligo.caltech.edu"',
  'Online_EMFollow = true',
  'Name = "slot1@node123.cluster.ldas.cit"',
].join('\n');

function adFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('ClientMachine is found whatever its case, with ClassAd string escapes', () => {
  assert.equal(clientMachine(AD, 'ad'), 'emfollow.ligo.caltech.edu');
  assert.equal(clientMachine('ClientMachine = "a\\"b"\n', 'ad'), 'a"b');
  assert.throws(
    () => clientMachine('Machine = "node1"\n', '/scratch/.machine.ad'),
    (err: Error) =>
      err instanceof SubmitHelperError &&
      /no ClientMachine = "<host>" attribute in the machine ad \/scratch\/\.machine\.ad/.test(
        err.message,
      ),
  );
  assert.throws(() => clientMachine('ClientMachine = ""\n', 'ad'), /ClientMachine in ad is empty/);
});

test('the broker URL points at the submit host, keeping a configured port, database and password', () => {
  assert.equal(brokerUrlFor('emfollow', undefined), 'redis://emfollow');
  assert.equal(brokerUrlFor('emfollow', ''), 'redis://emfollow');
  assert.equal(
    brokerUrlFor('emfollow', 'redis://:s3cret@127.0.0.1:6380/2'),
    'redis://:s3cret@emfollow:6380/2',
  );
  assert.equal(brokerUrlFor('emfollow', 'memory://'), 'redis://emfollow');
});

test('the plan: {host} becomes this node, the environment gains the broker URL', () => {
  const plan = planSubmitHelper(
    ['gwcelery', 'worker', '-n', 'gwcelery-openmp-worker-3@{host}', '-f', 'log/{host}.log'],
    { _CONDOR_MACHINE_AD: adFile('plan.ad', AD), HOME: '/home/emfollow' },
    'node123',
  );
  assert.deepEqual(plan.argv, [
    'gwcelery',
    'worker',
    '-n',
    'gwcelery-openmp-worker-3@node123',
    '-f',
    'log/node123.log',
  ]);
  assert.equal(plan.env.GWCELERY_BROKER_URL, 'redis://emfollow.ligo.caltech.edu');
  assert.equal(plan.env.HOME, '/home/emfollow');
  assert.throws(() => planSubmitHelper(['gwcelery'], {}), /_CONDOR_MACHINE_AD is not set/);
  assert.throws(
    () => planSubmitHelper(['gwcelery'], { _CONDOR_MACHINE_AD: join(dir, 'missing.ad') }),
    /cannot read the machine ad .*missing\.ad/,
  );
});

function runHelper(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [HELPER, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the helper command runs CMD with the broker URL and passes its exit status back', async () => {
  const ad = adFile('run.ad', AD);
  const show =
    'console.log(JSON.stringify({ url: process.env.GWCELERY_BROKER_URL, args: process.argv.slice(1) })); process.exit(7)';
  const run = await runHelper([process.execPath, '-e', show, 'w@{host}'], {
    _CONDOR_MACHINE_AD: ad,
  });
  assert.equal(run.code, 7, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    url: 'redis://emfollow.ligo.caltech.edu',
    args: [`w@${hostname()}`],
  });
});

test('the helper command fails clearly without the attribute, and runs nothing', async () => {
  const ad = adFile('bad.ad', 'Machine = "node1"\n');
  const marker = join(dir, 'ran');
  const run = await runHelper(
    [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
    {
      _CONDOR_MACHINE_AD: ad,
    },
  );
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /error: no ClientMachine = "<host>" attribute in the machine ad .*bad\.ad/,
  );
  assert.throws(() => rmSync(marker), /ENOENT/, 'CMD did not run');
  const usage = await runHelper([], { _CONDOR_MACHINE_AD: ad });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /usage: gwcelery-condor-submit-helper CMD/);
});
