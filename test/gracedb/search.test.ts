import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { EventJson } from '../../src/gracedb/client.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { coincXml } from './coinc-fixture.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from './helpers.js';

/** The query language subset clients send (gracedb-api.md §6, §9.9), pages, sort and count. */
let g: TestGraceDb;
const T = unixToGps(Date.parse('2024-06-06T06:00:00Z') / 1000);
let cbc: EventJson[];
let burst: EventJson;
let testEvent: EventJson;
let mdcEvent: EventJson;
let grb: EventJson;
let sid: string;
let mdcSid: string;
let testSid: string;

before(async () => {
  g = await startTestGraceDb();
  cbc = [];
  for (let i = 0; i < 7; i++) {
    cbc.push(
      await g.client.createEvent(
        coincXml({ gpstime: T + i, far: 10 ** -(5 + i), snr: 8 + i }),
        'AllSky',
        i % 2 ? 'pycbc' : 'gstlal',
        'CBC',
      ),
    );
  }
  burst = await g.client.createEvent(olibPayload(T + 0.5, 1e-8), 'AllSky', 'oLIB', 'Burst');
  testEvent = await g.client.createEvent(
    coincXml({ gpstime: T + 0.25 }),
    'AllSky',
    'gstlal',
    'Test',
  );
  mdcEvent = await g.client.createEvent(coincXml({ gpstime: T + 0.75 }), 'MDC', 'gstlal', 'CBC');
  grb = await g.client.createEvent(
    readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url)),
    'GRB',
    'Fermi',
    'External',
  );
  sid = (await g.client.createSuperevent(cbc[0]!.graceid, T, T - 1, T + 1))!;
  await g.client.addEventToSuperevent(sid, burst.graceid);
  await g.client.addEventToSuperevent(sid, grb.graceid);
  mdcSid = (await g.client.createSuperevent(mdcEvent.graceid, T + 0.75, T, T + 1))!;
  testSid = (await g.client.createSuperevent(testEvent.graceid, T + 0.25, T, T + 1))!;
  await g.client.createLabel('EM_READY', cbc[1]!.graceid);
  await g.client.createLabel('ADVOK', cbc[1]!.graceid).catch(() => undefined);
  await g.client.createLabel('DQV', cbc[2]!.graceid);
  await g.client.createLabel('INJ', cbc[3]!.graceid);
  await g.client.createLabel('EM_READY', cbc[3]!.graceid);
  for (let i = 1; i < 5; i++) {
    await g.client.createSuperevent(cbc[i * 1 + 1]!.graceid, T + i * 1 + 1, T + i, T + i + 1.5);
  }
});
after(() => g?.close());

const ids = (events: { graceid: string }[]) => events.map((e) => e.graceid).sort();
const sids = (superevents: { superevent_id: string }[]) => superevents.map((s) => s.superevent_id);

/** The search envelopes (§1.5) and error bodies, as these tests read them. */
interface SearchAnswer {
  numRows: number;
  events: { graceid: string }[];
  superevents: { superevent_id: string; gw_events?: string[] }[];
  links: Record<string, string | null | undefined>;
  error?: string;
  detail?: string;
}

async function raw(path: string, auth = true): Promise<{ status: number; body: SearchAnswer }> {
  const response = await fetch(new URL(path, g.service.url), {
    headers: auth ? { Authorization: `Bearer ${TOKEN}` } : {},
  });
  return { status: response.status, body: (await response.json()) as SearchAnswer };
}

test("the superevent's CBC and Burst members, with Test and MDC lifted by appending them", async () => {
  assert.deepEqual(
    ids(await g.client.getEvents(`superevent: ${sid} group: CBC Burst`)),
    ids([cbc[0]!, burst]),
  );
  assert.deepEqual(
    ids(await g.client.getEvents(`superevent: ${mdcSid} group: CBC Burst MDC`)),
    ids([mdcEvent]),
  );
  assert.deepEqual(
    ids(await g.client.getEvents(`superevent: ${testSid} group: CBC Burst Test`)),
    ids([testEvent]),
  );
  // Without the suffix the default exclusions hide Test and MDC events.
  assert.deepEqual(await g.client.getEvents(`superevent: ${mdcSid} group: CBC Burst`), []);
  assert.deepEqual(await g.client.getEvents(`superevent: ${testSid}`), []);
  assert.deepEqual(
    ids(await g.client.getEvents(`superevent: ${sid.toLowerCase()}`)),
    ids([cbc[0]!, burst, grb]),
  );
});

