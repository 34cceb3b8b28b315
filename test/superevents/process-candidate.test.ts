/**
 * `superevents.process`'s logic against the real embedded GraceDB service (HTTP, SQLite),
 * without the engine: grouping, window growth, preferred event, locking, labels, and what a
 * second run of any message does (nothing), including after a run that died half-way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraceDbClient } from '../../src/gracedb/client.js';
import {
  type CandidateAlert,
  processCandidate,
  type SupereventGraceDb,
} from '../../src/pipeline/superevents/process-candidate.js';
import {
  type CandidateEvent,
  DEFAULT_SUPEREVENT_SETTINGS,
} from '../../src/pipeline/superevents/rules.js';
import { startTestGraceDb, type TestGraceDb } from '../gracedb/helpers.js';
import { READY } from './events.js';
import { gracedbState, upload } from './gracedb-uploads.js';

const T = 1400000000;
const settings = DEFAULT_SUPEREVENT_SETTINGS;

function newAlert(event: Record<string, unknown>): CandidateAlert {
  return { uid: String(event.graceid), alert_type: 'new', object: event as CandidateEvent };
}

async function labelAlert(
  client: GraceDbClient,
  gid: string,
  label: string,
): Promise<CandidateAlert> {
  await client.createLabel(label, gid);
  return {
    uid: gid,
    alert_type: 'label_added',
    object: (await client.getEvent(gid)) as CandidateEvent,
    data: { name: label },
  };
}

async function withGraceDb(t: { after(fn: () => Promise<void>): void }): Promise<TestGraceDb> {
  const g = await startTestGraceDb();
  t.after(() => g.close());
  return g;
}

/** The comparable state: no creation times, no links (ports differ between services). */
async function comparable(client: GraceDbClient, graceids: string[]) {
  const state = await gracedbState(client, graceids);
  return {
    superevents: state.superevents.map((s) => ({
      superevent_id: s.superevent_id,
      category: s.category,
      preferred_event: s.preferred_event,
      t_start: s.t_start,
      t_0: s.t_0,
      t_end: s.t_end,
      gw_events: [...s.gw_events].sort(),
      labels: [...s.labels].sort(),
    })),
    logs: state.logs,
    membership: state.membership,
  };
}

test('a lone candidate creates a superevent with its window, as preferred event', async (t) => {
  const g = await withGraceDb(t);
  const event = await upload(g.client, { pipeline: 'gstlal', gpstime: T + 0.25, far: 1e-10 });
  const out = await processCandidate(g.client, settings, newAlert(event));
  assert.equal(out.action, 'created');
  assert.deepEqual(out.labels, ['ADVREQ'], 'significant but not complete');
  const s = await g.client.getSuperevent(out.superevent_id);
  assert.match(s.superevent_id, /^S\d{6}a$/);
  assert.deepEqual([s.t_start, s.t_0, s.t_end], [T - 0.75, T + 0.25, T + 1.25]);
  assert.equal(s.preferred_event, event.graceid);
  assert.deepEqual(s.labels, ['ADVREQ']);
});

test('an overlapping candidate joins, grows the window and becomes preferred when it ranks higher', async (t) => {
  const g = await withGraceDb(t);
  const a = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-6, snr: 10 });
  const b = await upload(g.client, { pipeline: 'pycbc', gpstime: T + 1.5, far: 1e-6, snr: 11 });
  const c = await upload(g.client, { pipeline: 'MBTA', gpstime: T + 0.1, far: 1e-6, snr: 9 });
  const first = await processCandidate(g.client, settings, newAlert(a));
  const second = await processCandidate(g.client, settings, newAlert(b));
  const third = await processCandidate(g.client, settings, newAlert(c));
  assert.equal(second.action, 'joined');
  assert.equal(third.action, 'joined');
  assert.equal(second.superevent_id, first.superevent_id);
  assert.equal(third.superevent_id, first.superevent_id);
  assert.deepEqual(second.change, {
    t_start: T - 1,
    t_end: T + 2.5,
    t_0: T + 1.5,
    preferred_event: b.graceid,
  });
  assert.deepEqual(third.change, {}, 'inside the window and quieter: nothing to change');
  const s = await g.client.getSuperevent(first.superevent_id);
  assert.deepEqual([s.t_start, s.t_0, s.t_end], [T - 1, T + 1.5, T + 2.5]);
  assert.equal(s.preferred_event, b.graceid);
  assert.deepEqual([...s.gw_events].sort(), [a.graceid, b.graceid, c.graceid].sort());
  assert.deepEqual(s.labels, [], 'less-significant but incomplete candidates get no label');
});

