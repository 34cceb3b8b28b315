import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaBus } from '../../src/bus/drivers/kafka.js';
import { SqliteDedupStore } from '../../src/bus/igwn-alert/sqlite-dedup-store.js';
import { KafkaMock } from '../helpers/kafka-mock.js';
import { testBackoff } from './helpers/harness.js';
import { brokerOutageScenario } from './helpers/outage-scenario.js';

test('the Kafka broker down under the listener and up again: it reconnects and loses nothing', async () => {
  const mock = await KafkaMock.start();
  const dir = mkdtempSync(join(tmpdir(), 'gwt-outage-kafka-'));
  const group = 'gracedb-outage';
  await mock.createTopic(`${group}.superevent`);
  await mock.createTopic(`${group}.gwcelery-heartbeat`);
  const bus = new KafkaBus({
    client: { brokers: mock.brokers, clientId: 'gwcelery-outage-test' },
    backoff: testBackoff(),
    commitIntervalMs: 100,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 300,
    publishTimeoutMs: 60_000,
  });
  const dedup = new SqliteDedupStore(join(dir, 'dedup.sqlite'));
  try {
    await brokerOutageScenario(
      { bus, dedup, stop: () => mock.brokerDown(1), start: () => mock.brokerUp(1) },
      group,
    );
  } finally {
    await bus.close();
    await dedup.close();
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
