import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteLedger } from '../../src/alerts/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function gwcelery(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GWCELERY_CONFIG: 'development', ...env },
  });
}

test('gwcelery alerts list shows the ledger, filtered, as a table or JSON', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'alerts-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ledger = new SqliteLedger(join(dir, 'alert-ledger.sqlite'));
  const key = {
    superevent: 'S230518h',
    alertType: 'preliminary' as const,
    serial: 2,
    destination: 'gcn',
  };
  await ledger.claim(key, 'h', 'w', 60_000);
  await ledger.markDelivered(key, 'w', {
    at: '2023-05-18T13:00:42.000Z',
    detail: { topic: 'igwn.gwalert', partition: 0, offset: '17' },
  });
  await ledger.claim({ ...key, destination: 'scimma' }, 'h', 'w', 60_000);
  await ledger.markFailed(
    { ...key, destination: 'scimma' },
    'w',
    'connect ECONNREFUSED 127.0.0.1:9092',
    false,
  );
  await ledger.claim({ ...key, superevent: 'S230519a' }, 'h', 'w', 60_000);
  await ledger.close();

  const env = { GWCELERY_DATA_DIR: dir };
  const table = gwcelery(['alerts', 'list', '--superevent', 'S230518h'], env);
  assert.equal(table.status, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(
    lines[0],
    /^recorded \(UTC\)\s+superevent\s+type\s+serial\s+destination\s+state\s+tries\s+receipt \/ error$/,
  );
  assert.equal(lines.length, 3);
  assert.ok(
    lines.some((l) =>
      /S230518h\s+preliminary\s+2\s+gcn\s+delivered\s+1\s+igwn\.gwalert\[0\]@17$/.test(l),
    ),
    table.stdout,
  );
  assert.ok(
    lines.some((l) => /scimma\s+failed\s+1\s+connect ECONNREFUSED/.test(l)),
    table.stdout,
  );

  const json = gwcelery(['alerts', 'list', '--json'], env);
  assert.equal(json.status, 0, json.stderr);
  const records = JSON.parse(json.stdout) as { superevent: string; state: string }[];
  assert.deepEqual(records.map((r) => `${r.superevent}:${r.state}`).sort(), [
    'S230518h:delivered',
    'S230518h:failed',
    'S230519a:pending',
  ]);

  const empty = gwcelery(['alerts', 'list', '--superevent', 'S999999z'], env);
  assert.match(empty.stdout, /no alerts recorded in sqlite:.*alert-ledger\.sqlite/);
  const bad = gwcelery(['alerts', 'list', '--limit', '0'], env);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--limit must be a positive integer, got '0'/);
});
