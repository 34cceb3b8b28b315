import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AlertSendError,
  AlertSender,
  alertDeliveryProblem,
  FileDestination,
  KafkaDestination,
  packetCopyUpload,
  SqliteLedger,
  VtpDestination,
} from '../../src/alerts/index.js';
import { decodeAlertAvro, decodeAlertJson } from '../../src/formats/alert/index.js';
import { type VoeventFrame, VtpBroadcaster, VtpReceiver } from '../../src/transport/vtp/index.js';
import {
  blackHoleServer,
  preliminaryAlert,
  refusedPort,
  until,
} from '../helpers/alert-delivery.js';

function workspace(t: { after(fn: () => unknown): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'sender-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function vtpPair(
  t: { after(fn: () => unknown): void },
  options: { subscribe?: boolean } = {},
) {
  const broadcaster = new VtpBroadcaster({
    host: '127.0.0.1',
    port: 0,
    whitelist: ['127.0.0.1'],
    localIvo: 'ivo://test/gwcelery',
  });
  const { port } = await broadcaster.start();
  const received: VoeventFrame[] = [];
  const receiver = new VtpReceiver({
    host: '127.0.0.1',
    port,
    localIvo: 'ivo://gcn.test/sub',
    onEvent: (e) => {
      received.push(e);
    },
    minBackoffMs: 20,
    maxBackoffMs: 40,
  });
  if (options.subscribe !== false) {
    receiver.start();
    await until(() => broadcaster.peerList().length === 1, 'subscription');
  }
  t.after(async () => {
    await receiver.stop();
    await broadcaster.close();
  });
  return { broadcaster, receiver, received };
}

test('an alert goes to every destination once; asking again sends nothing', async (t) => {
  const dir = workspace(t);
  const { broadcaster, received } = await vtpPair(t);
  const ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const sender = new AlertSender({
    ledger,
    destinations: [
      new VtpDestination({ broadcaster, ackTimeoutMs: 5000 }),
      ...(['json', 'avro', 'xml'] as const).map(
        (format) => new FileDestination({ directory: join(dir, 'out'), format }),
      ),
    ],
  });
  t.after(() => sender.close().then(() => ledger.close()));
  const alert = preliminaryAlert();
  const results = await sender.send(alert);
  assert.deepEqual(
    results.map((r) => [r.destination, r.status, r.attempts]),
    [
      ['gcn-voevent', 'sent', 1],
      ['file-json', 'sent', 1],
      ['file-avro', 'sent', 1],
      ['file-xml', 'sent', 1],
    ],
  );
  assert.equal((results[0].receipt!.detail as { acked: string[] }).acked.length, 1);
  await until(() => received.length === 1, 'the VOEvent at GCN');
  assert.ok(received[0].bytes.equals(alert.voevent!));
  const out = join(dir, 'out');
  assert.deepEqual(readdirSync(out).sort(), [
    'S230518h-2-preliminary.avro',
    'S230518h-2-preliminary.json',
    'S230518h-2-preliminary.xml',
  ]);
  assert.deepEqual(
    decodeAlertJson(readFileSync(join(out, 'S230518h-2-preliminary.json'))),
    alert.packet,
  );
  assert.deepEqual(
    decodeAlertAvro(readFileSync(join(out, 'S230518h-2-preliminary.avro'))),
    alert.packet,
  );
  assert.ok(readFileSync(join(out, 'S230518h-2-preliminary.xml')).equals(alert.voevent!));

  const again = await sender.send(preliminaryAlert());
  assert.deepEqual(
    again.map((r) => r.status),
    ['already-sent', 'already-sent', 'already-sent', 'already-sent'],
  );
  assert.deepEqual(again[1].receipt, results[1].receipt);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.length, 1, 'GCN got the notice once');
  const records = await ledger.list({ superevent: 'S230518h' });
  assert.equal(records.length, 4);
  assert.ok(records.every((r) => r.state === 'delivered' && r.attempts === 1 && r.receipt));
  // The next alert of the superevent is a new key.
  const third = await sender.send(preliminaryAlert(3));
  assert.ok(third.every((r) => r.status === 'sent'));
});

