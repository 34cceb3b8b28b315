/**
 * Superevent manager speed, three figures:
 *  1. the pure rules: ranking a superevent of 16 candidates (selectPreferredEvent), and the
 *     per-candidate decisions (entry filter, window, labels);
 *  2. superevents.process's work per candidate against the embedded GraceDB (HTTP + SQLite, in
 *     this process), for bursts of 16 uploads of one signal (one create, fifteen joins);
 *  3. upload-to-superevent latency through the one-process pipeline (bus, listener, engine):
 *     16 near-simultaneous uploads, until every one belongs to the superevent.
 *
 * The alert budget is ~30 s from upload to notice; the manager should take milliseconds of it.
 * Usage: npm run bench:superevents [-- --signals 20 --bursts 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryPublisher } from '../src/bus/publisher.js';
import { loadConfig } from '../src/config/index.js';
import { GraceDbClient } from '../src/gracedb/client.js';
import { startGraceDbService } from '../src/gracedb/service/server.js';
import { startLocalStack } from '../src/ops/local-stack.js';
import '../src/pipeline/index.js';
import { processCandidate } from '../src/pipeline/superevents/process-candidate.js';
import {
  type CandidateEvent,
  DEFAULT_SUPEREVENT_SETTINGS,
  entryDecision,
  eventWindow,
  selectPreferredEvent,
  supereventLabels,
} from '../src/pipeline/superevents/rules.js';
import { coincXml } from '../test/gracedb/coinc-fixture.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const SIGNALS = argument('signals', 20);
const BURSTS = argument('bursts', 5);
const PIPELINES = ['gstlal', 'pycbc', 'MBTA'];
const T0 = 1400000000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function candidate(i: number, gpstime: number): CandidateEvent {
  const ifos = i % 4 === 0 ? ['H1', 'L1', 'V1'] : ['H1', 'L1'];
  return {
    graceid: `G${1000 + i}`,
    group: 'CBC',
    pipeline: PIPELINES[i % 3],
    search: 'AllSky',
    gpstime,
    far: 10 ** (-12 + (i % 7)),
    offline: false,
    instruments: ifos.join(','),
    labels: i % 3 === 1 ? ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'] : [],
    extra_attributes: {
      CoincInspiral: { snr: 10 + ((i * 7919) % 100) / 50 },
      SingleInspiral: ifos.map((ifo) => ({ ifo, chisq: 1 })),
    },
  };
}

function benchRules(): { rank16Us: number; decideUs: number } {
  const events = Array.from({ length: 16 }, (_, i) => candidate(i, T0 + i / 1000));
  const rounds = 20000;
  let start = performance.now();
  let sink = 0;
  for (let r = 0; r < rounds; r++) sink += selectPreferredEvent(events) ? 1 : 0;
  const rank16Us = ((performance.now() - start) * 1000) / rounds;
  start = performance.now();
  for (let r = 0; r < rounds; r++) {
    const event = events[r % 16]!;
    if (entryDecision({ alert_type: 'new', object: event }).process) sink++;
    sink += eventWindow(event).tEnd > 0 ? 1 : 0;
    sink += supereventLabels(event).length;
  }
  const decideUs = ((performance.now() - start) * 1000) / rounds;
  if (sink === 0) throw new Error('unreachable');
  return { rank16Us, decideUs };
}

async function benchProcess(): Promise<{ createMs: number[]; joinMs: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-superevents-'));
  const service = await startGraceDbService({
    dataDir: dir,
    tokens: { bench: 'bench-token' },
    publisher: new MemoryPublisher(),
    writeRatePerS: 0,
    anonymousRatePerMin: 0,
  });
  const client = new GraceDbClient({
    url: service.url,
    token: 'bench-token',
    timeoutMs: 10000,
    retry: { baseMs: 10, max: 3, maxDelayMs: 100, jitter: false },
    maxConnections: 8,
  });
  const createMs: number[] = [];
  const joinMs: number[] = [];
  try {
    for (let s = 0; s < SIGNALS; s++) {
      const t = T0 + s * 1000;
      for (let i = 0; i < 16; i++) {
        const gpstime = t + (((i * 7919) % 101) / 100 - 0.5) / 100;
        const created = await client.createEvent(
          coincXml({ gpstime, far: 1e-9, snr: 10 + i / 10 }),
          'AllSky',
          PIPELINES[i % 3]!,
          'CBC',
        );
        const start = performance.now();
        const out = await processCandidate(client, DEFAULT_SUPEREVENT_SETTINGS, {
          alert_type: 'new',
          object: created as CandidateEvent,
        });
        (out.action === 'created' ? createMs : joinMs).push(performance.now() - start);
      }
    }
  } finally {
    client.close();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { createMs, joinMs };
}

async function benchEndToEnd(): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-superevents-stack-'));
  const config = loadConfig({ env: { GWCELERY_CONFIG: 'test' }, overrides: { data_dir: dataDir } });
  const stack = await startLocalStack(config, { queues: { celery: 16, superevent: 1 } });
  const burstMs: number[] = [];
  try {
    for (let b = 0; b < BURSTS; b++) {
      const t = T0 + 50000 + b * 1000;
      const start = performance.now();
      const events = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          stack.gracedb.createEvent(
            coincXml({ gpstime: t + i / 1000, far: 1e-9, snr: 10 + i / 10 }),
            'AllSky',
            PIPELINES[i % 3]!,
            'CBC',
          ),
        ),
      );
      const pending = new Set(events.map((e) => String(e.graceid)));
      while (pending.size > 0) {
        for (const gid of [...pending]) {
          if ((await stack.gracedb.getEvent(gid)).superevent) pending.delete(gid);
        }
        if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
      }
      burstMs.push(performance.now() - start);
      const superevents = await stack.gracedb.getSuperevents(
        `category: production ${t - 10} .. ${t + 10}`,
      );
      if (superevents.length !== 1)
        throw new Error(`burst ${b}: ${superevents.length} superevents`);
    }
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return burstMs;
}

const rules = benchRules();
console.log(
  `rules: rank 16 candidates ${round(rules.rank16Us, 1)} µs; per-candidate decisions ${round(rules.decideUs, 1)} µs`,
);
const processed = await benchProcess();
const processResult = {
  create_ms_p50: round(percentile(processed.createMs, 50), 2),
  create_ms_p95: round(percentile(processed.createMs, 95), 2),
  join_ms_p50: round(percentile(processed.joinMs, 50), 2),
  join_ms_p95: round(percentile(processed.joinMs, 95), 2),
};
console.log(
  `process (${processed.createMs.length} creates, ${processed.joinMs.length} joins, embedded GraceDB): create p50 ${processResult.create_ms_p50} ms p95 ${processResult.create_ms_p95} ms; join p50 ${processResult.join_ms_p50} ms p95 ${processResult.join_ms_p95} ms`,
);
const bursts = await benchEndToEnd();
const burstResult = {
  burst16_ms_p50: round(percentile(bursts, 50), 1),
  burst16_ms_max: round(Math.max(...bursts), 1),
};
console.log(
  `one-process pipeline: 16 simultaneous uploads until all grouped, ${BURSTS} bursts: p50 ${burstResult.burst16_ms_p50} ms, max ${burstResult.burst16_ms_max} ms`,
);
console.log(
  `RESULT ${JSON.stringify({
    rank16_us: round(rules.rank16Us, 2),
    decide_us: round(rules.decideUs, 2),
    ...processResult,
    ...burstResult,
  })}`,
);
