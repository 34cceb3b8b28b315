/**
 * P–P validation of BAYESTAR (slow: minutes; not part of `npm test`):
 *
 *   npm run test:pp [-- --count 60 --rescale 1 --seed 1 --threads 2 --sample-rate 2048]
 *
 * Simulates noisy BNS detections (isotropic sky, uniform in volume, random orientation) in
 * the HL and HLV networks at design sensitivity, keeps those a search would report (network SNR
 * ≥ 12, H1 and L1 SNR ≥ 4), localizes each, and checks that the fraction of true positions
 * inside the c% credible region tracks c within binomial 95% bands. On these ideal simulations
 * (template = signal, exactly Gaussian noise, the true PSD) the likelihood is exact, so with
 * --rescale 1 the expected curve is the diagonal; with the production 0.83 the map is tempered
 * by 0.83² and the expected curve is 1 − (1 − c)^(1/0.83²) (science-spec §1.9).
 *
 * Every 5 % level is printed with its pointwise binomial 95 % band. The verdict uses the
 * deciles 10 … 90 % with bands widened (Šidák) so that the whole curve, not each point, has
 * 95 % coverage: with 9 correlated points, pointwise bands alone would fail a perfectly
 * calibrated method a good fraction of the time. The Kolmogorov–Smirnov distance is printed
 * too. Then the median searched and 90 % areas per network, and `RESULT {json}`; exits 1 on
 * failure.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { toMultiOrderSkyMap } from '../../../src/skymap/bayestar/fits-output.js';
import {
  InlineEngine,
  type LocalizationEngine,
} from '../../../src/skymap/bayestar/localization-engine.js';
import { localize } from '../../../src/skymap/bayestar/localize.js';
import { Random } from '../../../src/skymap/bayestar/random.js';
import { type Injection, simulateCoinc } from '../../../src/skymap/bayestar/simulate.js';
import { WorkerPool } from '../../../src/skymap/bayestar/worker-pool.js';
import { credibleAreas, searched } from '../../../src/skymap/credible.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '60' },
    rescale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'sample-rate': { type: 'string', default: '2048' },
  },
});
const count = Number(values.count);
const rescale = Number(values.rescale);
const seed = Number(values.seed);
const threads = Number(values.threads);
const sampleRate = Number(values['sample-rate']);

const NETWORKS = { hl: ['H1', 'L1'], hlv: ['H1', 'L1', 'V1'] } as const;
/**
 * Injections are uniform in volume out to here (Mpc), beyond the reach of network SNR 12 at
 * design sensitivity; the localizations use the same distance prior, as calibration requires.
 */
const MAX_DISTANCE = 600;
const LEVELS = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
const DECILES = new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((c) => c.toFixed(2)));
/** Per-decile coverage that gives the nine deciles 95 % coverage together (Šidák). */
const SIMULTANEOUS = 0.95 ** (1 / DECILES.size);

interface Outcome {
  searchedProbability: number;
  searchedArea: number;
  area90: number;
  networkSnr: number;
}

function drawInjection(random: Random): Injection {
  return {
    mass1: 1.2 + 0.4 * random.uniform(),
    mass2: 1.2 + 0.4 * random.uniform(),
    ra: 2 * Math.PI * random.uniform(),
    dec: Math.asin(2 * random.uniform() - 1),
    distance: MAX_DISTANCE * Math.cbrt(random.uniform()),
    inclination: Math.acos(2 * random.uniform() - 1),
    polarization: Math.PI * random.uniform(),
    phase: 2 * Math.PI * random.uniform(),
    timeNs: 1_300_000_000_000_000_000n + BigInt(Math.floor(random.uniform() * 3.15e16)),
  };
}

async function run(
  network: keyof typeof NETWORKS,
  engine: LocalizationEngine,
  random: Random,
): Promise<Outcome[]> {
  const detectors = NETWORKS[network];
  const outcomes: Outcome[] = [];
  let drawn = 0;
  while (outcomes.length < count) {
    const injection = drawInjection(random);
    drawn++;
    const sim = simulateCoinc(injection, { detectors, sampleRate, seed: random.nextUint32() });
    const snr = Object.fromEntries(sim.coinc.triggers.map((t) => [t.detector, t.snr]));
    if (sim.networkSnr < 12 || snr.H1 < 4 || snr.L1 < 4) continue;
    const map = await localize(sim.coinc, { engine, rescale, maxDistance: MAX_DISTANCE });
    const moc = toMultiOrderSkyMap(map);
    const hit = searched(moc, injection.ra, injection.dec);
    const [area90] = credibleAreas(moc, [0.9]);
    outcomes.push({
      searchedProbability: hit.searchedProbability,
      searchedArea: hit.searchedArea,
      area90,
      networkSnr: sim.networkSnr,
    });
    process.stdout.write(
      `  ${network.toUpperCase()} ${String(outcomes.length).padStart(3)}/${count}: SNR ${sim.networkSnr.toFixed(1)}, ` +
        `searched probability ${hit.searchedProbability.toFixed(3)}, searched area ${hit.searchedArea.toFixed(1)} deg², ` +
        `90% area ${area90.toFixed(0)} deg² (${map.meta.runtime.toFixed(1)} s)\n`,
    );
  }
  process.stdout.write(
    `  ${network.toUpperCase()}: ${drawn} injections drawn for ${count} detections\n`,
  );
  return outcomes;
}

