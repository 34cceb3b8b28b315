// `gwcelery condor ...` against recording stand-ins for the HTCondor tools (HTCondor cannot be
// installed here): the exact command lines, the submit description, the duplicate guard and the
// resubmit wait.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { renderSubmitDescription } from '../../src/ops/deploy/condor/condor-commands.js';
import { parseJobAds } from '../../src/ops/deploy/condor/job-queue.js';
import {
  condorArguments,
  condorEnvironment,
  deploymentConstraint,
} from '../../src/ops/deploy/condor/quote.js';
import { processInstances } from '../../src/ops/deploy/manifest.js';
import { shellCommandLine, shellQuote } from '../../src/ops/deploy/shell-quote.js';
import { CondorStubs } from './helpers/condor-stubs.js';
import { runGwcelery } from './helpers/run-cli.js';

const FIXTURES = new URL('../fixtures/deploy/', import.meta.url);

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function assertGolden(actual: string, name: string): void {
  const path = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `differs from test/fixtures/deploy/${name}`);
}

/** Settings that make the description independent of this machine and checkout. */
const PORTABLE = {
  GWCELERY_DEPLOY_COMMAND: '["gwcelery"]',
  GWCELERY_DEPLOY_SUBMIT_HELPER_COMMAND: '["gwcelery-condor-submit-helper"]',
  GWCELERY_DEPLOY_HOSTNAME: 'emfollow.ligo.caltech.edu',
};

describe('the submit description', () => {
  test('the default manifest: 25 jobs, the reference layout without Flower', () => {
    const config = loadConfig({ env: { GWCELERY_CONFIG: 'production', ...PORTABLE } });
    const text = renderSubmitDescription({ config, cwd: '/home/emfollow' });
    assertGolden(text, 'gwcelery.sub');
    const queued = [...text.matchAll(/^queue(?: (\d+))?$/gm)].reduce(
      (n, m) => n + Number(m[1] ?? 1),
      0,
    );
    assert.equal(queued, 25);
  });

  test('settings carried over from a previous job are reset; quoting survives spaces and quotes', () => {
    const config = loadConfig({
      env: { GWCELERY_CONFIG: 'test', ...PORTABLE },
      overrides: {
        condor_accounting_group_user: 'albert.einstein',
        deploy_processes: [
          {
            name: 'node-job',
            args: ['worker', '-n', '{name}@{host}', '-f', '{log_file}', '-Q', 'openmp'],
            log_file: '{log_dir}/{name}@{host}.log',
            instances: 3,
            env: { GREETING: 'it\'s a "test"', OMP_NUM_THREADS: null },
            condor: {
              universe: 'vanilla',
              request_cpus: 4,
              request_disk: '1GB',
              requirements: '(TARGET.Online_EMFollow =?= True)',
              attributes: { Online_EMFollow: 'True' },
            },
          },
          {
            name: 'local-job',
            args: ['beat', '-f', '{log_file}', '--title', 'two words'],
            log_file: '{log_dir}/local job.log',
          },
        ],
      },
    });
    const text = renderSubmitDescription({
      config,
      cwd: '/home/emfollow',
      configFile: '/home/emfollow/gwcelery.json',
    });
    assertGolden(text, 'custom.sub');
    const local = text.slice(text.indexOf('# local-job'));
    for (const reset of [
      'environment = "GWCELERY_CONFIG_FILE=/home/emfollow/gwcelery.json"',
      'request_cpus =\n',
      'request_disk = 7GB',
      'requirements =\n',
      '+Online_EMFollow = undefined',
    ]) {
      assert.ok(local.includes(reset), `local-job resets with '${reset.trim()}'`);
    }
  });

  test('an unknown placeholder or a duplicate name is a configuration error naming the process', () => {
    assert.throws(
      () =>
        loadConfig({
          env: { GWCELERY_CONFIG: 'test' },
          overrides: {
            deploy_processes: [{ name: 'x', args: ['beat', '-f', '{logfile}'], log_file: 'x.log' }],
          },
        }),
      /deploy_processes.*process 'x': unknown placeholder \{logfile\}/,
    );
    assert.throws(
      () =>
        loadConfig({
          env: { GWCELERY_CONFIG: 'test' },
          overrides: {
            deploy_processes: [
              { name: 'x', args: ['beat'], log_file: 'a.log' },
              { name: 'x', args: ['beat'], log_file: 'b.log' },
            ],
          },
        }),
      /process name 'x' is used twice/,
    );
    assert.throws(
      () =>
        renderSubmitDescription({
          config: loadConfig({
            env: { GWCELERY_CONFIG: 'test' },
            overrides: { deploy_instances: { 'gwcelery-openmpworker': 2 } },
          }),
          cwd: '/home/emfollow',
        }),
      /deploy_instances names 'gwcelery-openmpworker', not in deploy_processes/,
    );
  });

  test('the same manifest on the local back end: 25 processes with the reference names', () => {
    const config = loadConfig({ env: { GWCELERY_CONFIG: 'production', ...PORTABLE } });
    const processes = processInstances(config);
    assert.equal(processes.length, 25);
    assert.deepEqual(
      processes.slice(0, 3).map((p) => p.name),
      ['gwcelery-beat', 'gwcelery-console', 'gwcelery-worker'],
    );
    const openmp = processes.find((p) => p.name === 'gwcelery-openmp-worker-14')!;
    assert.deepEqual(openmp.args, [
      'worker',
      '-l',
      'info',
      '-n',
      'gwcelery-openmp-worker-14@emfollow.ligo.caltech.edu',
      '-f',
      '.local/state/log/gwcelery-openmp-worker-14@emfollow.ligo.caltech.edu.log',
      '-Q',
      'openmp',
      '-c',
      '1',
    ]);
    assert.equal(new Set(processes.map((p) => p.logFile)).size, 25, 'one log file each');
  });

  test('deploy_instances changes a count, and 0 leaves a process out', () => {
    const config = loadConfig({
      env: { GWCELERY_CONFIG: 'test', ...PORTABLE },
      overrides: { deploy_instances: { 'gwcelery-openmp-worker': 2, 'gwcelery-console': 0 } },
    });
    const text = renderSubmitDescription({ config, cwd: '/home/emfollow' });
    assert.match(text, /description = gwcelery-openmp-worker-\$\(Step\)[\s\S]*\nqueue 2\n/);
    assert.doesNotMatch(text, /gwcelery-console/);
  });
});

