import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  type AlertKey,
  type AlertLedger,
  LedgerError,
  openAlertLedger,
  RedisLedger,
  SqliteLedger,
} from '../../src/alerts/ledger/index.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const KEY: AlertKey = {
  superevent: 'S230518h',
  alertType: 'preliminary',
  serial: 2,
  destination: 'gcn',
};
const T0 = Date.parse('2023-05-18T13:00:00Z');
const LEASE = 60_000;
const RECEIPT = {
  at: '2023-05-18T13:00:01.000Z',
  detail: { topic: 'igwn.gwalert', partition: 0, offset: '41' },
};

/** The contract every ledger implementation keeps; run once per backend. */
function contract(
  name: string,
  open: () => Promise<{ ledger: AlertLedger; cleanup(): Promise<void> }>,
) {
  describe(`${name} ledger contract`, () => {
    const withLedger = (fn: (ledger: AlertLedger) => Promise<void>) => async () => {
      const { ledger, cleanup } = await open();
      try {
        await fn(ledger);
      } finally {
        await ledger.close();
        await cleanup();
      }
    };

    test(
      'the first claim records the attempt; a second claimant is told the key is busy',
      withLedger(async (ledger) => {
        const first = await ledger.claim(KEY, 'hash-1', 'worker-a', LEASE, T0);
        assert.equal(first.outcome, 'claimed');
        assert.equal(first.outcome === 'claimed' && first.previous, 'new');
        assert.deepEqual(
          { ...first.record },
          {
            ...KEY,
            payloadHash: 'hash-1',
            state: 'pending',
            recordedAt: '2023-05-18T13:00:00.000Z',
            updatedAt: '2023-05-18T13:00:00.000Z',
            attempts: 1,
            claimOwner: 'worker-a',
            leaseUntil: T0 + LEASE,
            deliveredAt: null,
            receipt: null,
            error: null,
            inDoubt: true,
          },
        );
        const second = await ledger.claim(KEY, 'hash-1', 'worker-b', LEASE, T0 + 1000);
        assert.equal(second.outcome, 'busy');
        assert.equal(second.record.claimOwner, 'worker-a');
      }),
    );

    test(
      'a delivered key is never claimed again, whoever asks and whatever the payload',
      withLedger(async (ledger) => {
        await ledger.claim(KEY, 'hash-1', 'worker-a', LEASE, T0);
        const delivered = await ledger.markDelivered(KEY, 'worker-a', RECEIPT, T0 + 500);
        assert.equal(delivered.state, 'delivered');
        assert.deepEqual(delivered.receipt, RECEIPT);
        assert.equal(delivered.deliveredAt, RECEIPT.at);
        assert.equal(delivered.claimOwner, null);
        for (const [owner, hash, now] of [
          ['worker-a', 'hash-1', T0 + 1000],
          ['worker-b', 'hash-2', T0 + 10 * LEASE],
        ] as const) {
          const again = await ledger.claim(KEY, hash, owner, LEASE, now);
          assert.equal(again.outcome, 'delivered');
          assert.equal(again.record.attempts, 1);
        }
        // A late failure report does not undo a delivery.
        assert.equal(
          (await ledger.markFailed(KEY, 'worker-a', 'timeout', true, T0 + 2000)).state,
          'delivered',
        );
      }),
    );

    test(
      'a recorded send without a receipt goes to the next claimant as in-doubt once its lease is over',
      withLedger(async (ledger) => {
        await ledger.claim(KEY, 'hash-1', 'worker-a', LEASE, T0);
        const retry = await ledger.claim(KEY, 'hash-2', 'worker-b', LEASE, T0 + LEASE + 1);
        assert.equal(retry.outcome, 'claimed');
        assert.equal(retry.outcome === 'claimed' && retry.previous, 'in-doubt');
        assert.equal(retry.record.attempts, 2);
        assert.equal(retry.record.claimOwner, 'worker-b');
        assert.equal(retry.record.payloadHash, 'hash-2');
        assert.equal(retry.record.recordedAt, '2023-05-18T13:00:00.000Z', 'first record time kept');
        // The dead owner's late failure report must not release worker-b's claim.
        const late = await ledger.markFailed(KEY, 'worker-a', 'late', true, T0 + LEASE + 2);
        assert.equal(late.state, 'pending');
        assert.equal(late.claimOwner, 'worker-b');
      }),
    );

    test(
      'a failed attempt is retried without waiting for a lease, as in-doubt',
      withLedger(async (ledger) => {
        await ledger.claim(KEY, 'hash-1', 'worker-a', LEASE, T0);
        const failed = await ledger.markFailed(
          KEY,
          'worker-a',
          'Request timed out after 5000 ms',
          true,
          T0 + 10,
        );
        assert.equal(failed.state, 'failed');
        assert.equal(failed.error, 'Request timed out after 5000 ms');
        assert.equal(failed.claimOwner, null);
        const retry = await ledger.claim(KEY, 'hash-1', 'worker-a', LEASE, T0 + 20);
        assert.equal(retry.outcome === 'claimed' && retry.previous, 'in-doubt');
        const done = await ledger.markDelivered(KEY, 'worker-a', RECEIPT, T0 + 30);
        assert.equal(done.error, null);
      }),
    );

    test(
      'a failure that cannot have delivered is retried as not-delivered: no check needed',
      withLedger(async (ledger) => {
        await ledger.claim(KEY, 'hash-1', 'worker-a', LEASE, T0);
        const failed = await ledger.markFailed(
          KEY,
          'worker-a',
          'connect ECONNREFUSED',
          false,
          T0 + 10,
        );
        assert.equal(failed.inDoubt, false);
        const retry = await ledger.claim(KEY, 'hash-1', 'worker-b', LEASE, T0 + 20);
        assert.equal(retry.outcome === 'claimed' && retry.previous, 'not-delivered');
        assert.equal(retry.record.inDoubt, true, 'pending again: in doubt should this sender die');
        const done = await ledger.markDelivered(KEY, 'worker-b', RECEIPT, T0 + 30);
        assert.equal(done.inDoubt, false);
      }),
    );

    test(
      'concurrent claims of one key: exactly one wins',
      withLedger(async (ledger) => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => ledger.claim(KEY, 'h', `worker-${i}`, LEASE, T0)),
        );
        assert.equal(results.filter((r) => r.outcome === 'claimed').length, 1);
        assert.equal(results.filter((r) => r.outcome === 'busy').length, 19);
      }),
    );

    test(
      'list filters by superevent and destination, newest first, with a limit',
      withLedger(async (ledger) => {
        const keys: AlertKey[] = [
          { superevent: 'S1', alertType: 'preliminary', serial: 1, destination: 'scimma' },
          { superevent: 'S1', alertType: 'preliminary', serial: 1, destination: 'gcn' },
          { superevent: 'S1', alertType: 'initial', serial: 3, destination: 'gcn' },
          { superevent: 'S2', alertType: 'retraction', serial: 1, destination: 'gcn' },
        ];
        for (const [i, key] of keys.entries())
          await ledger.claim(key, `h${i}`, 'w', LEASE, T0 + i * 1000);
        await ledger.markDelivered(keys[0], 'w', RECEIPT, T0 + 5000);
        const s1 = await ledger.list({ superevent: 'S1' });
        assert.deepEqual(
          s1.map((r) => [r.alertType, r.serial, r.destination, r.state]),
          [
            ['initial', 3, 'gcn', 'pending'],
            ['preliminary', 1, 'gcn', 'pending'],
            ['preliminary', 1, 'scimma', 'delivered'],
          ],
        );
        assert.deepEqual(
          (await ledger.list({ destination: 'gcn' })).map((r) => r.superevent),
          ['S2', 'S1', 'S1'],
        );
        assert.equal((await ledger.list({ limit: 2 })).length, 2);
        assert.deepEqual(await ledger.list({ superevent: 'S9' }), []);
        assert.equal(await ledger.get({ ...KEY, superevent: 'S9' }), undefined);
      }),
    );

    test(
      'receipts for unknown keys and malformed keys are errors naming the key',
      withLedger(async (ledger) => {
        await assert.rejects(
          ledger.markDelivered(KEY, 'w', RECEIPT),
          (e: Error) => e instanceof LedgerError && /S230518h preliminary #2 → gcn/.test(e.message),
        );
        await assert.rejects(ledger.markFailed(KEY, 'w', 'x', false), LedgerError);
        await assert.rejects(
          ledger.claim({ ...KEY, serial: -1 }, 'h', 'w', LEASE),
          /non-negative integer/,
        );
        await assert.rejects(
          ledger.claim({ ...KEY, destination: '' }, 'h', 'w', LEASE),
          /incomplete alert key/,
        );
      }),
    );
  });
}

