/**
 * The second preliminary alert survives a crash of everything: `gwcelery start` on the Redis
 * broker is killed (SIGKILL) once the first preliminary went out and its 270 s timer (here
 * 15 s) is scheduled; started again on the same data directory and Redis prefix, it sends the
 * second preliminary once — one new VOEvent, one delivery per destination in the ledger, one
 * file of each format.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { openAlertLedger } from '../../../src/alerts/ledger/open-ledger.js';
import { GraceDbClient } from '../../../src/gracedb/client.js';
import { testClientOptions } from '../../gracedb/helpers.js';
import { type Child, eventually, gwcelery } from '../../helpers/process.js';
import { deletePrefix, freePort, SHARED_REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { uploadSimulated } from './stack.js';

const CLEAN_UP_TIMEOUT_S = 15;

test('kill -9 between the first and the second preliminary: the second is still sent, once', async (t) => {
  const prefix = uniquePrefix('orch-crash');
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-orch-crash-'));
  const port = await freePort();
  const env = {
    GWCELERY_BROKER_URL: SHARED_REDIS_URL,
    GWCELERY_REDIS_PREFIX: prefix,
    GWCELERY_ALERT_OUTPUT_DIR: 'alerts',
    GWCELERY_SUPEREVENT_CLEAN_UP_TIMEOUT: String(CLEAN_UP_TIMEOUT_S),
    GWCELERY_LOG_LEVEL: 'warn',
  };
  const start = async (): Promise<Child> => {
    const child = gwcelery(['start', '--data', dataDir, '--gracedb-port', String(port)], env);
    await child.waitFor(/gwcelery is running/, 60_000);
    return child;
  };
  const redis = new Redis(SHARED_REDIS_URL);
  let child = await start();
  const gracedb = new GraceDbClient(
    testClientOptions(`http://127.0.0.1:${port}/api/`, {
      token: readFileSync(join(dataDir, 'gracedb-token'), 'utf8').trim(),
      timeoutMs: 30_000,
    }),
  );
  t.after(async () => {
    await child.kill('SIGTERM');
    gracedb.close();
    redis.disconnect();
    await deletePrefix(SHARED_REDIS_URL, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  // A significant MDC candidate with PSDs and SNR series: BAYESTAR runs in the pipeline.
  await uploadSimulated(gracedb, 0, 1e-10, 'MDC');

  const sid = await eventually(
    async () => (await gracedb.getSuperevents('category: mdc'))[0]?.superevent_id,
    90_000,
    'the superevent',
  );
  await eventually(
    async () => ((await gracedb.getLabels(sid)).has('GCN_PRELIM_SENT') ? true : undefined),
    120_000,
    `GCN_PRELIM_SENT on ${sid}:\n${child.output}`,
  );
  // The timer is a delayed job in Redis once the GCN_PRELIM_SENT handler has run.
  await eventually(
    async () =>
      (await redis.exists(`${prefix}:celery:t.${sid}.preliminary-2.timer`)) ? true : undefined,
    30_000,
    'the second-preliminary timer in Redis',
  );
  assert.equal(await child.kill('SIGKILL'), null, 'killed, not exited');
  const before = await voevents(gracedb, sid).catch(() => undefined);
  assert.equal(before, undefined, 'GraceDB went down with the process');

  child = await start();
  await eventually(
    async () =>
      (await voevents(gracedb, sid)).includes(`${sid}-2-Preliminary.xml`) ? true : undefined,
    120_000,
    `the second preliminary VOEvent:\n${child.output}`,
  );
  const ledger = openAlertLedger({
    alert_ledger: '',
    broker_url: SHARED_REDIS_URL,
    redis_prefix: prefix,
    data_dir: dataDir,
  });
  try {
    const delivered = await eventually(
      async () => {
        const records = await ledger.list({ superevent: sid });
        const done = records.filter((r) => r.state === 'delivered');
        return done.length >= 6 ? records : undefined;
      },
      60_000,
      'both preliminaries delivered to the three file destinations',
    );
    assert.deepEqual(
      delivered.map((r) => `${r.alertType}#${r.serial}→${r.destination}:${r.state}`).sort(),
      [1, 2].flatMap((n) =>
        ['file-avro', 'file-json', 'file-xml'].map((d) => `preliminary#${n}→${d}:delivered`),
      ),
    );
    // Let a re-fired timer or a replayed notification show itself, if there were one.
    await sleep(3000);
    assert.deepEqual(await voevents(gracedb, sid), [
      `${sid}-1-Preliminary.xml`,
      `${sid}-2-Preliminary.xml`,
    ]);
    assert.equal((await ledger.list({ superevent: sid })).length, 6, 'no other alert');
  } finally {
    await ledger.close();
  }
  const files = readdirSync(join(dataDir, 'alerts')).sort();
  assert.deepEqual(
    files,
    [1, 2].flatMap((n) => ['avro', 'json', 'xml'].map((ext) => `${sid}-${n}-preliminary.${ext}`)),
  );
  assert.ok(existsSync(join(dataDir, 'alerts', `${sid}-2-preliminary.xml`)));
  const markers = (await gracedb.getLog(sid))
    .map((e) => e.comment)
    .filter((c) => /^Alert preliminary-\d: VOEvent/.test(c));
  assert.deepEqual(markers, [
    `Alert preliminary-1: VOEvent ${sid}-1-Preliminary.xml created`,
    `Alert preliminary-2: VOEvent ${sid}-2-Preliminary.xml created`,
  ]);
});

async function voevents(gracedb: GraceDbClient, sid: string): Promise<string[]> {
  return Object.keys(await gracedb.getSupereventFileList(sid))
    .filter((name) => /-\d+-[A-Za-z]+\.xml$/.test(name))
    .sort();
}
