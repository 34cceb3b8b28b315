// The supervisor in this process, over small node children: restart with backoff, the grace
// time, hold and release, selection by name, output and the registry.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterEach, describe, test } from 'node:test';
import pino from 'pino';
import { nextCrashCount, restartDelayS } from '../../src/ops/deploy/local/backoff.js';
import { isSameProcessAlive } from '../../src/ops/deploy/local/process-identity.js';
import type { ProcessDefinition } from '../../src/ops/deploy/local/supervised-process.js';
import {
  type RegisteredProcess,
  Supervisor,
  UnknownProcessError,
} from '../../src/ops/deploy/local/supervisor.js';
import { eventually } from '../helpers/process.js';

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

function child(
  name: string,
  script: string,
  extra: Partial<ProcessDefinition> = {},
): ProcessDefinition {
  return {
    name,
    argv: [process.execPath, '-e', script],
    env: process.env,
    cwd: process.cwd(),
    logFile: `${name}.log`,
    restart: 'always',
    reopensLogOnHup: false,
    ...extra,
  };
}

const SLEEPER = 'setInterval(() => {}, 1000)';
const policy = { baseS: 0.05, maxS: 0.4, stableAfterS: 100 };
const running: Supervisor[] = [];

function supervise(
  defs: ProcessDefinition[],
  options: Partial<ConstructorParameters<typeof Supervisor>[1]> = {},
) {
  const { log, lines } = capturingLogger();
  const supervisor = new Supervisor(defs, { policy, graceMs: 2000, log, ...options });
  running.push(supervisor);
  supervisor.start();
  return { supervisor, lines };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
});

const status = (s: Supervisor, name: string) =>
  s.report('/').processes.find((p) => p.name === name)!;

describe('restart policy', () => {
  test('the wait doubles with each crash in a row, up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => restartDelayS(policy, n)),
      [0.05, 0.1, 0.2, 0.4, 0.4],
    );
  });
  test('a crash after a stable run starts the count again', () => {
    assert.equal(nextCrashCount(policy, 4, 99), 5);
    assert.equal(nextCrashCount(policy, 4, 100), 1);
  });
});