test('an invalid or inconsistent alert is refused before anything is recorded or sent', async (t) => {
  const dir = workspace(t);
  const ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const sender = new AlertSender({
    ledger,
    destinations: [new FileDestination({ directory: dir, format: 'json' })],
  });
  t.after(() => ledger.close());
  const broken = preliminaryAlert();
  (broken.packet!.event as unknown as Record<string, unknown>).far = 'low';
  assert.throws(() => sender.sendEach(broken), /S230518h PRELIMINARY is invalid: .*far/);
  const wrongSerial = { ...preliminaryAlert(), serial: 7 };
  assert.throws(
    () => sender.sendEach(wrongSerial),
    (e: Error) =>
      e instanceof AlertSendError &&
      /VOEvent is ivo:\/\/gwnet\/LVC#S230518h-2-Preliminary/.test(e.message),
  );
  const wrongType = { ...preliminaryAlert(), alertType: 'initial' as const };
  assert.throws(() => sender.sendEach(wrongType), /the packet is a PRELIMINARY alert/);
  assert.throws(
    () => sender.sendEach({ superevent: 'S1', alertType: 'initial', serial: 1 }),
    /nothing to send/,
  );
  assert.deepEqual(await ledger.list(), []);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.json')),
    [],
  );
  assert.throws(
    () =>
      new AlertSender({
        ledger,
        destinations: [
          new FileDestination({ directory: dir, format: 'json' }),
          new FileDestination({ directory: dir, format: 'json' }),
        ],
      }),
    /two alert destinations are named 'file-json'/,
  );
});

test('destinations with nothing to send for an alert are skipped, with the reason', async (t) => {
  const dir = workspace(t);
  const ledger = new SqliteLedger(':memory:');
  const sender = new AlertSender({
    ledger,
    destinations: [
      new VtpDestination({ broadcaster: undefined }),
      new FileDestination({ directory: dir, format: 'xml' }),
      new FileDestination({ directory: dir, format: 'json' }),
    ],
  });
  t.after(() => ledger.close());
  const { voevent: _unused, ...packetOnly } = preliminaryAlert();
  const results = await sender.send(packetOnly);
  assert.deepEqual(
    results.map((r) => [r.destination, r.status, r.error]),
    [
      [
        'gcn-voevent',
        'skipped',
        'VOEvent broadcasting is disabled (empty voevent_broadcaster_whitelist)',
      ],
      ['file-xml', 'skipped', 'the alert carries no VOEvent'],
      ['file-json', 'sent', undefined],
    ],
  );
});

test('with no subscriber yet, the VOEvent is retried until GCN connects', async (t) => {
  const { broadcaster, receiver, received } = await vtpPair(t, { subscribe: false });
  const ledger = new SqliteLedger(':memory:');
  t.after(() => ledger.close());
  const sender = new AlertSender({
    ledger,
    destinations: [new VtpDestination({ broadcaster, retries: 50, ackTimeoutMs: 2000 })],
    retryDelayMs: () => 100,
  });
  const pending = sender.send(preliminaryAlert());
  // GCN connects only once the first attempt has failed for want of a subscriber.
  await until(
    () => (sender.health()['gcn-voevent'].lastError ?? '').includes('no subscribers'),
    'a failed attempt',
  );
  receiver.start();
  const [result] = await pending;
  assert.equal(result.status, 'sent');
  assert.ok(result.attempts >= 2, `attempts ${result.attempts}`);
  assert.equal(received.length, 1);
  const [record] = await ledger.list();
  assert.equal(record.state, 'delivered');
});

test('a key another live sender holds is reported busy, not sent twice', async (t) => {
  const dir = workspace(t);
  const ledger = new SqliteLedger(':memory:');
  t.after(() => ledger.close());
  const destination = new FileDestination({ directory: dir, format: 'json' });
  await ledger.claim(
    { superevent: 'S230518h', alertType: 'preliminary', serial: 2, destination: 'file-json' },
    'h',
    'other-worker',
    60_000,
  );
  const sender = new AlertSender({ ledger, destinations: [destination] });
  const [result] = await sender.send(preliminaryAlert());
  assert.equal(result.status, 'busy');
  assert.match(result.error!, /held by other-worker until/);
  assert.equal(
    existsSync(destination.path({ superevent: 'S230518h', alertType: 'preliminary', serial: 2 })),
    false,
  );
});

