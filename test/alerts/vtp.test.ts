import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLvkVoevent } from '../../src/formats/voevent/index.js';
import {
  encodeFrame,
  FrameDecoder,
  NoSubscribersError,
  parseFrame,
  transportMessage,
  type VoeventFrame,
  VtpBroadcaster,
  VtpReceiver,
  Whitelist,
} from '../../src/transport/vtp/index.js';
import { cbcSuperevent } from '../helpers/alert-fixtures.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const BROKER_IVO = 'ivo://test.example/gwcelery';

function notice(serial = 1): { xml: Buffer; ivorn: string } {
  const created = createLvkVoevent({
    superevent: cbcSuperevent(),
    serial,
    request: { voevent_type: 'PR', internal: false, open_alert: true, Significant: true },
    now: new Date('2023-05-18T13:00:41Z'),
  });
  return { xml: Buffer.from(created.xml), ivorn: created.ivorn };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A hand-driven subscriber: reads frames, answers only when told to. */
class RawSubscriber {
  readonly frames: ReturnType<typeof parseFrame>[] = [];
  readonly socket: Socket;
  closed = false;
  private decoder = new FrameDecoder();
  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk) => {
      for (const f of this.decoder.push(chunk)) this.frames.push(parseFrame(f, 'broker'));
    });
    this.socket.on('close', () => {
      this.closed = true;
    });
    this.socket.on('error', () => {});
  }
  send(xml: string): void {
    this.socket.write(encodeFrame(xml));
  }
  roles(): string[] {
    return this.frames.map((f) => (f.kind === 'transport' ? f.role : 'voevent'));
  }
}

async function broadcaster(options: Partial<ConstructorParameters<typeof VtpBroadcaster>[0]> = {}) {
  const b = new VtpBroadcaster({
    host: '127.0.0.1',
    port: 0,
    whitelist: ['127.0.0.0/8'],
    localIvo: BROKER_IVO,
    ...options,
  });
  const { port } = await b.start();
  return { b, port };
}

test('frames reassemble across arbitrary chunk boundaries; an oversize length is refused', () => {
  const payloads = ['<a/>', 'x'.repeat(1000), '<b>ü</b>'];
  const stream = Buffer.concat(payloads.map((p) => encodeFrame(p)));
  const decoder = new FrameDecoder();
  const out: string[] = [];
  for (let i = 0; i < stream.length; i += 7) {
    for (const f of decoder.push(stream.subarray(i, i + 7))) out.push(f.toString('utf8'));
  }
  assert.deepEqual(out, payloads);
  assert.equal(decoder.pendingBytes, 0);
  // A little-endian prefix of a small frame reads as a huge big-endian one.
  const bad = Buffer.from([0x10, 0x00, 0x00, 0x00]);
  assert.throws(() => new FrameDecoder().push(bad), /exceeds the limit of 99999 bytes/);
});

test('transport messages round-trip, and all three Transport namespaces are accepted', () => {
  const ack = parseFrame(
    Buffer.from(
      transportMessage({
        role: 'ack',
        origin: 'ivo://gwnet/LVC#S1-1-Preliminary',
        response: 'ivo://sub/x',
        result: 'Message received.',
      }),
    ),
    'test',
  );
  assert.deepEqual(
    { ...ack, timestamp: undefined },
    {
      kind: 'transport',
      role: 'ack',
      origin: 'ivo://gwnet/LVC#S1-1-Preliminary',
      response: 'ivo://sub/x',
      timestamp: undefined,
      meta: { params: [], result: 'Message received.' },
    },
  );
  for (const ns of [
    'http://telescope-networks.org/schema/Transport/v1.1',
    'http://www.telescope-networks.org/xml/Transport/v1.1',
    'http://telescope-networks.org/xml/Transport/v1.1',
  ]) {
    const xml = `<?xml version="1.0"?><trn:Transport xmlns:trn="${ns}" role="iamalive" version="1.0"><Origin>ivo://nasa.gsfc.gcn/GCN#</Origin><TimeStamp>2023-05-18T12:59:35</TimeStamp><Meta><Param name="IPAddr" value="1.2.3.4"/></Meta></trn:Transport>`;
    const m = parseFrame(Buffer.from(xml), 'gcn');
    assert.equal(m.kind === 'transport' && m.role, 'iamalive');
    assert.deepEqual(m.kind === 'transport' && m.meta.params, [['IPAddr', '1.2.3.4']]);
  }
  assert.throws(
    () =>
      parseFrame(
        Buffer.from(
          '<trn:Transport xmlns:trn="urn:other" role="ack"><Origin>x</Origin></trn:Transport>',
        ),
        'peer',
      ),
    /unknown Transport namespace/,
  );
  assert.throws(
    () => parseFrame(Buffer.from('<Transport role="hello"><Origin>x</Origin></Transport>'), 'peer'),
    /role 'hello'/,
  );
  const event = parseFrame(notice().xml, 'peer');
  assert.equal(event.kind, 'voevent');
  assert.equal((event as VoeventFrame).ivorn, 'ivo://gwnet/LVC#S230518h-1-Preliminary');
});

