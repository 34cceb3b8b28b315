import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GraceDbClient } from '../../src/gracedb/client.js';
import { parseTokens } from '../../src/gracedb/service/token-spec.js';
import { olibPayload, testClientOptions } from './helpers.js';

const root = new URL('../../', import.meta.url).pathname;

test('tokens are USER:TOKEN or a bare token for gwcelery, in configuration and --token', () => {
  assert.deepEqual(parseTokens(['emfollow:abc', 'xyz', 'me:a:b']), {
    emfollow: 'abc',
    gwcelery: 'xyz',
    me: 'a:b',
  });
  assert.deepEqual(parseTokens('a:1, b:2 c:3'), { a: '1', b: '2', c: '3' });
  assert.deepEqual(parseTokens(''), {});
  assert.throws(() => parseTokens(['me:']), /token 'me:': the token is empty/);
});

test('gwcelery gracedb serve: answers the client, writes notifications, stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gracedb-cli-'));
  const alerts = join(dir, 'alerts.jsonl');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'gracedb',
      'serve',
      '--port',
      '0',
      '--data',
      join(dir, 'data'),
      '--token',
      'robot:s3cret',
      '--alerts-to',
      alerts,
    ],
    {
      cwd: root,
      env: { ...process.env, GWCELERY_CONFIG: 'test', GWCELERY_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /listening on (\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    assert.match(stderr, /writers: {7}robot/);
    const client = new GraceDbClient(testClientOptions(url, { token: 's3cret' }));
    const event = await client.createEvent(olibPayload(1300000000), 'AllSky', 'oLIB', 'Burst');
    assert.equal(event.submitter, 'robot');
    client.close();
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exit, 0);
    const lines = readFileSync(alerts, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => `${l.topic} ${l.message.alert_type} ${l.message.uid}`),
      [
        `gracedb-test.burst_olib new ${event.graceid}`,
        `gracedb-test.burst_olib_allsky new ${event.graceid}`,
      ],
    );
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gwcelery gracedb serve without a data directory says so', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'gracedb', 'serve', '--port', '0'],
    {
      cwd: root,
      env: { ...process.env, GWCELERY_CONFIG: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(stderr, /no data directory: give --data DIR/);
});
