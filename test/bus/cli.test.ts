import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const run = promisify(execFile);
const bin = new URL('../../bin/gwcelery.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gwt-buscli-'));
const prefix = uniquePrefix('buscli');

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await deletePrefix(SHARED_REDIS_URL, prefix);
});

function gwcelery(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [bin, ...args], {
    env: { ...process.env, GWCELERY_CONFIG: 'test', GWCELERY_LOG_LEVEL: 'error', ...env },
    timeout: 60_000,
  });
}

test('gwcelery bus publish, tail and seek on Redis Streams', async () => {
  const env = { GWCELERY_BUS_URL: SHARED_REDIS_URL, GWCELERY_REDIS_PREFIX: prefix };
  const file = join(dir, 'm.json');
  writeFileSync(file, '{"uid": "S1"}');
  const offsets: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { stdout } = await gwcelery(
      ['bus', 'publish', 'gracedb-test.superevent', file, '--key', 'S1', '--header', 'a=b'],
      env,
    );
    const published = JSON.parse(stdout);
    assert.equal(published.topic, 'gracedb-test.superevent');
    offsets.push(published.offset);
  }
  const { stdout: topics } = await gwcelery(['bus', 'topics'], env);
  assert.deepEqual(topics.trim().split('\n'), ['gracedb-test.superevent']);

  const { stdout } = await gwcelery(
    ['bus', 'tail', 'gracedb-test.superevent', '--from', 'earliest', '-n', '2'],
    env,
  );
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.offset),
    offsets,
  );
  assert.equal(lines[0].value, '{"uid": "S1"}');
  assert.equal(lines[0].key, 'S1');
  assert.deepEqual(lines[0].headers, { a: 'b' });

  // A named group reads once; seek sends it back to replay the second message.
  await gwcelery(
    ['bus', 'tail', 'gracedb-test.superevent', '--group', 'ops', '--from', 'earliest', '-n', '2'],
    env,
  );
  const { stdout: moved } = await gwcelery(
    ['bus', 'seek', 'ops', 'gracedb-test.superevent', offsets[1]],
    env,
  );
  assert.match(moved, /moved group ops/);
  const { stdout: again } = await gwcelery(
    ['bus', 'tail', 'gracedb-test.superevent', '--group', 'ops', '-n', '1'],
    env,
  );
  // Without --from a named group resumes where it stands: at the seek.
  assert.equal(JSON.parse(again).offset, offsets[1]);
});

test('gwcelery bus on the embedded journal, and clear errors for bad input', async () => {
  const env = { GWCELERY_BUS_URL: '', GWCELERY_DATA_DIR: join(dir, 'data') };
  const file = join(dir, 'n.txt');
  writeFileSync(file, 'hello');
  const { stdout } = await gwcelery(['bus', 'publish', 'local.topic', file], env);
  assert.deepEqual(JSON.parse(stdout), { topic: 'local.topic', offset: '0', partition: 0 });
  const { stdout: tail } = await gwcelery(
    ['bus', 'tail', 'local.topic', '--from', '0', '-n', '1'],
    env,
  );
  assert.equal(JSON.parse(tail).value, 'hello');
  await assert.rejects(
    gwcelery(['bus', 'tail', 'local.topic', '--from', 'yesterday'], env),
    /invalid position 'yesterday'/,
  );
  await assert.rejects(
    gwcelery(['bus', 'publish', 'local.topic', join(dir, 'missing')], env),
    /cannot read .*missing/,
  );
  await assert.rejects(
    gwcelery(['bus', 'publish', 'bad topic', file], env),
    /invalid topic name 'bad topic'/,
  );
});
