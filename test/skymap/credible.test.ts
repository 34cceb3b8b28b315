import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  areaAtProbability,
  credibleAreas,
  credibleLevels,
  greedyRegion,
  mostProbablePosition,
  searched,
} from '../../src/skymap/credible.js';
import { readSkyMap } from '../../src/skymap/io.js';
import {
  distanceAlongLineOfSight,
  marginalDistanceCdf,
  marginalDistanceMoments,
  marginalDistancePdf,
  marginalDistanceQuantile,
} from '../../src/skymap/marginal-distance.js';
import { formatArea, formatSummary, summarize } from '../../src/skymap/summary.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { BLOB, gaussianBlob } from '../helpers/skymap-fixtures.js';

const MS220722V = 'gwcelery/tests/MS220722v_bayestar.multiorder.fits';
const DEG = Math.PI / 180;
const SR_TO_DEG2 = (180 / Math.PI) ** 2;

function within(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(
    Math.abs(actual / expected - 1) <= relative,
    `${what}: ${actual}, expected ${expected} ± ${relative * 100}%`,
  );
}

test(
  'MS220722v: 50% and 90% areas, mode and distance match the reference',
  needsShared(MS220722V),
  () => {
    const path = sharedData(MS220722V)!;
    const map = readSkyMap(readFileSync(path), { source: path });
    const [a50, a90] = credibleAreas(map);
    within(a50, 257.74, 1e-4, '50% area');
    within(a90, 1261.69, 1e-4, '90% area');
    const mode = mostProbablePosition(map);
    assert.equal((mode.ra / DEG).toFixed(2), '98.35');
    assert.equal((mode.dec / DEG).toFixed(2), '-27.45');
    // Distance 126 ± 44 Mpc from the header; the same from the columns within 1.5%.
    assert.equal(Math.round(map.meta.distMean!), 126);
    assert.equal(Math.round(map.meta.distStd!), 44);
    const d = marginalDistanceMoments(map);
    within(d.mean, map.meta.distMean!, 0.015, 'distance mean from columns');
    within(d.std, map.meta.distStd!, 0.015, 'distance std from columns');
    // ligo.skymap's unnormalised sum (science-spec §1.6): 125.58 / 44.47.
    const raw = marginalDistanceMoments(map, { renormalize: false });
    assert.equal(raw.mean.toFixed(2), '125.58');
    assert.equal(raw.std.toFixed(2), '44.47');
    // The marginal distribution agrees with those moments.
    const grid = Array.from({ length: 2000 }, (_, i) => (i + 0.5) * 0.5);
    const pdf = marginalDistancePdf(map, grid);
    let m0 = 0;
    let m1 = 0;
    pdf.forEach((p, i) => {
      m0 += p * 0.5;
      m1 += p * grid[i] * 0.5;
    });
    within(m0, 1, 1e-4, 'marginal pdf normalisation');
    within(m1, d.mean, 1e-3, 'marginal pdf mean');
    const median = marginalDistanceQuantile(map, 0.5);
    within(marginalDistanceCdf(map, [median])[0], 0.5, 1e-6, 'cdf at the median');
    const summary = summarize(map);
    assert.equal(summary.areas['50'], a50);
    assert.equal(summary.objectId, 'M252714');
    const text = formatSummary(summary);
    assert.match(text, /50% area:\s+258 deg²/);
    assert.match(text, /90% area:\s+1,262 deg²/);
    assert.match(text, /distance \(header\):\s+126 ± 44 Mpc/);
  },
);

test('Gaussian blob: areas, searched probability and levels follow the analytic Gaussian', () => {
  const map = gaussianBlob();
  const s = BLOB.sigma;
  // A 2-D Gaussian of width σ holds probability c within r = σ√(−2 ln(1 − c)).
  const capArea = (c: number) =>
    2 * Math.PI * (1 - Math.cos(s * Math.sqrt(-2 * Math.log(1 - c)))) * SR_TO_DEG2;
  const [a50, a90] = credibleAreas(map);
  within(a50, capArea(0.5), 0.05, '50% area');
  within(a90, capArea(0.9), 0.05, '90% area');
  const mode = mostProbablePosition(map);
  assert.ok(Math.abs(mode.ra - BLOB.ra) < 2 * DEG && Math.abs(mode.dec - BLOB.dec) < 2 * DEG);
  // Pixels are 0.27σ (order 5) to 0.53σ (order 4) wide here, so a position's searched
  // probability is that of its pixel: within ±0.12 of the analytic value, increasing with r.
  let previous = 0;
  for (const r of [0.5, 1, 1.5, 2, 3]) {
    const dec = BLOB.dec + r * s;
    const hit = searched(map, BLOB.ra, dec);
    const expected = 1 - Math.exp(-0.5 * r * r);
    assert.ok(
      Math.abs(hit.searchedProbability - expected) < 0.12,
      `searched probability at ${r}σ: ${hit.searchedProbability} vs ${expected}`,
    );
    assert.ok(hit.searchedProbability > previous);
    previous = hit.searchedProbability;
    assert.ok(hit.probdensity > 0);
    assert.ok(Math.abs(hit.offset - (r * s) / DEG) < 2, `offset ${hit.offset}°`);
  }
  // Levels agree with the greedy table; a pixel is inside the 90% region when its level ≤ 0.9.
  const levels = credibleLevels(map);
  const region = greedyRegion(map);
  assert.ok(Math.abs(region.totalProbability - 1) < 1e-12);
  let inside = 0;
  levels.forEach((l, i) => {
    if (l <= 0.9) inside += map.probdensity[i];
  });
  assert.ok(inside > 0);
  assert.equal(areaAtProbability(region, 0), 0);
  // All the probability lies in the pixels of non-zero density, well short of the whole sky.
  const all = areaAtProbability(region, 1);
  assert.ok(all > a90 && all < region.cumulativeArea[region.cumulativeArea.length - 1]);
  assert.throws(() => areaAtProbability(region, 1.5), /outside \[0, 1\]/);
  assert.throws(() => searched(map, 0, 2), /not a valid direction/);
});

test('distance along a line of sight and over the sky, from the ansatz', () => {
  const map = gaussianBlob();
  const los = distanceAlongLineOfSight(map, BLOB.ra, BLOB.dec);
  assert.ok(Math.abs(los.mean - BLOB.distMean) < 0.05 * BLOB.distMean);
  assert.ok(Math.abs(los.std - BLOB.distStd) < 0.05 * BLOB.distStd);
  assert.ok(Math.abs(los.cdf(1e5) - 1) < 1e-12);
  assert.ok(los.pdf(los.mean) > los.pdf(los.mean + 3 * los.std));
  const d = marginalDistanceMoments(map);
  assert.ok(d.mean > BLOB.distMean && d.mean < BLOB.distMean * 1.1);
  const { distmu: _mu, distsigma: _s, distnorm: _n, ...twoD } = map;
  assert.throws(() => marginalDistanceMoments(twoD), /no distance columns/);
});

test('area formatting follows ligo-skymap-plot', () => {
  assert.equal(formatArea(1261.69), '1,262');
  assert.equal(formatArea(257.74), '258');
  assert.equal(formatArea(99.94), '99.9');
  assert.equal(formatArea(3.456), '3.46');
  assert.equal(formatArea(12345.6), '12,346');
});