test('a hung broker and a refused one do not hold back the other destinations, and the flags show them', async (t) => {
  const dir = workspace(t);
  const hole = await blackHoleServer();
  const refused = await refusedPort();
  t.after(() => hole.close());
  const ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const stream = (port: number) => ({
    url: `kafka://127.0.0.1:${port}/igwn.gwalert`,
    suffix: 'json' as const,
    auth: false as const,
    ssl: false,
    compression: 'gzip' as const,
  });
  const hung = new KafkaDestination({
    name: 'hung',
    config: stream(hole.port),
    timeoutMs: 1500,
    retries: 1,
    probeIntervalMs: 0,
  });
  const down = new KafkaDestination({
    name: 'down',
    config: stream(refused),
    timeoutMs: 1500,
    retries: 1,
    probeIntervalMs: 0,
  });
  const files = new FileDestination({ directory: join(dir, 'out'), format: 'json' });
  const sender = new AlertSender({
    ledger,
    destinations: [hung, down, files],
    retryDelayMs: () => 50,
  });
  t.after(() => sender.close().then(() => ledger.close()));

  const finished: string[] = [];
  const pending = sender.sendEach(preliminaryAlert()).map(({ destination, result }) =>
    result.then((r) => {
      finished.push(destination);
      return r;
    }),
  );
  const fileResult = await pending[2];
  assert.equal(fileResult.status, 'sent');
  assert.deepEqual(
    finished,
    ['file-json'],
    'the file was written while the hung broker was still waiting',
  );
  const [hungResult, downResult] = await Promise.all(pending.slice(0, 2));
  assert.equal(hungResult.status, 'failed');
  assert.equal(hungResult.attempts, 2);
  assert.match(hungResult.error!, /hung|timed out|Request timed out|no confirmation/i);
  assert.equal(downResult.status, 'failed');
  assert.match(downResult.error!, /ECONNREFUSED|Connection error|refused/i);

  assert.equal(await hung.probe(), false);
  assert.equal(await down.probe(), false);
  const health = sender.health();
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(health).map(([k, h]) => [k, [h.kind, h.topicUp, h.deliveryFailure]]),
    ),
    {
      hung: ['kafka', false, true],
      down: ['kafka', false, true],
      'file-json': ['file', undefined, false],
    },
  );
  assert.deepEqual(sender.producerHealth(), {
    hung: { topicUp: false, deliveryFailure: true },
    down: { topicUp: false, deliveryFailure: true },
  });
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
  const records = await ledger.list();
  assert.deepEqual(records.map((r) => [r.destination, r.state]).sort(), [
    ['down', 'failed'],
    ['file-json', 'delivered'],
    ['hung', 'failed'],
  ]);
});

test('the GraceDB copy of a sent packet is named and tagged as the reference does', () => {
  const packet = preliminaryAlert().packet!;
  assert.deepEqual(packetCopyUpload(packet, 'avro', 'kafka://kafka.scimma.org/igwn.gwalert'), {
    filename: 'S230518h-preliminary.avro',
    comment: 'Kafka alert notice sent to kafka://kafka.scimma.org/igwn.gwalert',
    tags: ['public', 'em_follow'],
  });
});

test('the Nagios alert checks report the first failing condition', () => {
  const ok = { kind: 'kafka' as const, topicUp: true, deliveryFailure: false, queued: 0 };
  const base = {
    broadcasting: true,
    voeventBrokerPeers: [
      { peer: 'x', connectedAt: '', lastHeardAt: '', outstandingAcks: 0, eventsSent: 0, acks: 0 },
    ],
    receiving: true,
    voeventReceiverPeers: [{ peer: 'y', connectedAt: '', lastHeardAt: '', events: 0 }],
    destinations: { scimma: ok },
  };
  assert.equal(alertDeliveryProblem(base), undefined);
  assert.equal(
    alertDeliveryProblem({ ...base, voeventBrokerPeers: [] }),
    'The VOEvent broker has no active connections',
  );
  assert.equal(
    alertDeliveryProblem({ ...base, voeventReceiverPeers: [] }),
    'The VOEvent receiver has no active connections',
  );
  assert.equal(
    alertDeliveryProblem({ ...base, destinations: { scimma: { ...ok, deliveryFailure: true } } }),
    'Not all Kafka messages have been succesfully delivered',
  );
  assert.equal(
    alertDeliveryProblem({ ...base, broadcasting: false, voeventBrokerPeers: [] }),
    undefined,
    'no whitelist: no broker check',
  );
});
