import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type DestinationResult, SqliteLedger } from '../../src/alerts/index.js';
import { decodeAlertJson } from '../../src/formats/alert/index.js';
import { preliminaryAlert } from '../helpers/alert-delivery.js';
import { KafkaMock } from '../helpers/kafka-mock.js';
import { readTopics } from '../helpers/kafka-read.js';

let kafka: KafkaMock;
before(async () => {
  kafka = await KafkaMock.start();
});
after(() => kafka.stop());

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
    const topic = `crash-${crashAt}`;
    await kafka.createTopic(topic);
    const env = {
      LEDGER: join(dir, 'ledger.sqlite'),
      OUT_DIR: join(dir, 'out'),
      KAFKA_BROKER: kafka.bootstrapServers,
      KAFKA_TOPIC: topic,
    };
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
    for (const destination of ['file-json', 'kafka']) {
      const inDoubt = await ledger.get({ ...key, destination });
      assert.equal(inDoubt?.state, 'pending', `${destination}: recorded, no receipt`);
    }
    assert.equal(existsSync(file), crashAt === 'sent');
    const beforeRetry = (await readTopics(kafka.brokers, [topic]))[topic];
    assert.equal(beforeRetry.length, crashAt === 'sent' ? 1 : 0);
    await ledger.close();

    const retry = runSender(env);
    assert.equal(retry.status, 0, retry.stderr);
    const results = JSON.parse(retry.stdout) as DestinationResult[];
    assert.deepEqual(
      results.map((r) => [r.destination, r.status]),
      [
        ['file-json', crashAt === 'sent' ? 'already-sent' : 'sent'],
        ['kafka', crashAt === 'sent' ? 'already-sent' : 'sent'],
      ],
    );
    const messages = (await readTopics(kafka.brokers, [topic]))[topic];
    assert.equal(messages.length, 1, 'exactly one Kafka message');
    assert.equal(messages[0].headers!.gwcelery_alert!.toString(), 'S230518h/preliminary/2');
    assert.deepEqual(
      readdirSync(join(dir, 'out')),
      ['S230518h-2-preliminary.json'],
      'one file, no leftovers',
    );
    assert.deepEqual(decodeAlertJson(readFileSync(file)), preliminaryAlert().packet);

    const afterRetry = new SqliteLedger(env.LEDGER);
    const record = await afterRetry.get(key);
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.attempts, 2);
    assert.equal((record!.receipt!.detail as { path: string }).path, file);

    // And a third run finds it delivered in the ledger.
    const kafkaRecord = await afterRetry.get({ ...key, destination: 'kafka' });
    assert.equal(kafkaRecord?.state, 'delivered');
    assert.equal((kafkaRecord!.receipt!.detail as { offset: string }).offset, messages[0].offset);
    await afterRetry.close();

    const third = runSender(env);
    assert.deepEqual(
      (JSON.parse(third.stdout) as DestinationResult[]).map((r) => r.status),
      ['already-sent', 'already-sent'],
    );
    assert.equal((await readTopics(kafka.brokers, [topic]))[topic].length, 1);
  });
}