describe('quoting', () => {
  test('shell quoting reads back as the same words', () => {
    assert.equal(shellQuote('condor_q'), 'condor_q');
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellQuote(`it's`), `'it'"'"'s'`);
    assert.equal(
      shellCommandLine(['condor_rm', '-constraint', 'JobBatchName=="gwcelery" && Iwd=="/x"']),
      `condor_rm -constraint 'JobBatchName=="gwcelery" && Iwd=="/x"'`,
    );
  });

  test("HTCondor's new argument and environment syntax", () => {
    assert.equal(
      condorArguments(['a', 'b c', `it's`, 'say "hi"', '']),
      `"a 'b c' 'it''s' 'say ""hi""' ''"`,
    );
    assert.equal(condorEnvironment({ A: '1', B: 'two words' }), `"A=1 'B=two words'"`);
    assert.throws(() => condorArguments(['a\nb']), /line break/);
  });

  test('the job selector JSON-quotes the directory', () => {
    assert.equal(
      deploymentConstraint('/home/o"brien\\x'),
      'JobBatchName=="gwcelery" && Iwd=="/home/o\\"brien\\\\x"',
    );
  });

  test('condor_q -xml: job ads, no jobs, and output that is not ClassAd XML', () => {
    const jobs = parseJobAds(readFileSync(new URL('condor_q-jobs.xml', FIXTURES), 'utf8'));
    assert.deepEqual(jobs, [
      { id: '4242.0', description: 'gwcelery-beat', status: 2 },
      { id: '4242.1', description: 'gwcelery-worker', status: 3 },
    ]);
    assert.deepEqual(
      parseJobAds(readFileSync(new URL('condor_q-empty.xml', FIXTURES), 'utf8')),
      [],
    );
    assert.deepEqual(parseJobAds(''), []);
    assert.throws(
      () => parseJobAds('-- Failed to fetch ads from: <127.0.0.1:9618>'),
      /condor_q -xml printed malformed XML/,
    );
    assert.throws(() => parseJobAds('<jobs><job/></jobs>'), /no <classads> document/);
  });
});