test('touching windows, other categories and far-away candidates make separate superevents', async (t) => {
  const g = await withGraceDb(t);
  const a = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-6 });
  const touching = await upload(g.client, { pipeline: 'gstlal', gpstime: T + 2, far: 1e-6 });
  const mdc = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-6, search: 'MDC' });
  const later = await upload(g.client, { pipeline: 'pycbc', gpstime: T + 150, far: 1e-6 });
  const outs = [];
  for (const e of [a, touching, mdc, later])
    outs.push(await processCandidate(g.client, settings, newAlert(e)));
  assert.deepEqual(
    outs.map((o) => o.action),
    ['created', 'created', 'created', 'created'],
  );
  assert.equal(new Set(outs.map((o) => o.superevent_id)).size, 4);
  assert.match(outs[2]!.superevent_id, /^MS/, 'an MDC candidate makes an MDC superevent');
});

test('completion: EM_READY, SIGNIF_LOCKED, LOW_SIGNIF_LOCKED; then the preferred event is frozen', async (t) => {
  const g = await withGraceDb(t);
  const quiet = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-10, snr: 9 });
  const loud = await upload(g.client, { pipeline: 'pycbc', gpstime: T + 0.5, far: 1e-10, snr: 20 });
  const created = await processCandidate(g.client, settings, newAlert(quiet));
  await processCandidate(g.client, settings, newAlert(loud));
  const sid = created.superevent_id;
  assert.equal((await g.client.getSuperevent(sid)).preferred_event, loud.graceid);

  // The quiet candidate completes first: it outranks the loud incomplete one, and locks.
  let completing: CandidateAlert | undefined;
  for (const label of READY) completing = await labelAlert(g.client, String(quiet.graceid), label);
  const locked = await processCandidate(g.client, settings, completing!);
  assert.equal(locked.action, 'member');
  assert.equal(locked.change.preferred_event, quiet.graceid);
  assert.deepEqual(
    locked.labels,
    ['EM_READY', 'SIGNIF_LOCKED', 'LOW_SIGNIF_LOCKED'],
    'ADVREQ was already there',
  );
  const s = await g.client.getSuperevent(sid);
  assert.equal(s.preferred_event, quiet.graceid);
  assert.equal(s.t_0, T);
  assert.deepEqual([...s.labels].sort(), [
    'ADVREQ',
    'EM_READY',
    'LOW_SIGNIF_LOCKED',
    'SIGNIF_LOCKED',
  ]);

  // The loud one completes later: it would rank higher, but LOW_SIGNIF_LOCKED froze the choice.
  for (const label of READY) completing = await labelAlert(g.client, String(loud.graceid), label);
  const frozen = await processCandidate(g.client, settings, completing!);
  assert.deepEqual(frozen.change, {});
  assert.deepEqual(frozen.labels, []);
  assert.equal((await g.client.getSuperevent(sid)).preferred_event, quiet.graceid);
});

test('an early-warning candidate gets EARLY_WARNING instead of SIGNIF_LOCKED', async (t) => {
  const g = await withGraceDb(t);
  const ew = await upload(g.client, {
    pipeline: 'gstlal',
    gpstime: T,
    far: 1e-10,
    search: 'EarlyWarning',
    labels: READY,
  });
  const out = await processCandidate(g.client, settings, newAlert(ew));
  assert.deepEqual(out.labels, ['EM_READY', 'ADVREQ', 'EARLY_WARNING', 'LOW_SIGNIF_LOCKED']);
  assert.deepEqual([...(await g.client.getSuperevent(out.superevent_id)).labels].sort(), [
    'ADVREQ',
    'EARLY_WARNING',
    'EM_READY',
    'LOW_SIGNIF_LOCKED',
  ]);
});

