import assert from 'node:assert/strict';
import { test } from 'node:test';
import { antennaFactor } from '../../../src/skymap/bayestar/antenna.js';
import type { ConditionedEvent } from '../../../src/skymap/bayestar/conditioned-event.js';
import { condition } from '../../../src/skymap/bayestar/conditioning.js';
import { gaussLegendre } from '../../../src/skymap/bayestar/gauss-legendre.js';
import { PixelLikelihood } from '../../../src/skymap/bayestar/pixel-likelihood.js';
import {
  buildLogRadialIntegrators,
  type LogRadialIntegrator,
} from '../../../src/skymap/bayestar/radial-integrator.js';
import { type Injection, simulateCoinc } from '../../../src/skymap/bayestar/simulate.js';

const injection: Injection = {
  mass1: 1.4,
  mass2: 1.25,
  ra: 4.1,
  dec: 0.3,
  distance: 140,
  inclination: 0.7,
  polarization: 2.0,
  phase: 0.9,
  timeNs: 1_250_000_000_500_000_000n,
};

function setup(noise: boolean, detectors = ['H1', 'L1', 'V1']) {
  const sim = simulateCoinc(injection, { detectors, noise, seed: 11, sampleRate: 1024 });
  const event = condition(sim.coinc).event;
  let sum = 0;
  for (const h of event.horizons) sum += h * h;
  const spec = {
    rMin: event.rMin,
    rMax: event.rMax,
    pMax: event.rescale * Math.sqrt(0.5 * sum),
    size: 150,
    alpha: 4,
  };
  return { event, integrators: buildLogRadialIntegrators(spec, [2, 3, 4]) };
}

/**
 * The likelihood written out term by term from spec §1.3, with no shortcut: 10 polarizations,
 * 10 inclinations, every time sample, each detector's series interpolated separately.
 */
function referenceLogLikelihood(
  ev: ConditionedEvent,
  ra: number,
  dec: number,
  integrator: LogRadialIntegrator,
): number {
  const { nodes, weights } = gaussLegendre(10);
  const s2 = ev.rescale * ev.rescale;
  const n = ev.nSamples;
  const gha = ev.gmst - ra;
  const direction = [Math.cos(dec) * Math.cos(-gha), Math.cos(dec) * Math.sin(-gha), Math.sin(dec)];
  const nd = ev.detectors.length;
  const f = new Float64Array(2 * nd);
  const x: [number, number][][] = [];
  for (let d = 0; d < nd; d++) {
    antennaFactor(ev.responses, 9 * d, gha, dec, f, 2 * d);
    f[2 * d] *= ev.horizons[d];
    f[2 * d + 1] *= ev.horizons[d];
    let dt = ev.epochs[d];
    for (let c = 0; c < 3; c++) dt += ev.locations[3 * d + c] * direction[c];
    const row: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      const s = j - (n - 1) / 2 - dt * ev.sampleRate;
      if (s < 1 || s >= n - 2) {
        row.push([0, 0]);
        continue;
      }
      const k = Math.floor(s);
      const t = s - k;
      const cr = (y: Float64Array) => {
        const [a, b, c, e] = [y[d * n + k - 1], y[d * n + k], y[d * n + k + 1], y[d * n + k + 2]];
        return b + 0.5 * t * (c - a + t * (2 * a - 5 * b + 4 * c - e + t * (3 * (b - c) + e - a)));
      };
      const amp = cr(ev.snrAmplitude);
      const phase = cr(ev.snrPhase);
      row.push([amp * Math.cos(phase), amp * Math.sin(phase)]);
    }
    x.push(row);
  }
  const terms: number[] = [];
  for (let k = 0; k < 10; k++) {
    const twoPsi = (2 * Math.PI * k) / 10;
    for (let m = 0; m < 10; m++) {
      const u = nodes[m];
      const z: [number, number][] = [];
      let p2 = 0;
      for (let d = 0; d < nd; d++) {
        const gr = f[2 * d] * Math.cos(twoPsi) + f[2 * d + 1] * Math.sin(twoPsi);
        const gi = f[2 * d + 1] * Math.cos(twoPsi) - f[2 * d] * Math.sin(twoPsi);
        z.push([0.5 * (1 + u * u) * gr, -u * gi]);
        p2 += 0.5 * s2 * (z[d][0] ** 2 + z[d][1] ** 2);
      }
      for (let j = 0; j < n; j++) {
        let re = 0;
        let im = 0;
        for (let d = 0; d < nd; d++) {
          // conj(z)·x
          re += z[d][0] * x[d][j][0] + z[d][1] * x[d][j][1];
          im += z[d][0] * x[d][j][1] - z[d][1] * x[d][j][0];
        }
        terms.push(
          Math.log(weights[m]) + integrator.evaluate(Math.sqrt(p2), s2 * Math.hypot(re, im)),
        );
      }
    }
  }
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((sum, v) => sum + Math.exp(v - max), 0));
}