/** Expected fraction of true positions inside the c credible region. */
function expected(c: number): number {
  return rescale === 1 ? c : 1 - (1 - c) ** (1 / (rescale * rescale));
}

function logBinomialPmf(k: number, n: number, p: number): number {
  const logChoose = (a: number, b: number) =>
    logFactorial(a) - logFactorial(b) - logFactorial(a - b);
  if (p <= 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (p >= 1) return k === n ? 0 : Number.NEGATIVE_INFINITY;
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p);
}

const factorials = [0];
function logFactorial(n: number): number {
  for (let i = factorials.length; i <= n; i++) factorials.push(factorials[i - 1] + Math.log(i));
  return factorials[n];
}

/** Central interval of Binomial(n, p) / n with the given coverage. */
function band(n: number, p: number, coverage = 0.95): [number, number] {
  const tail = (1 - coverage) / 2;
  let cdf = 0;
  let low = -1;
  let high = n;
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(logBinomialPmf(k, n, p));
    if (low < 0 && cdf >= tail) low = k;
    if (cdf >= 1 - tail) {
      high = k;
      break;
    }
  }
  return [low / n, high / n];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

console.log(
  `BAYESTAR P–P: ${count} detections per network, rescale ${rescale}, ${sampleRate} Hz, seed ${seed}, ${threads} thread(s)`,
);
const engine: LocalizationEngine =
  threads > 1 ? await WorkerPool.start(threads) : new InlineEngine();
const results: Record<string, Outcome[]> = {};
try {
  let index = 0;
  for (const network of Object.keys(NETWORKS) as (keyof typeof NETWORKS)[]) {
    results[network] = await run(network, engine, new Random(seed * 1000 + index++));
  }
} finally {
  await engine.close();
}

const all = Object.values(results).flat();
const n = all.length;
let pass = true;
const levels = LEVELS.map((c) => {
  const found = all.filter((o) => o.searchedProbability <= c).length / n;
  const e = expected(c);
  const [low, high] = band(n, e);
  const decile = DECILES.has(c.toFixed(2));
  const [simLow, simHigh] = band(n, e, SIMULTANEOUS);
  const ok = found >= simLow && found <= simHigh;
  if (decile) pass &&= ok;
  const pointwise = found >= low && found <= high ? 'inside' : 'outside';
  console.log(
    `  c = ${c.toFixed(2)}: found ${found.toFixed(3)}, expected ${e.toFixed(3)}, 95% band [${low.toFixed(3)}, ${high.toFixed(3)}] ${pointwise}` +
      (decile
        ? `; simultaneous band [${simLow.toFixed(3)}, ${simHigh.toFixed(3)}] ${ok ? 'ok' : 'FAIL'}`
        : ''),
  );
  return {
    c,
    expected: e,
    found,
    low,
    high,
    simultaneous: decile ? [simLow, simHigh] : null,
    ok: decile ? ok : null,
  };
});
// Kolmogorov–Smirnov distance of the searched probabilities from the expected distribution.
const sortedP = all.map((o) => o.searchedProbability).sort((a, b) => a - b);
let ks = 0;
sortedP.forEach((p, i) => {
  const f = expected(p);
  ks = Math.max(ks, Math.abs((i + 1) / n - f), Math.abs(i / n - f));
});
const ksCritical = 1.358 / Math.sqrt(n);
console.log(
  `  Kolmogorov–Smirnov D = ${ks.toFixed(3)} (5% critical value ${ksCritical.toFixed(3)})`,
);
const summary = Object.fromEntries(
  Object.entries(results).map(([name, outcomes]) => [
    name,
    {
      n: outcomes.length,
      median_searched_area_deg2: median(outcomes.map((o) => o.searchedArea)),
      median_area90_deg2: median(outcomes.map((o) => o.area90)),
      median_snr: median(outcomes.map((o) => o.networkSnr)),
    },
  ]),
);
for (const [name, s] of Object.entries(summary)) {
  console.log(
    `${name.toUpperCase()}: median searched area ${s.median_searched_area_deg2.toFixed(1)} deg², median 90% area ${s.median_area90_deg2.toFixed(0)} deg² (median SNR ${s.median_snr.toFixed(1)}, ${s.n} events)`,
  );
}
console.log(`P–P ${pass ? 'PASS' : 'FAIL'}: ${n} injections`);
console.log(
  `RESULT ${JSON.stringify({ n, rescale, sampleRate, seed, pass, networks: summary, levels })}`,
);
process.exit(pass ? 0 : 1);