test('external events by trigger id and by GPS window (RAVEN)', async () => {
  assert.deepEqual(
    ids(
      await g.client.getEvents('group: External pipeline: Fermi grbevent.trigger_id = "702763955"'),
    ),
    [grb.graceid],
  );
  assert.deepEqual(
    await g.client.getEvents('group: External pipeline: Fermi grbevent.trigger_id = "1"'),
    [],
  );
  const window = `External ${grb.gpstime! - 10} .. ${grb.gpstime! + 10}`;
  assert.deepEqual(ids(await g.client.getEvents(window)), [grb.graceid]);
  assert.deepEqual(await g.client.getEvents(`${window} MDC`), [], 'MDC as a search term');
});

test('superevents by category and t_0 window; a bare window means Production', async () => {
  assert.deepEqual(
    sids(await g.client.getSuperevents(`category: production ${T - 0.5} .. ${T + 0.5}`)),
    [sid],
  );
  assert.deepEqual(sids(await g.client.getSuperevents(`category: mdc ${T - 1} .. ${T + 1}`)), [
    mdcSid,
  ]);
  assert.deepEqual(sids(await g.client.getSuperevents(`category: test ${T - 1} .. ${T + 1}`)), [
    testSid,
  ]);
  assert.deepEqual(sids(await g.client.getSuperevents(`${T - 1} .. ${T + 1}`)), [sid]);
  assert.deepEqual(sids(await g.client.getSuperevents(`${T - 1} .. ${T + 1} MDC`)), [mdcSid]);
  const all = await g.client.getSuperevents('');
  assert.equal(all.length, 7, 'an empty query returns every category');
  const typeahead = await g.client.getSuperevents(
    `category: Production t_0: ${T - 1} .. ${T + 10}`,
    { sort: 'superevent_id' },
  );
  assert.deepEqual(sids(typeahead), ['S240606a', 'S240606b', 'S240606c', 'S240606d', 'S240606e']);
  assert.deepEqual(sids(await g.client.getSuperevents(sid)), [sid]);
  assert.deepEqual(sids(await g.client.getSuperevents(`id: ${mdcSid}`)), [mdcSid]);
  assert.deepEqual(sids(await g.client.getSuperevents(`event: ${burst.graceid}`)), [sid]);
  assert.deepEqual(sids(await g.client.getSuperevents(`preferred_event: ${cbc[0]!.graceid}`)), [
    sid,
  ]);
  assert.deepEqual(sids(await g.client.getSuperevents('S240606*')).sort(), [
    'S240606a',
    'S240606b',
    'S240606c',
    'S240606d',
    'S240606e',
  ]);
  assert.deepEqual(sids(await g.client.getSuperevents(`far < 1e-8 t_0: ${T - 10} .. ${T + 10}`)), [
    'S240606e',
    'S240606d',
  ]);
});

test('pagination follows links.next; count, sort and the envelopes', async () => {
  const page = await raw('events/?query=group%3A+CBC&count=3&sort=gpstime');
  assert.equal(page.body.numRows, 7);
  assert.equal(page.body.events.length, 3);
  assert.deepEqual(Object.keys(page.body.links), ['self', 'first', 'last', 'next']);
  assert.equal(
    page.body.links.next,
    `${g.service.url}events/?start=3&count=3&sort=gpstime&query=group%3A+CBC`,
  );
  assert.equal(
    page.body.links.last,
    `${g.service.url}events/?start=6&count=3&sort=gpstime&query=group%3A+CBC`,
  );
  const lastPage = await raw('events/?start=6&count=3&sort=gpstime&query=group%3A+CBC');
  assert.equal(lastPage.body.links.next, undefined);
  const all = await g.client.getEvents('group: CBC', { count: 3, sort: 'gpstime' });
  assert.deepEqual(
    all.map((e) => e.graceid),
    cbc.map((e) => e.graceid),
  );
  const newestFirst = await g.client.getEvents('group: CBC', { count: 2 });
  assert.deepEqual(
    newestFirst.map((e) => e.graceid),
    cbc.map((e) => e.graceid).reverse(),
  );
  const byFar = await g.client.getEvents('group: CBC', { sort: 'far' });
  assert.deepEqual(
    byFar.map((e) => e.graceid),
    cbc.map((e) => e.graceid).reverse(),
  );

  const supers = await raw('superevents/?query=&count=2');
  assert.deepEqual(Object.keys(supers.body), ['numRows', 'superevents', 'links']);
  assert.deepEqual(Object.keys(supers.body.links), ['self', 'next', 'previous', 'first', 'last']);
  assert.equal(supers.body.links.previous, null);
  assert.equal(supers.body.numRows, 7);
  const paged = await g.client.getSuperevents('', { count: 2, sort: 'superevent_id' });
  // Date, then number; ties between categories by creation.
  assert.deepEqual(sids(paged), [
    'S240606a',
    'MS240606a',
    'TS240606a',
    'S240606b',
    'S240606c',
    'S240606d',
    'S240606e',
  ]);
});