test('the whitelist takes addresses, CIDR ranges and host names', async () => {
  const list = await Whitelist.resolve([
    '10.1.2.3',
    '192.168.0.0/16',
    'localhost',
    '2001:db8::/32',
  ]);
  assert.ok(list.allows('10.1.2.3'));
  assert.ok(!list.allows('10.1.2.4'));
  assert.ok(list.allows('192.168.44.1'));
  assert.ok(list.allows('127.0.0.1'), 'localhost resolved');
  assert.ok(list.allows('::ffff:127.0.0.1'), 'IPv4-mapped address');
  assert.ok(list.allows('2001:db8::5'));
  assert.ok(!list.allows(undefined));
  await assert.rejects(Whitelist.resolve(['10.0.0.0/40']), /invalid prefix length/);
  await assert.rejects(Whitelist.resolve(['no-such-host.invalid']), /does not resolve/);
});

test('an empty whitelist means no broadcaster at all', () => {
  assert.throws(
    () => new VtpBroadcaster({ host: '127.0.0.1', port: 0, whitelist: [], localIvo: BROKER_IVO }),
    /non-empty whitelist/,
  );
});

test('a receiver subscribes, gets the event bytes unchanged, and its ack reaches the broadcaster', async (t) => {
  const { b, port } = await broadcaster();
  const received: VoeventFrame[] = [];
  const receiver = new VtpReceiver({
    host: '127.0.0.1',
    port,
    localIvo: 'ivo://sub.example/echo',
    onEvent: (e) => {
      received.push(e);
    },
  });
  t.after(async () => {
    await receiver.stop();
    await b.close();
  });
  await assert.rejects(
    b.broadcast(notice().xml, notice().ivorn),
    (e: Error) =>
      e instanceof NoSubscribersError &&
      e.message ===
        'Not sending the event because there are no subscribers connected to the GCN broker.',
  );
  receiver.start();
  await until(() => b.peerList().length === 1 && receiver.peerList().length === 1, 'subscription');
  const { xml, ivorn } = notice();
  const result = await b.broadcast(xml, ivorn, { ackTimeoutMs: 5000 });
  assert.deepEqual(result.sentTo, [b.peerList()[0].peer]);
  assert.deepEqual(result.acked, result.sentTo);
  assert.deepEqual(result.nakked, []);
  await until(() => received.length === 1, 'event at the receiver');
  assert.ok(received[0].bytes.equals(xml), 'bytes forwarded unchanged');
  assert.equal(received[0].ivorn, ivorn);
  assert.equal(b.peerList()[0].outstandingAcks, 0);
  assert.equal(receiver.peerList()[0].events, 1);
});

test('keep-alives: a subscriber that answers stays, one that does not is dropped', async (t) => {
  const { b, port } = await broadcaster({ iamaliveIntervalMs: 60 });
  const receiver = new VtpReceiver({
    host: '127.0.0.1',
    port,
    localIvo: 'ivo://sub.example/echo',
    onEvent: () => {},
  });
  const mute = new RawSubscriber(port);
  t.after(async () => {
    mute.socket.destroy();
    await receiver.stop();
    await b.close();
  });
  const dropped: string[] = [];
  b.on('peer-dropped', (d: { reason: string }) => dropped.push(d.reason));
  receiver.start();
  await until(() => b.peerList().length === 2, 'two subscribers');
  await until(() => mute.closed, 'the mute subscriber to be dropped');
  assert.ok(dropped.includes('Peer appears to be dead; dropping connection'), dropped.join());
  assert.equal(mute.roles()[0], 'authenticate', 'Comet-style authenticate on connect');
  assert.ok(mute.roles().includes('iamalive'));
  await sleep(300); // several more rounds
  assert.equal(b.peerList().length, 1, 'the answering receiver is still subscribed');
});

test('a nak drops that subscriber only; the others still get and ack the event', async (t) => {
  const { b, port } = await broadcaster();
  const good = new VtpReceiver({
    host: '127.0.0.1',
    port,
    localIvo: 'ivo://good/x',
    onEvent: () => {},
  });
  const naysayer = new RawSubscriber(port);
  t.after(async () => {
    naysayer.socket.destroy();
    await good.stop();
    await b.close();
  });
  good.start();
  await until(() => b.peerList().length === 2, 'two subscribers');
  naysayer.socket.on('data', () => {
    const event = naysayer.frames.find((f) => f.kind === 'voevent') as VoeventFrame | undefined;
    if (event && !naysayer.closed)
      naysayer.send(
        transportMessage({
          role: 'nak',
          origin: event.ivorn,
          response: 'ivo://nay/x',
          result: 'Event rejected: duplicate',
        }),
      );
  });
  const { xml, ivorn } = notice();
  const result = await b.broadcast(xml, ivorn, { ackTimeoutMs: 5000 });
  assert.equal(result.acked.length, 1);
  assert.equal(result.nakked.length, 1);
  assert.equal(result.nakked[0].reason, 'Event rejected: duplicate');
  await until(() => naysayer.closed, 'nakking subscriber dropped');
  assert.equal(b.peerList().length, 1);
});

