/**
 * BAYESTAR benchmark: localizes the committed simulated BNS events (HL and HLV at 2048 Hz,
 * test/fixtures/bayestar) on 1 thread and on N = os.availableParallelism() worker threads, and
 * prints seconds per event (best of RUNS, after one warm-up localization per engine so that
 * the JIT has compiled the hot loops), with where the time went. The worker pool is started
 * once per configuration, as a long-lived localization worker would; its start-up is printed
 * separately. Ends with `RESULT {json}`.
 *
 *   npm run bench:bayestar            (BAYESTAR_BENCH_RUNS=1 for a quicker look)
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { coincEventFromLigoLw } from '../src/skymap/bayestar/ligolw-event.js';
import {
  InlineEngine,
  type LocalizationEngine,
} from '../src/skymap/bayestar/localization-engine.js';
import { localize } from '../src/skymap/bayestar/localize.js';
import { WorkerPool } from '../src/skymap/bayestar/worker-pool.js';
import { fixtureUrl } from '../test/fixtures/bayestar/fixtures.js';

const RUNS = Number(process.env.BAYESTAR_BENCH_RUNS ?? 2);
const threadsN = availableParallelism();
const events = {
  hl: coincEventFromLigoLw(readFileSync(fixtureUrl('hl-bns-2048')), { id: 'hl-bns-2048' }),
  hlv: coincEventFromLigoLw(readFileSync(fixtureUrl('hlv-bns-2048')), { id: 'hlv-bns-2048' }),
};
type Name = keyof typeof events;

async function measure(engine: LocalizationEngine, name: Name): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const map = await localize(events[name], { engine });
    const t = map.meta.timings;
    const s = map.meta.settings;
    console.log(
      `  ${name.toUpperCase().padEnd(3)} ${engine.threads} thread(s), run ${run + 1}: ${map.meta.runtime.toFixed(2)} s ` +
        `(tables ${t.tables.toFixed(2)}, mesh ${t.mesh.toFixed(2)}, distance ${t.distance.toFixed(2)}, ` +
        `evidence ${t.evidence.toFixed(2)}; ${s.sampleRate} Hz, N = ${s.nSamples})`,
    );
    best = Math.min(best, map.meta.runtime);
  }
  return best;
}

async function configuration(threads: number): Promise<Record<Name, number>> {
  let engine: LocalizationEngine;
  if (threads === 1) {
    engine = new InlineEngine();
  } else {
    const t = performance.now();
    engine = await WorkerPool.start(threads);
    console.log(
      `  worker pool of ${threads} started in ${((performance.now() - t) / 1000).toFixed(2)} s`,
    );
  }
  try {
    await localize(events.hl, { engine }); // warm-up, not timed
    return { hl: await measure(engine, 'hl'), hlv: await measure(engine, 'hlv') };
  } finally {
    await engine.close();
  }
}

console.log(
  `BAYESTAR: simulated BNS at 2048 Hz, best of ${RUNS}; N = ${threadsN} threads available`,
);
const one = await configuration(1);
const many = threadsN > 1 ? await configuration(threadsN) : one;
const result = {
  hl: { t1_s: one.hl, tn_s: many.hl, threads: threadsN },
  hlv: { t1_s: one.hlv, tn_s: many.hlv, threads: threadsN },
};
for (const name of ['hl', 'hlv'] as const) {
  const r = result[name];
  console.log(
    `${name.toUpperCase().padEnd(3)}: ${r.t1_s.toFixed(2)} s on 1 thread, ${r.tn_s.toFixed(2)} s on ${r.threads} ` +
      `(speed-up ${(r.t1_s / r.tn_s).toFixed(2)}×)`,
  );
}
console.log(`RESULT ${JSON.stringify(result)}`);
