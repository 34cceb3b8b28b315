import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KafkaBus } from '../../src/bus/drivers/kafka.js';
import { GcnConsumers } from '../../src/bus/gcn/consumers.js';
import { GcnNoticeRegistry } from '../../src/bus/gcn/registry.js';
import { MemoryDedupStore } from '../../src/bus/igwn-alert/dedup-store.js';
import { parseKafkaUrl } from '../../src/bus/kafka/kafka-url.js';
import type { Logger } from '../../src/log/index.js';
import { KafkaMock } from '../helpers/kafka-mock.js';
import { eventually, settle, testBackoff } from './helpers/harness.js';
import { captureLogs, ERROR } from './helpers/log-capture.js';
import { RecordingDispatcher } from './helpers/recording-dispatcher.js';

const FERMI = 'gcn.classic.voevent.FERMI_GBM_ALERT';
const SWIFT = 'gcn.notices.swift.bat.guano';
const SNEWS = 'gcn.classic.voevent.SNEWS';
const voevent = (id: string) =>
  `<?xml version="1.0"?>\n<voe:VOEvent ivorn="ivo://nasa.gsfc.gcn/Fermi#GBM_Alert_${id}" role="observation" version="2.0"/>`;

let mock: KafkaMock;
before(async () => {
  mock = await KafkaMock.start();
  for (const topic of [FERMI, SWIFT, SNEWS]) await mock.createTopic(topic);
});
after(async () => {
  await mock?.stop();
});

function consumers(dispatcher: RecordingDispatcher, dedup: MemoryDedupStore, log: Logger) {
  const registry = new GcnNoticeRegistry();
  registry.register('fermi_gbm_alert', 'external_triggers.handle_grb_gcn');
  registry.register('swift_targeted', 'external_triggers.handle_targeted_kafka_alert');
  return new GcnConsumers({
    streams: {
      fermi_gbm_alert: { url: mock.url(FERMI), suffix: 'xml' },
      swift_targeted: { url: mock.url(SWIFT), suffix: 'json' },
      snews: { url: mock.url(SNEWS), suffix: 'xml' },
    },
    group: 'gwcelery-gcn-test',
    dispatcher,
    dedup,
    registry,
    busFor: (url) =>
      new KafkaBus({
        client: { brokers: parseKafkaUrl(url).brokers, clientId: 'gcn-test' },
        backoff: testBackoff(),
        commitIntervalMs: 100,
        sessionTimeoutMs: 6000,
        heartbeatIntervalMs: 300,
      }),
    dedupRetentionMs: 3_600_000,
    log,
  });
}

test('GCN notices reach their handlers decoded by suffix; test and malformed ones do not; offsets survive a restart', async () => {
  const producer = new KafkaBus({ client: { brokers: mock.brokers, clientId: 'gcn-producer' } });
  const dispatcher = new RecordingDispatcher();
  const dedup = new MemoryDedupStore();
  const logs = captureLogs();
  const first = consumers(dispatcher, dedup, logs.log as Logger);
  try {
    await first.start();
    await first.ready();
    await producer.publish(FERMI, voevent('1'));
    await producer.publish(SWIFT, JSON.stringify({ mission: 'Swift', id: [1234], far: 1e-4 }));
    await producer.publish(SWIFT, '{"mission": ');
    await producer.publish(FERMI, voevent('test'), { headers: { _test: 'true' } });
    await producer.publish(SNEWS, voevent('snews'));
    await eventually(() => first.health().counts.received === 5, 'five records read', 60_000);
    await settle(200);
    const byTask = Object.fromEntries(dispatcher.sent.map((t) => [t.taskName, t.args]));
    assert.equal(dispatcher.sent.length, 2);
    assert.deepEqual(byTask['external_triggers.handle_grb_gcn'], [voevent('1')]);
    assert.deepEqual(byTask['external_triggers.handle_targeted_kafka_alert'], [
      { mission: 'Swift', id: [1234], far: 1e-4 },
    ]);
    const health = first.health();
    assert.deepEqual(health.active, ['fermi_gbm_alert', 'snews', 'swift_targeted']);
    assert.equal(health.counts.test, 1);
    assert.equal(health.counts.invalid, 1);
    assert.equal(
      health.streams.swift_targeted.handlers[0],
      'external_triggers.handle_targeted_kafka_alert',
    );
    assert.ok(
      logs.lines.some(
        (l) =>
          l.level === ERROR &&
          l.topic === SWIFT &&
          /^ignoring GCN notice on .* at offset 1: not valid JSON/.test(l.msg),
      ),
    );
    assert.ok(
      logs.messages().some((m) => m.includes("no handler is registered for GCN stream 'snews'")),
    );
    await settle(300);
    await first.stop();

    await producer.publish(FERMI, voevent('2'));
    const second = consumers(dispatcher, new MemoryDedupStore(), logs.log as Logger);
    await second.start();
    await eventually(() => dispatcher.sent.length === 3, 'the notice sent while stopped', 60_000);
    await settle(300);
    assert.equal(dispatcher.sent[2].args[0], voevent('2'));
    assert.equal(dispatcher.refused.length, 0);
    await second.stop();
  } finally {
    await first.stop();
    await producer.close();
  }
});
