import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type DestinationResult, SqliteLedger } from '../../src/alerts/index.js';
import { decodeAlertJson } from '../../src/formats/alert/index.js';
import { preliminaryAlert } from '../helpers/alert-delivery.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHILD = 'test/helpers/alert-crash-child.ts';

function runSender(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

for (const crashAt of ['recorded', 'sent'] as const) {
  test(`a sender killed after the send was ${crashAt}: the retry delivers exactly once`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `crash-${crashAt}-`));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const env = { LEDGER: join(dir, 'ledger.sqlite'), OUT_DIR: join(dir, 'out') };
    const key = {
      superevent: 'S230518h',
      alertType: 'preliminary' as const,
      serial: 2,
      destination: 'file-json',
    };
    const file = join(dir, 'out', 'S230518h-2-preliminary.json');

    const killed = runSender({ ...env, CRASH_AT: crashAt });
    assert.equal(killed.signal, 'SIGKILL', `the child should have died: ${killed.stderr}`);
    const ledger = new SqliteLedger(env.LEDGER);
    const inDoubt = await ledger.get(key);
    assert.equal(inDoubt?.state, 'pending', 'recorded, no receipt');
    assert.equal(existsSync(file), crashAt === 'sent');
    await ledger.close();

    const retry = runSender(env);
    assert.equal(retry.status, 0, retry.stderr);
    const [result] = JSON.parse(retry.stdout) as DestinationResult[];
    assert.equal(result.status, crashAt === 'sent' ? 'already-sent' : 'sent');
    assert.deepEqual(
      readdirSync(join(dir, 'out')),
      ['S230518h-2-preliminary.json'],
      'one file, no leftovers',
    );
    assert.deepEqual(decodeAlertJson(readFileSync(file)), preliminaryAlert().packet);

    const after = new SqliteLedger(env.LEDGER);
    const record = await after.get(key);
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.attempts, 2);
    assert.equal((record!.receipt!.detail as { path: string }).path, file);
    await after.close();

    // And a third run finds it delivered in the ledger.
    const third = runSender(env);
    assert.equal((JSON.parse(third.stdout) as DestinationResult[])[0].status, 'already-sent');
  });
}