describe('the supervisor', () => {
  test('a process that keeps crashing is restarted after doubling waits', async () => {
    const { supervisor, lines } = supervise([
      child('crasher', 'setTimeout(() => process.exit(3), 30)'),
    ]);
    const seen: number[] = [];
    await eventually(() => {
      const p = status(supervisor, 'crasher');
      if (p.status === 'I' && p.nextStartAt && p.lastExit && !seen.includes(p.crashesInARow)) {
        assert.equal(p.lastExit.code, 3);
        assert.equal(p.nextStartAt - p.lastExit.at, restartDelayS(policy, p.crashesInARow) * 1000);
        seen.push(p.crashesInARow);
      }
      return p.restarts >= 4 ? true : undefined;
    }, 15_000);
    assert.ok(seen.length >= 2, `saw the wait at crashes ${seen}`);
    const warnings = lines.filter((l) => l.msg === 'crasher exited unexpectedly');
    assert.ok(warnings.length >= 4);
    assert.equal(warnings[0].level, 40);
  });

  test('a process that ran longer than the stable period counts as a first crash again', async () => {
    const { supervisor } = supervise([child('steady', 'setTimeout(() => process.exit(1), 250)')], {
      policy: { ...policy, stableAfterS: 0.2 },
    });
    await eventually(() => (status(supervisor, 'steady').restarts >= 2 ? true : undefined));
    assert.equal(status(supervisor, 'steady').crashesInARow, 1);
  });

  test('on-failure: a clean exit is final (C); a program that cannot start waits to retry (I)', async () => {
    const { supervisor } = supervise([
      child('once', 'process.exit(0)', { restart: 'on-failure' }),
      child('missing', '', { argv: ['/nonexistent/gwcelery'] }),
    ]);
    await eventually(() => (status(supervisor, 'once').status === 'C' ? true : undefined));
    assert.equal(status(supervisor, 'once').restarts, 0);
    const missing = await eventually(() => {
      const p = status(supervisor, 'missing');
      return p.lastExit ? p : undefined;
    });
    assert.equal(missing.status, 'I');
    assert.match(missing.lastExit!.error!, /ENOENT/);
  });

  test('stop: SIGTERM, and SIGKILL for a process that outlives the grace time', async () => {
    const { supervisor, lines } = supervise(
      [
        child('polite', SLEEPER),
        child(
          'stubborn',
          `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); ${SLEEPER}`,
        ),
      ],
      { graceMs: 400 },
    );
    await eventually(() =>
      lines.some((l) => l.process === 'stubborn' && l.msg === 'ready') ? true : undefined,
    );
    const pids = supervisor.registered();
    const stopped = await supervisor.shutdown();
    const byName = Object.fromEntries(stopped.map((s) => [s.name, s]));
    assert.deepEqual(
      byName.polite.lastExit && {
        signal: byName.polite.lastExit.signal,
        killed: byName.polite.lastExit.killed,
      },
      { signal: 'SIGTERM', killed: false },
    );
    assert.deepEqual(
      byName.stubborn.lastExit && {
        signal: byName.stubborn.lastExit.signal,
        killed: byName.stubborn.lastExit.killed,
      },
      { signal: 'SIGKILL', killed: true },
    );
    assert.ok(
      lines.some(
        (l) => l.process === 'stubborn' && l.stream === 'stdout' && l.msg === 'ignoring SIGTERM',
      ),
    );
    for (const p of pids) assert.equal(isSameProcessAlive(p), false, `${p.name} is gone`);
    assert.deepEqual(
      supervisor.report('/').processes.map((p) => p.status),
      ['C', 'C'],
    );
    assert.deepEqual(supervisor.registered(), []);
  });

  test('hold keeps a process stopped until release; restart by entry name takes every instance', async () => {
    const changes: RegisteredProcess[][] = [];
    const { supervisor } = supervise(
      [child('w-0', SLEEPER), child('w-1', SLEEPER), child('beat', SLEEPER)],
      { onChange: (r) => changes.push(r) },
    );
    await eventually(() => (supervisor.registered().length === 3 ? true : undefined));
    await supervisor.hold(['w-1']);
    assert.equal(status(supervisor, 'w-1').status, 'H');
    assert.equal(status(supervisor, 'w-1').pid, undefined);
    assert.deepEqual(
      changes
        .at(-1)!
        .map((r) => r.name)
        .sort(),
      ['beat', 'w-0'],
    );

    const before = supervisor.registered();
    await supervisor.restart(['w']);
    const after = supervisor.registered();
    assert.deepEqual(
      after.map((r) => r.name).sort(),
      ['beat', 'w-0', 'w-1'],
      'restart releases a held instance',
    );
    assert.notEqual(
      after.find((r) => r.name === 'w-0')!.pid,
      before.find((r) => r.name === 'w-0')!.pid,
    );
    assert.equal(
      after.find((r) => r.name === 'beat')!.pid,
      before.find((r) => r.name === 'beat')!.pid,
    );
    assert.equal(status(supervisor, 'w-0').restarts, 0, 'an operator restart is not a crash');

    await supervisor.hold(['beat']);
    supervisor.release(['beat']);
    assert.equal(status(supervisor, 'beat').status, 'R');
    assert.throws(() => supervisor.select(['w-2']), UnknownProcessError);
    assert.throws(
      () => supervisor.select(['nope']),
      /no process named 'nope' \(processes: w-0, w-1, beat\)/,
    );
  });

  test('reopenLogs sends SIGHUP only to processes that handle it', async () => {
    const onHup = `process.on('SIGHUP', () => console.log('reopened')); console.log('ready'); ${SLEEPER}`;
    const { supervisor, lines } = supervise([
      child('with-log', onHup, { reopensLogOnHup: true }),
      child('without-log', `console.log('ready'); ${SLEEPER}`),
    ]);
    await eventually(() =>
      lines.filter((l) => l.msg === 'ready').length === 2 ? true : undefined,
    );
    supervisor.reopenLogs();
    await eventually(() =>
      lines.some((l) => l.process === 'with-log' && l.msg === 'reopened') ? true : undefined,
    );
    assert.equal(status(supervisor, 'without-log').restarts, 0, 'SIGHUP would have killed it');
    assert.equal(status(supervisor, 'without-log').status, 'R');
  });
});
