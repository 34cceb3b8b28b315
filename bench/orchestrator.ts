/**
 * Alert latency through the one-process pipeline (embedded GraceDB, bus, listener, engine, local
 * alert files): for significant MDC candidates uploaded one at a time, the waterfall
 *
 *   upload → superevent → candidate complete (em_bright, p_astro, sky map) → preliminary
 *   VOEvent created → alert delivered (the JSON packet file written)
 *
 * The budget is ~30 s from upload to notice. With `--bayestar`, BAYESTAR localizes each
 * candidate (the committed 1024 Hz HL simulated BNS, in one thread as the test preset says);
 * without it the candidate carries its pipeline's sky map and the figures are the orchestrator's
 * own share.
 * Usage: npm run bench:orchestrator [-- --runs 5 --bayestar]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config/index.js';
import { unixToGps } from '../src/gracedb/gps-time.js';
import { startLocalStack } from '../src/ops/local-stack.js';
import { closeAlertDeliveries } from '../src/pipeline/alert-delivery.js';
import '../src/pipeline/index.js';
import { coincXml } from '../test/gracedb/coinc-fixture.js';
import { uploadSimulated } from '../test/pipeline/orchestrator/stack.js';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const RUNS = argument('runs', 5);
const BAYESTAR = process.argv.includes('--bayestar');
const SKYMAP = readFileSync(
  new URL('../test/fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);
const QUEUES = {
  celery: 4,
  superevent: 1,
  'em-bright': 1,
  openmp: 1,
  highmem: 1,
  voevent: 1,
  kafka: 1,
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'gwc-bench-orchestrator-'));
const config = loadConfig({
  env: { GWCELERY_CONFIG: 'test' },
  overrides: {
    data_dir: dataDir,
    log_level: 'error',
    alert_output_dir: 'alerts',
    // The second preliminary is not part of the first notice's latency.
    superevent_clean_up_timeout: 3600,
  },
});
const { openmp: _openmp, ...withoutBayestar } = QUEUES;
const stack = await startLocalStack(config, { queues: BAYESTAR ? QUEUES : withoutBayestar });
const gracedb = stack.gracedb;
const stages = {
  upload_to_superevent_ms: [] as number[],
  upload_to_complete_ms: [] as number[],
  complete_to_voevent_ms: [] as number[],
  voevent_to_delivered_ms: [] as number[],
  upload_to_alert_ms: [] as number[],
};
try {
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    let gid: string;
    if (BAYESTAR) {
      gid = (await uploadSimulated(gracedb, run * 1000, 1e-10, 'MDC')).graceid;
    } else {
      const gpstime = unixToGps(Date.parse('2024-08-01T00:00:00Z') / 1000) + run * 1000;
      const created = await gracedb.createEvent(
        coincXml({ gpstime, far: 1e-10, snr: 14, ifos: ['H1', 'L1', 'V1'] }),
        'MDC',
        'gstlal',
        'CBC',
      );
      gid = created.graceid;
      await gracedb.upload(SKYMAP, 'bayestar.multiorder.fits', gid, 'sky map', [
        'sky_loc',
        'public',
      ]);
      await gracedb.createLabel('SKYMAP_READY', gid);
    }
    const sid = await until(async () => (await gracedb.getEvent(gid)).superevent ?? undefined);
    const tSuperevent = performance.now();
    await until(async () => {
      const labels = await gracedb.getLabels(gid);
      return ['EMBRIGHT_READY', 'PASTRO_READY', 'SKYMAP_READY'].every((l) => labels.has(l))
        ? true
        : undefined;
    });
    const tComplete = performance.now();
    await until(async () =>
      (await gracedb.getLog(sid)).some((e) => e.comment.startsWith('Alert preliminary-1:'))
        ? true
        : undefined,
    );
    const tVoevent = performance.now();
    await until(() =>
      existsSync(join(dataDir, 'alerts', `${sid}-1-preliminary.json`)) ? true : undefined,
    );
    const tDelivered = performance.now();
    // Let the annotations (plot, flattened map) finish before the next upload: runs measure one
    // candidate at a time, not the overlap.
    await until(async () =>
      Object.keys(await gracedb.getSupereventFileList(sid)).includes('bayestar.fits.gz')
        ? true
        : undefined,
    );
    stages.upload_to_superevent_ms.push(tSuperevent - t0);
    stages.upload_to_complete_ms.push(tComplete - t0);
    stages.complete_to_voevent_ms.push(tVoevent - tComplete);
    stages.voevent_to_delivered_ms.push(tDelivered - tVoevent);
    stages.upload_to_alert_ms.push(tDelivered - t0);
    process.stdout.write(
      `run ${run + 1}: ${sid} superevent ${(tSuperevent - t0).toFixed(0)} ms, complete ${(tComplete - t0).toFixed(0)} ms, VOEvent ${(tVoevent - t0).toFixed(0)} ms, delivered ${(tDelivered - t0).toFixed(0)} ms\n`,
    );
  }
} finally {
  await stack.close();
  await closeAlertDeliveries();
  rmSync(dataDir, { recursive: true, force: true });
}

const result: Record<string, number | boolean> = { runs: RUNS, bayestar: BAYESTAR };
process.stdout.write('\nstage                        median ms   p90 ms\n');
for (const [name, values] of Object.entries(stages)) {
  const median = percentile(values, 50);
  result[name] = Math.round(median);
  process.stdout.write(
    `${name.padEnd(28)} ${median.toFixed(0).padStart(9)} ${percentile(values, 90).toFixed(0).padStart(8)}\n`,
  );
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