contract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  return {
    ledger: new SqliteLedger(join(dir, 'ledger.sqlite')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

contract('Redis', async () => {
  const prefix = uniquePrefix('ledger');
  return {
    ledger: new RedisLedger(SHARED_REDIS_URL, prefix),
    cleanup: () => deletePrefix(SHARED_REDIS_URL, prefix),
  };
});

test('a SQLite ledger is shared by processes using the same file and survives reopening', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const path = join(dir, 'nested', 'ledger.sqlite');
  const a = new SqliteLedger(path);
  const b = new SqliteLedger(path);
  try {
    assert.equal((await a.claim(KEY, 'h', 'a', LEASE, T0)).outcome, 'claimed');
    assert.equal((await b.claim(KEY, 'h', 'b', LEASE, T0 + 1)).outcome, 'busy');
    await a.markDelivered(KEY, 'a', RECEIPT, T0 + 2);
    await a.close();
    const c = new SqliteLedger(path);
    assert.equal((await c.claim(KEY, 'h', 'c', LEASE, T0 + 3)).outcome, 'delivered');
    await c.close();
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the configuration chooses the ledger', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const base = { alert_ledger: '', broker_url: '', redis_prefix: 'gwt-x', data_dir: dir };
  const opened = [
    openAlertLedger(base),
    openAlertLedger({ ...base, alert_ledger: `sqlite:${join(dir, 'explicit.sqlite')}` }),
    openAlertLedger({ ...base, broker_url: SHARED_REDIS_URL }),
    openAlertLedger({ ...base, data_dir: '' }),
  ];
  try {
    assert.deepEqual(
      opened.map((l) => l.location),
      [
        `sqlite:${join(dir, 'alert-ledger.sqlite')}`,
        `sqlite:${join(dir, 'explicit.sqlite')}`,
        `${SHARED_REDIS_URL} (prefix gwt-x)`,
        'sqlite::memory:',
      ],
    );
  } finally {
    for (const l of opened) await l.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // A directory that cannot exist: its parent is a regular file.
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'plain-file');
  writeFileSync(file, '');
  assert.throws(
    () => new SqliteLedger(join(file, 'ledger.sqlite')),
    /cannot open alert ledger .*plain-file/,
  );
  rmSync(dirname(file), { recursive: true, force: true });
});