test('a subscriber that never acks leaves the result unanswered after the wait, without holding back the acks of others', async (t) => {
  const { b, port } = await broadcaster();
  const good = new VtpReceiver({
    host: '127.0.0.1',
    port,
    localIvo: 'ivo://good/x',
    onEvent: () => {},
  });
  const silent = new RawSubscriber(port);
  t.after(async () => {
    silent.socket.destroy();
    await good.stop();
    await b.close();
  });
  good.start();
  await until(() => b.peerList().length === 2, 'two subscribers');
  let goodAckAt = 0;
  const { xml, ivorn } = notice();
  const pending = b.broadcast(xml, ivorn, { ackTimeoutMs: 400 });
  await until(() => b.peerList().some((p) => p.acks === 1), 'the good ack');
  goodAckAt = Date.now();
  const result = await pending;
  assert.ok(Date.now() >= goodAckAt);
  assert.equal(result.acked.length, 1);
  assert.equal(result.unanswered.length, 1);
  assert.equal(
    silent.frames.filter((f) => f.kind === 'voevent').length,
    1,
    'the silent one got the event too',
  );
});

test('a non-whitelisted subscriber is refused before anything is sent to it', async (t) => {
  const { b, port } = await broadcaster({ whitelist: ['10.0.0.0/8'] });
  t.after(() => b.close());
  const refused: string[] = [];
  b.on('refused', (a: string) => refused.push(a));
  const intruder = new RawSubscriber(port);
  await until(() => intruder.closed, 'refusal');
  assert.deepEqual(intruder.frames, []);
  assert.equal(refused.length, 1);
  assert.equal(b.peerList().length, 0);
});

test('the receiver reconnects after the server drops it and after silence', async (t) => {
  // A server that accepts, stays silent, and counts connections.
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const receiver = new VtpReceiver({
    host: '127.0.0.1',
    port,
    localIvo: 'ivo://sub/x',
    onEvent: () => {},
    silenceMs: 150,
    minBackoffMs: 20,
    maxBackoffMs: 40,
  });
  t.after(async () => {
    await receiver.stop();
    for (const s of sockets) s.destroy();
    server.close();
  });
  const disconnects: string[] = [];
  receiver.on('disconnected', (d: { reason: string }) => disconnects.push(d.reason));
  receiver.start();
  await until(() => sockets.length === 1, 'first connection');
  sockets[0].destroy();
  await until(() => sockets.length === 2, 'reconnection after a drop');
  await until(() => sockets.length >= 3, 'reconnection after silence');
  assert.ok(disconnects.length >= 2);
  // The receiver answers keep-alives on the live connection with the Origin copied.
  const live = sockets.at(-1)!;
  const decoder = new FrameDecoder();
  const replies: ReturnType<typeof parseFrame>[] = [];
  live.on('data', (c) => {
    for (const f of decoder.push(c)) replies.push(parseFrame(f, 'receiver'));
  });
  live.write(
    encodeFrame(transportMessage({ role: 'iamalive', origin: 'ivo://nasa.gsfc.gcn/GCN#' })),
  );
  await until(() => replies.length === 1, 'iamalive reply');
  assert.deepEqual(
    replies[0].kind === 'transport' && [replies[0].role, replies[0].origin, replies[0].response],
    ['iamalive', 'ivo://nasa.gsfc.gcn/GCN#', 'ivo://sub/x'],
  );
});

test(
  'the reference Initial notice travels unchanged',
  needsShared('gwcelery/tests/G298048-1-Initial.xml'),
  async (t) => {
    const { b, port } = await broadcaster();
    const received: VoeventFrame[] = [];
    const receiver = new VtpReceiver({
      host: '127.0.0.1',
      port,
      localIvo: 'ivo://sub/x',
      onEvent: (e) => {
        received.push(e);
      },
    });
    t.after(async () => {
      await receiver.stop();
      await b.close();
    });
    receiver.start();
    await until(() => b.peerList().length === 1, 'subscription');
    const bytes = readFileSync(sharedData('gwcelery/tests/G298048-1-Initial.xml')!);
    const result = await b.broadcast(bytes, 'ivo://gwnet/gcn_sender#G298048-1-Initial');
    assert.equal(result.acked.length, 1);
    await until(() => received.length === 1, 'event');
    assert.ok(received[0].bytes.equals(bytes));
  },
);
