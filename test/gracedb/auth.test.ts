import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { after, before, test } from 'node:test';
import { GraceDbClient } from '../../src/gracedb/client.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import {
  olibPayload,
  startTestGraceDb,
  type TestGraceDb,
  TOKEN,
  testClientOptions,
  USER,
} from './helpers.js';

/** Who may do what: tokens for writes, the public's view, the write rate limit, client certificates. */
const T = unixToGps(Date.parse('2024-07-07T07:00:00Z') / 1000);
const tls = new URL('../fixtures/gracedb/tls/', import.meta.url);

async function request(
  g: TestGraceDb,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  const response = await fetch(new URL(path, g.service.url), { method, headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

let g: TestGraceDb;
let sid: string;
let gid: string;

before(async () => {
  g = await startTestGraceDb();
  const event = await g.client.createEvent(olibPayload(T), 'AllSky', 'oLIB', 'Burst');
  gid = event.graceid;
  sid = (await g.client.createSuperevent(gid, T, T - 1, T + 1))!;
});
after(() => g?.close());

test('writes need a valid bearer token (or Basic with the token as password)', async () => {
  const anonymous = await request(
    g,
    'POST',
    `superevents/${sid}/labels/`,
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    'name=DQOK',
  );
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.text, '{"detail":"Authentication credentials were not provided."}');
  const wrong = await request(
    g,
    'POST',
    `superevents/${sid}/labels/`,
    { Authorization: 'Bearer nope', 'Content-Type': 'application/x-www-form-urlencoded' },
    'name=DQOK',
  );
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('www-authenticate'), 'Bearer');
  const basic = await request(
    g,
    'POST',
    `superevents/${sid}/labels/`,
    {
      Authorization: `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    'name=DQOK',
  );
  assert.equal(basic.status, 201);
  assert.equal(JSON.parse(basic.text).creator, USER);
  const me = await request(g, 'GET', 'user-info/', { Authorization: `Bearer ${TOKEN}` });
  assert.deepEqual(JSON.parse(me.text), { username: USER });
  assert.deepEqual(JSON.parse((await request(g, 'GET', 'user-info/')).text), {
    username: 'AnonymousUser',
  });
  const client = g.newClient({ token: 'wrong' });
  await assert.rejects(
    client.createLabel('DQOK', sid),
    /create_label DQOK on S\d+[a-z]+ failed: HTTP 401/,
  );
});

test('the public sees exposed superevents only, and only the log entries and files tagged public', async () => {
  assert.equal((await request(g, 'GET', `events/${gid}`)).status, 404);
  assert.equal((await request(g, 'GET', `superevents/${sid}/`)).status, 404);
  await g.client.upload('secret', 'internal.txt', sid, 'internal note', []);
  const open = await g.client.upload('public', 'public.txt', sid, 'public note', []);
  await g.client.createTag(open!, 'public', sid);
  const exposing = g.newClient({ exposeToPublic: true });
  await exposing.exposeSuperevent(sid);
  const logs = JSON.parse((await request(g, 'GET', `superevents/${sid}/logs/`)).text);
  assert.deepEqual(
    logs.log.map((e: { comment: string }) => e.comment),
    ['public note'],
  );
  const files = JSON.parse((await request(g, 'GET', `superevents/${sid}/files/`)).text);
  assert.deepEqual(Object.keys(files), ['public.txt', 'public.txt,0']);
  assert.equal((await request(g, 'GET', `superevents/${sid}/files/internal.txt`)).status, 404);
  assert.equal((await request(g, 'GET', `superevents/${sid}/files/public.txt,0`)).text, 'public');
  assert.equal((await request(g, 'GET', `superevents/${sid}/events/`)).status, 404);
  assert.equal((await request(g, 'GET', `superevents/${sid}/labels/`)).status, 200);
});

test('a per-user write rate limit answers 429 with Retry-After; the client waits and gets through', async () => {
  const limited = await startTestGraceDb({ writeRatePerS: 2 });
  try {
    const event = await limited.client.createEvent(olibPayload(T), 'AllSky', 'oLIB', 'Burst');
    const s = (await limited.client.createSuperevent(event.graceid, T, T - 1, T + 1))!;
    const post = () =>
      request(
        limited,
        'POST',
        `superevents/${s}/logs/`,
        { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        '{"comment": "x"}',
      );
    const answers = [await post(), await post(), await post()];
    const throttled = answers.find((a) => a.status === 429);
    assert.ok(throttled, `statuses ${answers.map((a) => a.status)}`);
    assert.equal(throttled.headers.get('retry-after'), '1');
    assert.equal(
      throttled.text,
      '{"detail":"Request was throttled. Expected available in 1 second."}',
    );
    // Labels are not annotations: not counted.
    for (const label of ['DQOK', 'EM_READY', 'SKYMAP_READY'])
      await limited.client.createLabel(label, s);
    // The client retries 429 honouring Retry-After and every upload lands.
    const client = limited.newClient({
      retry: { baseMs: 5, max: 10, maxDelayMs: 50, jitter: false },
    });
    const files = await Promise.all(
      [0, 1, 2, 3].map((i) => client.upload(`c${i}`, 'f.txt', s, `upload ${i}`, [])),
    );
    assert.deepEqual(files.sort(), ['f.txt,0', 'f.txt,1', 'f.txt,2', 'f.txt,3']);
  } finally {
    await limited.close();
  }
});

test('anonymous requests are limited per address and minute', async () => {
  const limited = await startTestGraceDb({ anonymousRatePerMin: 3 });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(limited, 'GET', '')).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal(
      (await request(limited, 'GET', '', { Authorization: `Bearer ${TOKEN}` })).status,
      200,
    );
  } finally {
    await limited.close();
  }
});

test('over HTTPS a verified client certificate authenticates its subject', async () => {
  const secure = await startTestGraceDb({
    tls: {
      key: readFileSync(new URL('server.key', tls)),
      cert: readFileSync(new URL('server.pem', tls)),
      ca: readFileSync(new URL('ca.pem', tls)),
    },
    tokens: {},
  });
  const paths = {
    cert: new URL('client.pem', tls).pathname,
    key: new URL('client.key', tls).pathname,
    ca: new URL('ca.pem', tls).pathname,
  };
  const client = new GraceDbClient(
    testClientOptions(secure.service.url, { token: undefined, ...paths }),
  );
  try {
    assert.match(secure.service.url, /^https:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const event = await client.createEvent(olibPayload(T), 'AllSky', 'oLIB', 'Burst');
    assert.equal(event.submitter, 'gwcelery-robot');
    const noCert = new GraceDbClient(
      testClientOptions(secure.service.url, { token: undefined, ca: paths.ca }),
    );
    await assert.rejects(noCert.createLabel('DQOK', event.graceid), /HTTP 401/);
    noCert.close();
    // Without the CA the server certificate is not trusted: not retryable, a clear error.
    const untrusting = new GraceDbClient(
      testClientOptions(secure.service.url, { token: undefined }),
    );
    await assert.rejects(
      untrusting.getEvent(event.graceid),
      /get_event .* failed: .*(self.signed|unable to (get|verify))/i,
    );
    untrusting.close();
  } finally {
    client.close();
    https.globalAgent.destroy();
    await secure.close();
  }
});
