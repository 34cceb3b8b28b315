/**
 * Property test: 200 candidates spread over an hour (seeded PRNG), uploaded to the real
 * embedded GraceDB and processed in arrival order, form exactly the superevents a plain
 * in-memory reference clustering predicts: members, windows, t_0, preferred event and labels.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processCandidate } from '../../src/pipeline/superevents/process-candidate.js';
import {
  type CandidateEvent,
  compareKeys,
  DEFAULT_SUPEREVENT_SETTINGS,
  eventWindow,
  preferredEventKey,
  supereventLabels,
} from '../../src/pipeline/superevents/rules.js';
import { startTestGraceDb } from '../gracedb/helpers.js';
import { READY } from './events.js';
import { CBC_PIPELINES, type Upload, upload } from './gracedb-uploads.js';

const T0 = 1400000000;
const HOUR = 3600;

/** mulberry32: small, seedable, good enough to spread test candidates. */
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

/**
 * Signals at random times, each seen by 1-6 pipelines with time jitter (so that windows chain
 * and grow), a spread of FARs across both alert thresholds, some candidates uploaded complete,
 * plus isolated noise; in arrival order (gpstime plus a random latency).
 */
function candidates(seed: number, count: number): Upload[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const out: (Upload & { arrival: number })[] = [];
  while (out.length < count) {
    const t = T0 + random() * HOUR;
    const uploads = random() < 0.25 ? 1 : 1 + Math.floor(random() * 6);
    for (let i = 0; i < uploads && out.length < count; i++) {
      const gpstime = Math.round((t + (random() - 0.5) * 3) * 1e4) / 1e4;
      const far = 10 ** (-13 + random() * 9.5);
      const olib = random() < 0.15;
      out.push({
        pipeline: olib ? 'oLIB' : pick(CBC_PIPELINES),
        gpstime,
        far,
        snr: 6 + Math.round(random() * 200) / 10,
        ifos: random() < 0.3 ? ['H1', 'L1', 'V1'] : ['H1', 'L1'],
        frequency: olib ? pick([50, 100, 200]) : undefined,
        labels: random() < 0.2 ? (olib ? ['SKYMAP_READY'] : READY) : [],
        arrival: gpstime + random() * 30,
      });
    }
  }
  return out.sort((a, b) => a.arrival - b.arrival);
}

interface Cluster {
  tStart: number;
  tEnd: number;
  t0: number;
  members: string[];
  preferred: CandidateEvent;
  locked: boolean;
  labels: Set<string>;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const overlaps = (c: Cluster, s: number, e: number) => c.tEnd > s && c.tStart < e;

/**
 * The reference clustering, written plainly: neighbours are clusters with t_0 within ±100 s,
 * newest first (GraceDB's order); join the first that overlaps strictly and grow it, else
 * start one; the better key takes over unless a complete less-significant candidate locked it.
 */
function referenceClustering(events: CandidateEvent[]): Cluster[] {
  const clusters: Cluster[] = [];
  for (const event of events) {
    const w = eventWindow(event);
    const t = event.gpstime as number;
    const neighbours = clusters.filter((c) => Math.abs(c.t0 - t) <= 100).reverse();
    let cluster = neighbours.find((c) => overlaps(c, w.tStart, w.tEnd));
    if (!cluster) {
      cluster = {
        tStart: round6(w.tStart),
        tEnd: round6(w.tEnd),
        t0: t,
        members: [],
        preferred: event,
        locked: false,
        labels: new Set(),
      };
      clusters.push(cluster);
    } else {
      cluster.tStart = Math.min(cluster.tStart, round6(w.tStart));
      cluster.tEnd = Math.max(cluster.tEnd, round6(w.tEnd));
      if (
        !cluster.locked &&
        compareKeys(preferredEventKey(event), preferredEventKey(cluster.preferred)) > 0
      ) {
        cluster.preferred = event;
        cluster.t0 = t;
      }
    }
    cluster.members.push(String(event.graceid));
    const labels = supereventLabels(event);
    for (const label of labels) cluster.labels.add(label);
    if (labels.includes('LOW_SIGNIF_LOCKED')) cluster.locked = true;
  }
  return clusters;
}

test('200 candidates over an hour: the superevents a reference clustering predicts', async (t) => {
  const g = await startTestGraceDb();
  t.after(() => g.close());
  const plan = candidates(20240517, 200);
  const events: CandidateEvent[] = [];
  for (const u of plan) {
    const event = (await upload(g.client, u)) as CandidateEvent;
    events.push(event);
    await processCandidate(g.client, DEFAULT_SUPEREVENT_SETTINGS, {
      alert_type: 'new',
      object: event,
    });
  }
  const expected = referenceClustering(events);
  const actual = await g.client.getSuperevents('');
  assert.equal(actual.length, expected.length, 'number of superevents');
  const byFirstMember = new Map(expected.map((c) => [c.members[0], c]));
  const covered = new Set<string>();
  for (const s of actual) {
    const members = [...s.gw_events].sort();
    const cluster = expected.find((c) => c.members.includes(members[0]!));
    assert.ok(cluster, `${s.superevent_id} matches a predicted cluster`);
    assert.deepEqual(members, [...cluster.members].sort(), `${s.superevent_id} members`);
    assert.equal(s.t_start, cluster.tStart, `${s.superevent_id} t_start`);
    assert.equal(s.t_end, cluster.tEnd, `${s.superevent_id} t_end`);
    assert.equal(s.t_0, round6(cluster.t0), `${s.superevent_id} t_0`);
    assert.equal(s.preferred_event, cluster.preferred.graceid, `${s.superevent_id} preferred`);
    assert.deepEqual([...s.labels].sort(), [...cluster.labels].sort(), `${s.superevent_id} labels`);
    covered.add(String(cluster.members[0]));
  }
  assert.equal(covered.size, byFirstMember.size);
  // The case is only meaningful if it exercises joins, growth, locks and preferred changes.
  const joined = expected.filter((c) => c.members.length > 1);
  assert.ok(joined.length >= 20, `${joined.length} multi-candidate superevents`);
  assert.ok(
    expected.some((c) => c.locked),
    'some superevent locked',
  );
  assert.ok(
    expected.some((c) => c.preferred.graceid !== c.members[0]),
    'some preferred changed',
  );
  assert.ok(
    expected.some((c) => c.tEnd - c.tStart > 2.5),
    'some window grew beyond one candidate',
  );
});