test('processing any message a second time changes nothing in GraceDB', async (t) => {
  const g = await withGraceDb(t);
  const uploads = [
    { pipeline: 'gstlal', gpstime: T, far: 1e-10, snr: 10 },
    { pipeline: 'pycbc', gpstime: T + 1.5, far: 1e-9, snr: 12 },
    { pipeline: 'oLIB', gpstime: T + 0.2, far: 1e-12 },
    { pipeline: 'MBTA', gpstime: T + 40, far: 1e-5, labels: READY },
  ];
  const events = [];
  for (const u of uploads) events.push(await upload(g.client, u));
  const alerts = events.map(newAlert);
  for (const a of alerts) await processCandidate(g.client, settings, a);
  for (const label of READY)
    alerts.push(await labelAlert(g.client, String(events[1]!.graceid), label));
  await processCandidate(g.client, settings, alerts.at(-1)!);
  const gids = events.map((e) => String(e.graceid));
  const before = await gracedbState(g.client, gids);
  for (const a of alerts) await processCandidate(g.client, settings, a);
  // Twice over, in the reverse order too.
  for (const a of [...alerts].reverse()) await processCandidate(g.client, settings, a);
  const after = await gracedbState(g.client, gids);
  assert.deepEqual(after, before);
  assert.ok(before.superevents.length >= 2);
});

/** A GraceDB whose writes die (like a killed worker) after `writesLeft` of them went through. */
function dyingAfter(client: GraceDbClient, writesLeft: number): SupereventGraceDb {
  let left = writesLeft;
  const write =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (left-- <= 0) throw new Error('worker died');
      return fn(...args);
    };
  return {
    getSuperevents: (q) => client.getSuperevents(q),
    getSuperevent: (sid) => client.getSuperevent(sid),
    getEvent: (gid) => client.getEvent(gid),
    createSuperevent: write(client.createSuperevent.bind(client)),
    addEventToSuperevent: write(client.addEventToSuperevent.bind(client)),
    updateSuperevent: write(client.updateSuperevent.bind(client)),
    createLabel: write(client.createLabel.bind(client)),
  };
}

/**
 * One scenario: A creates, B joins (growing the window and becoming preferred), then A
 * completes (preferred again, labels). The message at `crashAt` dies after `writes` writes and
 * is delivered again.
 */
async function scenario(g: TestGraceDb, crash?: { at: number; writes: number }) {
  const a = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-10, snr: 9 });
  const b = await upload(g.client, { pipeline: 'pycbc', gpstime: T + 1.5, far: 1e-10, snr: 12 });
  const messages: (() => Promise<CandidateAlert>)[] = [
    async () => newAlert(a),
    async () => newAlert(b),
    async () => {
      let alert: CandidateAlert | undefined;
      for (const label of READY) alert = await labelAlert(g.client, String(a.graceid), label);
      return alert!;
    },
  ];
  for (const [i, message] of messages.entries()) {
    const alert = await message();
    if (crash?.at === i) {
      await assert.rejects(
        processCandidate(dyingAfter(g.client, crash.writes), settings, alert),
        /worker died/,
      );
    }
    await processCandidate(g.client, settings, alert);
  }
  return comparable(g.client, [String(a.graceid), String(b.graceid)]);
}

test('a message whose run died after any of its writes, delivered again, ends where one clean run ends', async (t) => {
  const clean = await scenario(await withGraceDb(t));
  assert.equal(clean.superevents.length, 1);
  assert.deepEqual(clean.superevents[0]!.labels, [
    'ADVREQ',
    'EM_READY',
    'LOW_SIGNIF_LOCKED',
    'SIGNIF_LOCKED',
  ]);
  // Writes per message: create + ADVREQ; add + update; update + 3 labels.
  const writes = [2, 2, 4];
  for (const [at, count] of writes.entries()) {
    for (let w = 0; w < count; w++) {
      const recovered = await scenario(await withGraceDb(t), { at, writes: w });
      assert.deepEqual(recovered, clean, `message ${at} died after ${w} writes`);
    }
  }
});