describe('gwcelery condor', () => {
  let stubs: CondorStubs;
  let dir: string;
  let constraint: string;
  let env: Record<string, string>;

  before(() => {
    stubs = new CondorStubs();
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'gwt-condor-home-')));
    constraint = `JobBatchName=="gwcelery" && Iwd==${JSON.stringify(dir)}`;
    env = {
      ...stubs.env(),
      ...PORTABLE,
      GWCELERY_CONDOR_STOP_POLL_S: '0.05',
      GWCELERY_CONDOR_STOP_TIMEOUT_S: '10',
    };
  });
  after(() => {
    stubs.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    stubs.jobsFor(0);
    stubs.takeCalls();
  });

  const submitCall = [
    'condor_submit',
    'accounting_group=ligo.dev.o4.cbc.pe.bayestar',
    '.local/state/gwcelery.sub',
  ];

  test('submit writes the description, prints the command line and runs condor_submit', async () => {
    const run = await runGwcelery(['condor', 'submit'], { cwd: dir, env });
    assert.equal(run.code, 0, run.stderr);
    const [first, ...rest] = run.stdout.split('\n');
    assert.equal(first, shellCommandLine(submitCall));
    assert.match(rest.join('\n'), /25 job\(s\) submitted to cluster 4243/);
    assert.deepEqual(stubs.takeCalls(), [
      ['condor_q', '-xml', '-constraint', constraint],
      submitCall,
    ]);
    assert.ok(
      statSync(join(dir, '.local/state/log')).isDirectory(),
      'the job event log can be created',
    );
    const written = readFileSync(join(dir, '.local/state/gwcelery.sub'), 'utf8');
    assert.equal(stubs.submitted(), written, 'condor_submit read the file just written');
    assert.equal(
      written,
      renderSubmitDescription({
        config: loadConfig({ env: { GWCELERY_CONFIG: 'test', ...PORTABLE } }),
        cwd: dir,
      }),
    );
  });

  test('submit refuses a second deployment in the same directory', async () => {
    stubs.jobsFor('always');
    const run = await runGwcelery(['condor', 'submit'], { cwd: dir, env });
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      'error: GWCelery jobs are already running in this directory.\n' +
        'First remove existing jobs with "gwcelery condor rm".\n' +
        'To see the status of those jobs, run "gwcelery condor q".\n',
    );
    assert.equal(run.stdout, '');
    assert.deepEqual(stubs.takeCalls(), [['condor_q', '-xml', '-constraint', constraint]]);
  });

  test("rm, hold, release and q run the HTCondor tool on this directory's jobs", async () => {
    for (const [action, argv] of [
      ['rm', ['condor_rm', '-constraint', constraint]],
      ['hold', ['condor_hold', '-constraint', constraint]],
      ['release', ['condor_release', '-constraint', constraint]],
      ['q', ['condor_q', '-nobatch', '-constraint', constraint]],
    ] as const) {
      const run = await runGwcelery(['condor', action], { cwd: dir, env });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        run.stdout.split('\n')[0],
        shellCommandLine(argv),
        `${action} prints its command`,
      );
      assert.deepEqual(stubs.takeCalls(), [argv]);
      if (action === 'q') assert.match(run.stdout, /4242\.1 .* X .* gwcelery-worker/);
    }
  });

  test("the tool's exit status becomes the command's", async () => {
    stubs.failNext('condor_rm', 3);
    const run = await runGwcelery(['condor', 'rm'], { cwd: dir, env });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /condor_rm stand-in told to fail/);
  });

  test('resubmit removes the jobs, waits until they are gone, then submits', async () => {
    stubs.jobsFor(3); // the check and two polls still see jobs
    const run = await runGwcelery(['condor', 'resubmit'], { cwd: dir, env });
    assert.equal(run.code, 0, run.stderr);
    const q = ['condor_q', '-xml', '-constraint', constraint];
    assert.deepEqual(stubs.takeCalls(), [
      q,
      ['condor_rm', '-constraint', constraint],
      q,
      q,
      q,
      submitCall,
    ]);
    assert.equal(
      run.stdout.split('\n')[0],
      shellCommandLine(['condor_rm', '-constraint', constraint]),
    );
    assert.ok(run.stdout.includes(shellCommandLine(submitCall)));
  });

  test('resubmit with nothing running submits without condor_rm', async () => {
    const run = await runGwcelery(['condor', 'resubmit'], { cwd: dir, env });
    assert.equal(run.code, 0, run.stderr);
    const calls = stubs.takeCalls();
    assert.deepEqual(
      calls.map((c) => c[0]),
      ['condor_q', 'condor_q', 'condor_submit'],
    );
  });

  test('resubmit gives up when the jobs never leave, and submits nothing', async () => {
    stubs.jobsFor('always');
    const run = await runGwcelery(['condor', 'resubmit'], {
      cwd: dir,
      env: { ...env, GWCELERY_CONDOR_STOP_TIMEOUT_S: '0.3' },
    });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'error: Could not stop all GWCelery jobs\n');
    const programs = stubs.takeCalls().map((c) => c[0]);
    assert.equal(programs[1], 'condor_rm');
    assert.ok(programs.filter((p) => p === 'condor_q').length >= 3, 'it polled');
    assert.ok(!programs.includes('condor_submit'));
  });

  test('a failing condor_q stops submit with its message', async () => {
    stubs.failNext('condor_q', 2);
    const run = await runGwcelery(['condor', 'submit'], { cwd: dir, env });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /condor_q failed \(exit status 2\): ERROR: condor_q stand-in told to fail/,
    );
    assert.deepEqual(
      stubs.takeCalls().map((c) => c[0]),
      ['condor_q'],
    );
  });

  test('no HTCondor on PATH is a clear error', async () => {
    const run = await runGwcelery(['condor', 'q'], {
      cwd: dir,
      env: { ...env, PATH: '/nonexistent' },
      bin: undefined,
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /condor_q not found on PATH/);
  });
});