test('labels, FAR, membership and attribute terms', async () => {
  const [, c1, c2, c3] = cbc;
  assert.deepEqual(ids(await g.client.getEvents('EM_READY')), ids([c1!, c3!]));
  assert.deepEqual(ids(await g.client.getEvents('label: EM_READY & ~INJ')), ids([c1!]));
  assert.deepEqual(ids(await g.client.getEvents('DQV | INJ')), ids([c2!, c3!]));
  assert.deepEqual(ids(await g.client.getEvents('EM_READY & -INJ')), ids([c1!]));
  assert.deepEqual(ids(await g.client.getEvents('group: CBC far < 1e-9')), ids(cbc.slice(5)));
  assert.deepEqual(ids(await g.client.getEvents('group: CBC far >= 1e-6')), ids(cbc.slice(0, 2)));
  assert.deepEqual(
    ids(await g.client.getEvents('group: CBC far: 1e-7 .. 1e-6')),
    ids(cbc.slice(1, 3)),
  );
  assert.equal((await g.client.getEvents('hasfar')).length, 8);
  assert.deepEqual(ids(await g.client.getEvents('in_superevent: true group: Burst')), [
    burst.graceid,
  ]);
  assert.deepEqual(
    ids(await g.client.getEvents('is_preferred_event: true pipeline: pycbc')),
    ids([cbc[3]!, cbc[5]!]),
  );
  assert.deepEqual(ids(await g.client.getEvents('ci.snr > 13.5')), ids(cbc.slice(6)));
  assert.deepEqual(
    ids(await g.client.getEvents('si.ifo = "L1" & ci.snr < 9')),
    ids(cbc.slice(0, 1)),
  );
  assert.deepEqual(
    ids(await g.client.getEvents('(ci.snr < 8.5 | ci.snr > 13.5)')),
    ids([cbc[0]!, cbc[6]!]),
  );
  assert.deepEqual(ids(await g.client.getEvents('li.bci in 7, 8')), [burst.graceid]);
  assert.deepEqual(ids(await g.client.getEvents(`${T + 2} .. ${T + 3}`)), ids(cbc.slice(2, 4)));
  assert.deepEqual(ids(await g.client.getEvents(`gpstime: ${T + 4}`)), [cbc[4]!.graceid]);
  assert.deepEqual(
    ids(await g.client.getEvents(`${cbc[2]!.graceid} .. ${cbc[4]!.graceid}`)),
    ids(cbc.slice(2, 5)),
  );
  assert.deepEqual(
    ids(await g.client.getEvents(testEvent.graceid)),
    [testEvent.graceid],
    'a T id lifts the Test exclusion',
  );
  assert.deepEqual(
    ids(await g.client.getEvents('pipeline: pycbc nevents: 2')),
    ids([cbc[1]!, cbc[3]!, cbc[5]!]),
  );
  assert.deepEqual(ids(await g.client.getEvents('submitter: "emfo" ifos: H1,L1 group: Burst')), [
    burst.graceid,
  ]);
  assert.equal((await g.client.getEvents('created: yesterday .. now group: CBC')).length, 7);
  assert.equal((await g.client.getEvents('created: 2001-01-01 .. 2001-01-02 12:00:00')).length, 0);
  assert.equal((await g.client.getEvents('created: 1 week ago .. now pipeline: oLIB')).length, 1);
});

test('an unreadable query is a 400 with the documented body', async () => {
  assert.deepEqual(await raw('events/?query=nonsense%3A+42'), {
    status: 400,
    body: { error: 'Invalid query' },
  });
  assert.deepEqual(await raw('events/?query=far+%3C'), {
    status: 400,
    body: { error: 'Invalid query' },
  });
  assert.deepEqual(await raw('superevents/?query=G1234'), {
    status: 400,
    body: { detail: 'Invalid query' },
  });
  assert.deepEqual(await raw('superevents/?query=zzz'), {
    status: 400,
    body: { detail: 'Invalid query' },
  });
  await assert.rejects(
    g.client.getSuperevents('category: nope'),
    /get_superevents 'category: nope' failed: HTTP 400/,
  );
});

test('the public sees no events and only exposed superevents', async () => {
  assert.equal((await raw('events/?query=', false)).body.numRows, 0);
  assert.equal((await raw('superevents/?query=', false)).body.numRows, 0);
  const exposing = g.newClient({ exposeToPublic: true });
  await exposing.exposeSuperevent(sid);
  const visible = await raw('superevents/?query=', false);
  assert.deepEqual(
    visible.body.superevents.map((s) => s.superevent_id),
    [sid],
  );
  assert.equal(visible.body.superevents[0].gw_events, undefined);
  assert.equal(
    (await raw(`superevents/?query=${encodeURIComponent('is_public: true')}`)).body.numRows,
    1,
  );
  assert.equal(
    (await raw(`superevents/?query=${encodeURIComponent('internal category: production')}`)).body
      .numRows,
    4,
  );
});
