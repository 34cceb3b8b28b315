import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AlertSender,
  alertDeliveryProblem,
  KafkaDestination,
  SqliteLedger,
} from '../../src/alerts/index.js';
import type { KafkaDestinationConfig } from '../../src/config/keys/alerts.js';
import { decodeAlertAvro, decodeAlertJson } from '../../src/formats/alert/index.js';
import { blackHoleServer, preliminaryAlert, refusedPort } from '../helpers/alert-delivery.js';
import { KafkaMock } from '../helpers/kafka-mock.js';
import { readTopics } from '../helpers/kafka-read.js';

let kafka: KafkaMock;
before(async () => {
  kafka = await KafkaMock.start();
});
after(() => kafka.stop());

function stream(url: string, suffix: 'avro' | 'json'): KafkaDestinationConfig {
  return { url, suffix, auth: false, ssl: false, compression: 'gzip' };
}

test('packets reach Kafka as an Avro container and as JSON, with hop headers, and decode back', async (t) => {
  await kafka.createTopic('avro-stream');
  await kafka.createTopic('json-stream', 2);
  const ledger = new SqliteLedger(':memory:');
  const scimma = new KafkaDestination({
    name: 'scimma',
    config: stream(kafka.url('avro-stream'), 'avro'),
    timeoutMs: 5000,
    retries: 1,
    probeIntervalMs: 0,
  });
  const gcn = new KafkaDestination({
    name: 'gcn',
    config: stream(kafka.url('json-stream'), 'json'),
    timeoutMs: 5000,
    retries: 1,
    probeIntervalMs: 0,
  });
  const sender = new AlertSender({ ledger, destinations: [scimma, gcn] });
  t.after(() => sender.close().then(() => ledger.close()));

  const alert = preliminaryAlert();
  const results = await sender.send(alert);
  assert.deepEqual(
    results.map((r) => [r.destination, r.status]),
    [
      ['scimma', 'sent'],
      ['gcn', 'sent'],
    ],
  );
  assert.deepEqual(results[0].receipt!.detail, { topic: 'avro-stream', partition: 0, offset: '0' });

  const topics = await readTopics(kafka.brokers, ['avro-stream', 'json-stream']);
  assert.equal(topics['avro-stream'].length, 1);
  assert.equal(topics['json-stream'].length, 1);
  const [avro] = topics['avro-stream'];
  const [json] = topics['json-stream'];
  assert.deepEqual(decodeAlertAvro(avro.value!), alert.packet);
  assert.deepEqual(decodeAlertJson(json.value!), alert.packet);
  assert.equal(avro.headers!._format!.toString(), 'avro');
  assert.equal(json.headers!._format!.toString(), 'json');
  assert.equal((avro.headers!._id as Buffer).length, 16);
  assert.equal(avro.headers!._sender!.toString(), 'gwcelery');
  assert.equal(avro.headers!.gwcelery_alert!.toString(), 'S230518h/preliminary/2');
  assert.equal(avro.key, null, 'no message key, as hop sends');

  // Asking again sends nothing more.
  const again = await sender.send(preliminaryAlert());
  assert.deepEqual(
    again.map((r) => r.status),
    ['already-sent', 'already-sent'],
  );
  const after = await readTopics(kafka.brokers, ['avro-stream', 'json-stream']);
  assert.equal(after['avro-stream'].length + after['json-stream'].length, 2);
});

test('a broker that goes down: the delivery fails, the flags say so, and clear once it is back', async (t) => {
  await kafka.createTopic('flaky');
  const ledger = new SqliteLedger(':memory:');
  const destination = new KafkaDestination({
    name: 'flaky',
    config: stream(kafka.url('flaky'), 'json'),
    timeoutMs: 1500,
    retries: 0,
    probeIntervalMs: 0,
  });
  const sender = new AlertSender({ ledger, destinations: [destination] });
  t.after(async () => {
    await kafka.brokerUp(1);
    await sender.close();
    await ledger.close();
  });
  assert.equal(await destination.probe(), true);
  await kafka.brokerDown(1);
  const [down] = await sender.send(preliminaryAlert(2));
  assert.equal(down.status, 'failed');
  assert.equal(await destination.probe(), false);
  const health = sender.health();
  assert.deepEqual([health.flaky.topicUp, health.flaky.deliveryFailure], [false, true]);
  assert.equal(
    alertDeliveryProblem({
      broadcasting: false,
      voeventBrokerPeers: [],
      receiving: false,
      voeventReceiverPeers: [],
      destinations: health,
    }),
    'Not all Kafka bootstep URLs are active',
  );

  await kafka.brokerUp(1);
  assert.equal(await destination.probe(), true);
  const [retried] = await sender.send(preliminaryAlert(2));
  assert.equal(retried.status, 'sent', retried.error);
  assert.deepEqual(
    [sender.health().flaky.topicUp, sender.health().flaky.deliveryFailure],
    [true, false],
  );
  const messages = (await readTopics(kafka.brokers, ['flaky'])).flaky;
  assert.equal(messages.length, 1, 'the failed attempt left nothing behind');
});

test('a hung broker and a refused one do not delay the healthy broker', async (t) => {
  await kafka.createTopic('healthy');
  const hole = await blackHoleServer();
  const refused = await refusedPort();
  const ledger = new SqliteLedger(':memory:');
  const make = (name: string, url: string) =>
    new KafkaDestination({
      name,
      config: stream(url, 'avro'),
      timeoutMs: 2000,
      retries: 1,
      probeIntervalMs: 0,
    });
  const sender = new AlertSender({
    ledger,
    destinations: [
      make('hung', `kafka://127.0.0.1:${hole.port}/igwn.gwalert`),
      make('refused', `kafka://127.0.0.1:${refused}/igwn.gwalert`),
      make('healthy', kafka.url('healthy')),
    ],
    retryDelayMs: () => 100,
  });
  t.after(async () => {
    await sender.close();
    await ledger.close();
    await hole.close();
  });
  const finished: string[] = [];
  const pending = sender.sendEach(preliminaryAlert()).map(({ destination, result }) =>
    result.then((r) => {
      finished.push(destination);
      return r;
    }),
  );
  const healthy = await pending[2];
  assert.equal(healthy.status, 'sent');
  assert.ok(!finished.includes('hung'), 'delivered while the hung broker was still waiting');
  const [hung, refusedResult] = await Promise.all(pending.slice(0, 2));
  assert.deepEqual([hung.status, refusedResult.status], ['failed', 'failed']);
  const health = sender.health();
  assert.deepEqual(
    Object.fromEntries(Object.entries(health).map(([k, h]) => [k, h.deliveryFailure])),
    { hung: true, refused: true, healthy: false },
  );
});