test('the optimized likelihood equals the term-by-term sum of the spec', () => {
  const { event, integrators } = setup(true);
  const likelihood = new PixelLikelihood(event);
  for (const [ra, dec] of [
    [injection.ra, injection.dec],
    [0.3, -1.1],
    [2.2, 0.05],
    [5.9, 1.3],
  ]) {
    for (const k of [0, 1, 2]) {
      const fast = likelihood.evaluate(ra, dec, integrators[k]);
      const reference = referenceLogLikelihood(event, ra, dec, integrators[k]);
      assert.ok(
        Math.abs(fast - reference) < 1e-7,
        `(${ra}, ${dec}) moment ${k}: ${fast} vs ${reference}`,
      );
    }
  }
});

test('skipping provably negligible terms changes nothing measurable', () => {
  const { event, integrators } = setup(true);
  const skipping = new PixelLikelihood(event);
  const exhaustive = new PixelLikelihood(event, undefined, Number.POSITIVE_INFINITY);
  let worst = 0;
  for (let i = 0; i < 300; i++) {
    const ra = (i * 2.39996) % (2 * Math.PI);
    const dec = Math.asin(2 * ((i * 0.618034) % 1) - 1);
    worst = Math.max(
      worst,
      Math.abs(
        skipping.evaluate(ra, dec, integrators[0]) - exhaustive.evaluate(ra, dec, integrators[0]),
      ),
    );
  }
  assert.ok(worst < 1e-7, `worst difference ${worst}`);
});

test('zero noise: the true direction is at the likelihood peak and the distance is recovered', () => {
  const { event, integrators } = setup(false);
  const likelihood = new PixelLikelihood(event);
  const atTruth = likelihood.evaluate(injection.ra, injection.dec, integrators[0]);
  let best = Number.NEGATIVE_INFINITY;
  let bestAt = [0, 0];
  for (let dec = -1.5; dec <= 1.5; dec += 0.1) {
    for (let ra = 0; ra < 2 * Math.PI; ra += 0.1 / Math.max(0.2, Math.cos(dec))) {
      const v = likelihood.evaluate(ra, dec, integrators[0]);
      if (v > best) {
        best = v;
        bestAt = [ra, dec];
      }
    }
  }
  // The grid maximum is no better than the truth, and lies next to it.
  assert.ok(atTruth >= best - 0.5, `truth ${atTruth}, grid best ${best}`);
  const cosAngle =
    Math.sin(bestAt[1]) * Math.sin(injection.dec) +
    Math.cos(bestAt[1]) * Math.cos(injection.dec) * Math.cos(bestAt[0] - injection.ra);
  assert.ok(Math.acos(Math.min(1, cosAngle)) < 0.15, `grid best at ${bestAt}`);
  const mean = Math.exp(likelihood.evaluate(injection.ra, injection.dec, integrators[1]) - atTruth);
  const second = Math.exp(
    likelihood.evaluate(injection.ra, injection.dec, integrators[2]) - atTruth,
  );
  const std = Math.sqrt(second - mean * mean);
  assert.ok(Math.abs(mean - injection.distance) < 2 * std, `distance ${mean} ± ${std}`);
});

test('single-detector likelihoods use only their detector', () => {
  const { event, integrators } = setup(true);
  const single = new PixelLikelihood(event, [1]);
  const alone = condition(
    simulateCoinc(injection, {
      detectors: ['H1', 'L1', 'V1'],
      noise: true,
      seed: 11,
      sampleRate: 1024,
    }).coinc,
  ).event;
  assert.ok(Number.isFinite(single.evaluate(1, 0.2, integrators[0])));
  // The same detector's likelihood differs from the network's.
  const network = new PixelLikelihood(alone);
  assert.notEqual(
    single.evaluate(1, 0.2, integrators[0]),
    network.evaluate(1, 0.2, integrators[0]),
  );
});
