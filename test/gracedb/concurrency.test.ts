import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { GraceDbClient } from '../../src/gracedb/client.js';
import { GraceDbError } from '../../src/gracedb/errors.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { olibPayload, startTestGraceDb, type TestGraceDb } from './helpers.js';

/**
 * Concurrent writers never corrupt a superevent: several clients, each with its own keep-alive
 * connections, interleave add-event, label, unlabel, update and upload requests chosen by a
 * seeded PRNG; afterwards (and in every notification) the invariants hold.
 */

/** mulberry32: a small, seedable PRNG, so that a failing interleaving can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LABELS = ['EM_READY', 'DQOK', 'SKYMAP_READY', 'ADVREQ', 'SIGNIF_LOCKED', 'GCN_PRELIM_SENT'];
const CLIENTS = 4;
const OPERATIONS = 30;
const SEEDS = [1, 20240707, 987654321];

let g: TestGraceDb;
before(async () => {
  g = await startTestGraceDb();
});
after(() => g?.close());

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** One client's random sequence of writes; the expected refusals are part of the game. */
async function writer(
  client: GraceDbClient,
  random: () => number,
  sids: string[],
  pool: string[],
  base: number,
) {
  for (let i = 0; i < OPERATIONS; i++) {
    const sid = pick(random, sids);
    const op = random();
    try {
      if (op < 0.25) {
        await client.addEventToSuperevent(sid, pick(random, pool));
      } else if (op < 0.45) {
        await client.createLabel(pick(random, LABELS), sid);
      } else if (op < 0.55) {
        await client.removeLabel(pick(random, LABELS), sid);
      } else if (op < 0.8) {
        const t0 = base + random();
        const members = (await client.getSuperevent(sid)).gw_events;
        await client.updateSuperevent(sid, {
          t_0: t0,
          t_start: t0 - random(),
          t_end: t0 + random(),
          preferred_event: random() < 0.5 ? pick(random, members) : undefined,
        });
      } else {
        const withFile = random() < 0.5;
        const tags = random() < 0.5 ? ['analyst_comments'] : [];
        await client.upload(
          withFile ? 'x' : null,
          withFile ? 'notes.txt' : null,
          sid,
          `note ${i}`,
          tags,
        );
      }
    } catch (err) {
      // Adding an event that another client put in another superevent first is refused.
      if (
        !(
          err instanceof GraceDbError &&
          err.status === 400 &&
          /already assigned/.test(err.body ?? '')
        )
      )
        throw err;
    }
  }
}

function assertContiguous(ns: number[], what: string) {
  assert.deepEqual(
    ns,
    Array.from({ length: ns.length }, (_, i) => i + 1),
    `${what}: log N must be 1..${ns.length}`,
  );
}

for (const seed of SEEDS) {
  test(`random interleavings keep superevents consistent (seed ${seed})`, async () => {
    const random = prng(seed);
    const base = unixToGps(Date.parse('2024-08-08T08:00:00Z') / 1000) + (seed % 10000) * 10;
    const sids: string[] = [];
    const pool: string[] = [];
    for (let i = 0; i < 3; i++) {
      const event = await g.client.createEvent(
        olibPayload(base + i * 0.1),
        'AllSky',
        'oLIB',
        'Burst',
      );
      sids.push(
        (await g.client.createSuperevent(event.graceid, base + i * 0.1, base - 1, base + 1))!,
      );
    }
    for (let i = 0; i < 10; i++)
      pool.push(
        (await g.client.createEvent(olibPayload(base + random()), 'AllSky', 'oLIB', 'Burst'))
          .graceid,
      );
    const mark = g.publisher.messages.length;

    await Promise.all(
      Array.from({ length: CLIENTS }, (_, c) =>
        writer(g.newClient(), prng(seed * 31 + c), sids, pool, base),
      ),
    );

    const superevents = await Promise.all(sids.map((sid) => g.client.getSuperevent(sid)));
    assert.equal(new Set(superevents.map((s) => s.superevent_id)).size, sids.length, 'ids unique');
    const owner = new Map<string, string>();
    for (const s of superevents) {
      assert.ok(
        s.gw_events.includes(s.preferred_event),
        `${s.superevent_id}: preferred event is a member`,
      );
      assert.equal(new Set(s.labels).size, s.labels.length, `${s.superevent_id}: labels are a set`);
      assert.ok(
        s.t_start <= s.t_0 && s.t_0 <= s.t_end,
        `${s.superevent_id}: t_start ≤ t_0 ≤ t_end`,
      );
      for (const gid of s.gw_events) {
        assert.equal(owner.get(gid), undefined, `${gid} is in one superevent only`);
        owner.set(gid, s.superevent_id);
      }
      assertContiguous(
        (await g.client.getLog(s.superevent_id)).map((e) => e.N),
        s.superevent_id,
      );
      const labels = await g.client.getLabels(s.superevent_id);
      assert.deepEqual([...labels].sort(), [...s.labels].sort());
    }
    assert.ok(owner.size > sids.length, 'the writers did add events');
    assert.ok(g.publisher.messages.length - mark > CLIENTS * 10, 'the writers did change things');
    for (const gid of pool) {
      const event = await g.client.getEvent(gid);
      assert.equal(
        event.superevent,
        owner.get(gid) ?? null,
        `${gid}: superevent field matches membership`,
      );
      assertContiguous(
        (await g.client.getLog(gid)).map((e) => e.N),
        gid,
      );
    }
    // Every notification showed a consistent superevent too.
    for (const { message } of g.alerts().slice(mark)) {
      const object = message.object as Record<string, unknown>;
      if (!('superevent_id' in object)) continue;
      const labels = object.labels as string[];
      assert.equal(new Set(labels).size, labels.length);
      assert.ok((object.gw_events as string[]).includes(object.preferred_event as string));
      assert.ok(
        (object.t_start as number) <= (object.t_0 as number) &&
          (object.t_0 as number) <= (object.t_end as number),
      );
    }
  });
}