test('create-superevent answered "already assigned" (a retried request that went through)', async (t) => {
  const g = await withGraceDb(t);
  const event = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-10 });
  const twice: SupereventGraceDb = {
    ...dyingAfter(g.client, Number.POSITIVE_INFINITY),
    async createSuperevent(gid, t0, tStart, tEnd) {
      await g.client.createSuperevent(gid, t0, tStart, tEnd);
      return g.client.createSuperevent(gid, t0, tStart, tEnd);
    },
  };
  const out = await processCandidate(twice, settings, newAlert(event));
  const sid = (await g.client.getEvent(String(event.graceid))).superevent;
  assert.equal(out.superevent_id, sid);
  assert.deepEqual(out.labels, ['ADVREQ']);
  assert.deepEqual((await g.client.getSuperevent(String(sid))).labels, ['ADVREQ']);
  assert.equal((await g.client.getSuperevents('')).length, 1, 'one superevent, not two');
});

test('a candidate an operator put in another superevent is updated where it is', async (t) => {
  const g = await withGraceDb(t);
  const x = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-10 });
  const y = await upload(g.client, { pipeline: 'pycbc', gpstime: T + 0.5, far: 1e-10 });
  const far = await upload(g.client, { pipeline: 'MBTA', gpstime: T + 500, far: 1e-10 });
  await processCandidate(g.client, settings, newAlert(y));
  const elsewhere = await g.client.createSuperevent(String(far.graceid), T + 500, T + 499, T + 501);
  await g.client.addEventToSuperevent(String(elsewhere), String(x.graceid));
  // The alert still says "no superevent": the manager tries to add x next to y, GraceDB
  // answers "already assigned", and the manager follows x to where it is.
  const out = await processCandidate(g.client, settings, newAlert(x));
  assert.equal(out.superevent_id, elsewhere);
  const s = await g.client.getSuperevent(String(elsewhere));
  assert.equal(s.t_start, T - 1, 'the window grew to cover x');
});

test('a linked candidate (object.superevent set) is ranked in its superevent', async (t) => {
  const g = await withGraceDb(t);
  const a = await upload(g.client, { pipeline: 'gstlal', gpstime: T, far: 1e-10, snr: 9 });
  const b = await upload(g.client, { pipeline: 'pycbc', gpstime: T + 0.5, far: 1e-10, snr: 12 });
  const { superevent_id: sid } = await processCandidate(g.client, settings, newAlert(a));
  await processCandidate(g.client, settings, newAlert(b));
  assert.equal((await g.client.getSuperevent(sid)).preferred_event, b.graceid);
  const raven = await labelAlert(g.client, String(a.graceid), 'RAVEN_ALERT');
  assert.equal(raven.object.superevent, sid);
  const out = await processCandidate(g.client, settings, raven);
  assert.equal(out.action, 'member');
  assert.equal(out.change.preferred_event, undefined, 'both pass the FAR tests already');
  // An INJ label on the preferred event makes the other candidate the better one.
  await g.client.createLabel('INJ', String(b.graceid));
  const again = await processCandidate(g.client, settings, raven);
  assert.equal(again.change.preferred_event, a.graceid);
});

test('bad GraceDB answers are errors that name the superevent and field', async () => {
  const broken: SupereventGraceDb = {
    getSuperevents: async () => [{ superevent_id: 'S1', t_start: 'x', t_end: 1, gw_events: [] }],
    getSuperevent: async () => ({}),
    getEvent: async () => ({}),
    createSuperevent: async () => undefined,
    addEventToSuperevent: async () => undefined,
    updateSuperevent: async () => undefined,
    createLabel: async () => undefined,
  };
  const event = {
    graceid: 'G1',
    group: 'CBC',
    pipeline: 'gstlal',
    search: 'AllSky',
    gpstime: T,
    far: 1e-10,
    extra_attributes: { CoincInspiral: { snr: 10 }, SingleInspiral: [{ ifo: 'H1' }] },
  };
  await assert.rejects(
    processCandidate(broken, settings, newAlert(event)),
    /superevent S1: t_start must be a number, got "x"/,
  );
});
