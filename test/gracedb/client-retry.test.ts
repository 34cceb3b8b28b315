import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GraceDbClient } from '../../src/gracedb/client.js';
import { GraceDbError } from '../../src/gracedb/errors.js';
import { backoffMs, retryAfterMs } from '../../src/gracedb/transport.js';
import { FaultProxy } from './fault-proxy.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, testClientOptions } from './helpers.js';

/**
 * Retries over real sockets: a proxy between client and service answers with 503 and 429
 * storms, resets connections and stalls, and the client must get through (or give up naming
 * the operation), never send a non-retryable request twice, and honour Retry-After.
 */
let g: TestGraceDb;
let proxy: FaultProxy;
let client: GraceDbClient;
let sid: string;

before(async () => {
  proxy = await FaultProxy.start();
  g = await startTestGraceDb({ publicUrl: proxy.url });
  proxy.setTarget(g.service.listenUrl);
  client = new GraceDbClient(testClientOptions(proxy.url, { timeoutMs: 300 }));
  const event = await client.createEvent(olibPayload(1365450831.8996), 'AllSky', 'oLIB', 'Burst');
  sid = (await client.createSuperevent(event.graceid, 1365450831.8996, 1365450830, 1365450833))!;
});

after(async () => {
  client?.close();
  await g?.close();
  await proxy?.close();
});

function requestsSince(mark: number) {
  return proxy.seen.slice(mark);
}

test('a 503 storm is retried until the service answers', async () => {
  const mark = proxy.seen.length;
  proxy.inject(...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503 })));
  await client.createLabel('EM_READY', sid);
  const seen = requestsSince(mark);
  assert.equal(seen.length, 7);
  assert.deepEqual(
    seen.map((s) => s.fault ?? 'forwarded'),
    ['status', 'status', 'status', 'status', 'status', 'status', 'forwarded'],
  );
  assert.ok((await client.getLabels(sid)).has('EM_READY'));
});

test('a mixed storm of 429, 502, 504, 408, 409, resets and stalls is retried', async () => {
  const mark = proxy.seen.length;
  proxy.inject(
    { kind: 'status', status: 429, retryAfter: '0' },
    { kind: 'status', status: 502 },
    { kind: 'reset' },
    { kind: 'status', status: 504 },
    { kind: 'stall' },
    { kind: 'status', status: 408 },
    { kind: 'status', status: 409 },
  );
  const file = await client.upload('contents', 'notes.txt', sid, 'a note', ['analyst_comments']);
  assert.equal(file, 'notes.txt,0');
  assert.equal(requestsSince(mark).length, 8);
  assert.equal((await client.download('notes.txt,0', sid)).toString(), 'contents');
});

test('Retry-After is honoured: the retry waits at least that long', async () => {
  const mark = proxy.seen.length;
  proxy.inject({
    kind: 'status',
    status: 429,
    retryAfter: '1',
    body: '{"detail":"Request was throttled. Expected available in 1 second."}',
  });
  await client.getSuperevent(sid);
  const [throttled, retried] = requestsSince(mark);
  assert.ok(throttled && retried);
  // The client's own back-off here is 5 ms; only Retry-After explains a 1 s gap.
  assert.ok(retried.at - throttled.at >= 950, `retried after ${retried.at - throttled.at} ms`);
});

test('giving up after max retries names the operation, the object and the last answer', async () => {
  const mark = proxy.seen.length;
  proxy.inject(...Array.from({ length: 11 }, () => ({ kind: 'status' as const, status: 503 })));
  await assert.rejects(client.createLabel('DQOK', sid), (err: Error) => {
    assert.ok(err instanceof GraceDbError);
    assert.equal(err.operation, 'create_label');
    assert.equal(err.status, 503);
    assert.match(
      err.message,
      new RegExp(`^create_label DQOK on ${sid} failed: HTTP 503 .*gave up after 11 attempts`),
    );
    return true;
  });
  assert.equal(requestsSince(mark).length, 11);
  assert.equal(proxy.pending(), 0);
});

test('connection errors and timeouts exhaust to a GraceDbError that says so', async () => {
  const stubborn = new GraceDbClient(
    testClientOptions(proxy.url, {
      timeoutMs: 200,
      retry: { baseMs: 1, max: 2, maxDelayMs: 5, jitter: false },
    }),
  );
  try {
    proxy.inject({ kind: 'reset' }, { kind: 'stall' }, { kind: 'reset' });
    await assert.rejects(stubborn.getSuperevent(sid), (err: Error) => {
      assert.ok(err instanceof GraceDbError);
      assert.match(
        err.message,
        new RegExp(
          `^get_superevent ${sid} failed: .*(socket hang up|ECONNRESET).*gave up after 3 attempts`,
        ),
      );
      return true;
    });
    const refused = new GraceDbClient(
      testClientOptions('http://127.0.0.1:1/api/', {
        retry: { baseMs: 1, max: 1, maxDelayMs: 5, jitter: false },
      }),
    );
    await assert.rejects(
      refused.getEvent('G1234'),
      /^GraceDbError: get_event G1234 failed: .*ECONNREFUSED.*gave up after 2 attempts/,
    );
    refused.close();
  } finally {
    stubborn.close();
  }
});

test('an answer that is not retryable fails at once, without a second request', async () => {
  const mark = proxy.seen.length;
  await assert.rejects(client.getSuperevent('S990101zz'), (err: Error) => {
    assert.ok(err instanceof GraceDbError);
    assert.equal(err.status, 404);
    assert.equal(err.message, 'get_superevent S990101zz failed: HTTP 404 {"detail":"Not found."}');
    return true;
  });
  assert.equal(requestsSince(mark).length, 1);
});

test('back-off doubles from the base, is capped, and yields to a longer Retry-After', () => {
  const policy = { baseMs: 20_000, max: 10, maxDelayMs: 600_000, jitter: false };
  assert.deepEqual(
    [0, 1, 2, 3, 5, 9].map((a) => backoffMs(policy, a)),
    [20_000, 40_000, 80_000, 160_000, 600_000, 600_000],
  );
  assert.equal(backoffMs(policy, 0, 90_000), 90_000);
  assert.equal(backoffMs(policy, 2, 1_000), 80_000);
  const jittered = backoffMs({ ...policy, jitter: true }, 1, undefined, () => 0);
  assert.equal(jittered, 20_000);
  assert.equal(retryAfterMs('7'), 7000);
  assert.equal(
    retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    5000,
  );
  assert.equal(retryAfterMs(undefined), undefined);
});
