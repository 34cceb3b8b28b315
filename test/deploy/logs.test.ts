// `gwcelery logs --task <id>`: a task's lines across the processes' logs and their archives.
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { configureLogging, flushLogs, getLogger, withLogContext } from '../../src/log/index.js';
import { searchLogs } from '../../src/ops/deploy/log-search.js';
import { runGwcelery } from './helpers/run-cli.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gwt-logs-')));
const TASK = '5f0c3b7e-2d7a-4c1e-9a55-0d6b1f3c9e42';
const OTHER = '0a1b2c3d-0000-4000-8000-000000000000';
const tick = () => new Promise<void>((r) => setTimeout(r, 3));

/**
 * Logs written by the project's own logger, as a deployed worker writes them. Its file opens
 * asynchronously: wait until the line is there.
 */
async function writeLog(
  file: string,
  name: string,
  write: () => void,
  expect: string,
): Promise<void> {
  configureLogging({ file: join(dir, file), format: 'json', level: 'info', name });
  write();
  for (let i = 0; i < 500; i++) {
    flushLogs();
    let text = '';
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      // not opened yet
    }
    if (text.includes(expect)) return tick();
    await tick();
  }
  throw new Error(`the logger did not write '${expect}' to ${file}`);
}

before(async () => {
  const log = getLogger('worker');
  // Last week's log, rotated and compressed by logrotate.
  await writeLog(
    'gwcelery-worker@host.log',
    'gwcelery-worker@host',
    () => withLogContext({ task_id: TASK }, () => log.info('first attempt started')),
    'first attempt',
  );
  const archived = readFileSync(join(dir, 'gwcelery-worker@host.log'));
  writeFileSync(join(dir, 'gwcelery-worker@host.log-20261121.gz'), gzipSync(archived));
  writeFileSync(join(dir, 'gwcelery-worker@host.log'), '');
  await tick();
  await writeLog(
    'gwcelery-worker@host.log',
    'gwcelery-worker@host',
    () => {
      withLogContext({ task_id: OTHER }, () => log.info('an unrelated task'));
    },
    'unrelated',
  );
  await writeLog(
    'gwcelery-superevent-worker@host.log',
    'gwcelery-superevent-worker@host',
    () => withLogContext({ task_id: TASK }, () => log.warn({ redelivered: 1 }, 'task redelivered')),
    'redelivered',
  );
  await writeLog(
    'gwcelery-worker@host.log',
    'gwcelery-worker@host',
    () => withLogContext({ task_id: TASK }, () => log.error({ err: 'boom' }, 'task failed')),
    'task failed',
  );
  // A crash trace the supervisor caught on a child's stderr: text, not JSON.
  appendFileSync(join(dir, 'gwcelery-supervisor.log'), `Error: while running ${TASK}\n`);
  writeFileSync(join(dir, 'notes.txt'), `${TASK} is not in a log file\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("a task's lines from every log and archive, in time order, text lines last", async () => {
  const matches = await searchLogs(dir, TASK);
  assert.deepEqual(
    matches.map((m) => [m.file.slice(dir.length + 1), m.record?.msg ?? m.line]),
    [
      ['gwcelery-worker@host.log-20261121.gz', 'first attempt started'],
      ['gwcelery-superevent-worker@host.log', 'task redelivered'],
      ['gwcelery-worker@host.log', 'task failed'],
      ['gwcelery-supervisor.log', `Error: while running ${TASK}`],
    ],
  );
});

test('gwcelery logs prints them readably, or raw; no match and no directory are errors', async () => {
  const run = await runGwcelery(['logs', '--task', TASK, '--dir', dir], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(
    lines[1],
    new RegExp(
      `^\\S+Z  gwcelery-superevent-worker@host  WARN  task redelivered  \\{.*"task_id":"${TASK}".*"redelivered":1`,
    ),
  );
  assert.equal(lines[3], `gwcelery-supervisor.log: Error: while running ${TASK}`);

  const raw = await runGwcelery(['logs', '--task', TASK, '--dir', dir, '--raw'], { cwd: dir });
  assert.match(raw.stdout.split('\n')[0], /^gwcelery-worker@host\.log-20261121\.gz:\{"level":30,/);

  const none = await runGwcelery(['logs', '--task', 'no-such-task', '--dir', dir], { cwd: dir });
  assert.equal(none.code, 1);
  assert.equal(none.stderr, `no line mentions no-such-task in the 4 log files of ${dir}\n`);

  const missing = await runGwcelery(['logs', '--task', TASK], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the log directory .*\.local\/state\/log/);
});
