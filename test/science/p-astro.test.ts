import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ScienceInputError } from '../../src/science/errors.js';
import { chooseSnr } from '../../src/science/p-astro/choose-snr.js';
import {
  computePAstro,
  hardCutWeights,
  P_ASTRO_KEYS,
} from '../../src/science/p-astro/counts-p-astro.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { defaultSettings } from './default-settings.js';

const settings = defaultSettings();
const GW170817 = { snr: 33, mass1: 1.77, mass2: 1.07 };

test('gwcelery test anchors: GW170817-like p_BNS within 0.1 (science-spec §5.2)', () => {
  const cases: [string, string[], number, number][] = [
    ['mbta', ['H1', 'L1', 'V1'], 1e-25, 1],
    ['mbta', ['L1', 'V1'], 1e-8, 0.08],
    ['mbta', ['H1', 'V1'], 6e-10, 0.99],
    ['spiir', ['H1', 'L1', 'V1'], 7.6e-59, 1],
    ['pycbc', ['H1', 'L1'], 1e-10, 1],
    ['pycbc', ['H1', 'L1', 'V1'], 1e-10, 1],
  ];
  for (const [pipeline, instruments, far, pBns] of cases) {
    const p = computePAstro({ ...GW170817, far, pipeline, instruments }, settings);
    assert.ok(Math.abs(p.BNS - pBns) < 0.1, `${pipeline} ${instruments} ${far}: ${p.BNS}`);
  }
  // The exact value behind the 0.08 case with λ₀ = 5.553.
  const lv = computePAstro(
    { ...GW170817, far: 1e-8, pipeline: 'mbta', instruments: ['L1', 'V1'] },
    settings,
  );
  assert.ok(Math.abs(lv.BNS - 0.064) < 5e-4, `${lv.BNS}`);
});

test('outputs have exactly the reference keys and sum to 1 within 1e-12', () => {
  for (const far of [0, 1e-30, 1e-12, 1e-9, 3.858e-7, 1e-5, 1e-3]) {
    for (const snr of [4, 8.5, 12, 40]) {
      for (const [m1, m2] of [
        [1.4, 1.3],
        [10, 1.4],
        [30, 25],
        [4, 4],
        [4, 1.2],
      ]) {
        const p = computePAstro(
          { snr, far, mass1: m1!, mass2: m2!, pipeline: 'gstlal', instruments: [] },
          settings,
        );
        assert.deepEqual(Object.keys(p), [...P_ASTRO_KEYS]);
        const sum = p.BNS + p.NSBH + p.BBH + p.Terrestrial;
        assert.ok(
          Math.abs(sum - 1) < 1e-12,
          `sum ${sum} for far ${far} snr ${snr} masses ${m1},${m2}`,
        );
        for (const v of Object.values(p)) assert.ok(v >= 0 && v <= 1);
      }
    }
  }
});

test('hard cuts: one category per mass pair, none in the gap', () => {
  assert.deepEqual(hardCutWeights(1.4, 1.3), { BNS: 1, NSBH: 0, BBH: 0 });
  assert.deepEqual(hardCutWeights(1.3, 10), { BNS: 0, NSBH: 1, BBH: 0 });
  assert.deepEqual(hardCutWeights(30, 6), { BNS: 0, NSBH: 0, BBH: 1 });
  assert.deepEqual(hardCutWeights(4, 4.5), { BNS: 0, NSBH: 0, BBH: 0 });
  assert.deepEqual(hardCutWeights(10, 4), { BNS: 0, NSBH: 0, BBH: 0 });
  assert.deepEqual(hardCutWeights(3, 3), { BNS: 1, NSBH: 0, BBH: 0 });
  const gap = computePAstro(
    { snr: 20, far: 1e-12, mass1: 4, mass2: 3.5, pipeline: 'gstlal', instruments: [] },
    settings,
  );
  assert.deepEqual(gap, { BNS: 0, NSBH: 0, BBH: 0, Terrestrial: 1 });
});

test('louder and rarer events are more astrophysical', () => {
  const at = (snr: number, far: number) =>
    computePAstro({ snr, far, mass1: 30, mass2: 25, pipeline: 'gstlal', instruments: [] }, settings)
      .BBH;
  assert.ok(at(10, 1e-9) > at(10, 1e-7));
  assert.ok(at(8, 1e-8) > at(12, 1e-8), 'the toy foreground falls as 1/ρ⁴');
  // FAR = 0: the reference divides by zero; here it is the FAR → 0 limit.
  assert.deepEqual(
    computePAstro(
      { snr: 10, far: 0, mass1: 30, mass2: 25, pipeline: 'gstlal', instruments: [] },
      settings,
    ),
    { BNS: 0, NSBH: 0, BBH: 1, Terrestrial: 0 },
  );
});

test('the SNR is capped below the pipeline limiting FAR, never for gstlal', () => {
  const t = settings.p_astro_far_snr_thresholds;
  assert.equal(chooseSnr(1e-10, 33, 'pycbc', ['L1', 'H1'], t), 10);
  assert.equal(chooseSnr(1e-9, 33, 'pycbc', ['H1', 'L1'], t), 33, 'FAR above the limit');
  assert.equal(chooseSnr(1e-10, 8, 'pycbc', ['H1', 'L1'], t), 8, 'SNR below the cap');
  assert.equal(chooseSnr(1e-20, 33, 'PyCBC', ['H1'], t), 33, 'single detector: no cap');
  assert.equal(chooseSnr(1e-30, 33, 'gstlal', ['K1'], t), 33);
  assert.equal(chooseSnr(1e-15, 33, 'MBTA', ['V1', 'L1', 'H1'], t), 12);
  assert.throws(() => chooseSnr(1e-10, 33, 'cwb', ['H1'], t), /no entry for pipeline 'cwb'/);
  assert.throws(() => chooseSnr(1e-10, 33, 'pycbc', ['H1', 'K1'], t), /instruments 'H1,K1'/);
});

test('without masses the astrophysical share splits by mean counts; FAR = 0 too', () => {
  const counts = settings.p_astro_mean_counts;
  const total = counts.BNS + counts.NSBH + counts.BBH;
  for (const far of [1e-9, 1e-7, 0]) {
    const p = computePAstro({ snr: 12, far, pipeline: 'gstlal', instruments: [] }, settings);
    const astro = p.BNS + p.NSBH + p.BBH;
    assert.ok(Math.abs(astro + p.Terrestrial - 1) <= 1e-12, `${far}: sum ${astro + p.Terrestrial}`);
    for (const c of ['BNS', 'NSBH', 'BBH'] as const) {
      assert.ok(Math.abs(p[c] / astro - counts[c] / total) < 1e-12, `${far} ${c}`);
    }
    if (far === 0) assert.equal(p.Terrestrial, 0);
  }
  // Less astrophysical than a template that matches a category, at the same FAR and SNR.
  const massless = computePAstro(
    { snr: 12, far: 1e-8, pipeline: 'gstlal', instruments: [] },
    settings,
  );
  const bbh = computePAstro(
    { snr: 12, far: 1e-8, mass1: 30, mass2: 25, pipeline: 'gstlal', instruments: [] },
    settings,
  );
  assert.ok(massless.Terrestrial > bbh.Terrestrial);
});

test('bad input is a clear error naming the field', () => {
  const ok = { snr: 10, far: 1e-8, mass1: 1.4, mass2: 1.3, pipeline: 'gstlal', instruments: [] };
  for (const [change, field] of [
    [{ snr: -1 }, 'snr'],
    [{ far: -1e-9 }, 'far'],
    [{ far: Number.NaN }, 'far'],
    [{ mass1: 0 }, 'mass1'],
    [{ mass2: undefined }, 'mass2'],
  ] as const) {
    assert.throws(
      () => computePAstro({ ...ok, ...change } as typeof ok, settings, 'G1234'),
      (err: unknown) =>
        err instanceof ScienceInputError &&
        err.field === field &&
        err.message.startsWith('G1234: '),
    );
  }
});

test(
  'configuration defaults carry the reference data files',
  needsShared(
    'gwcelery/tests/H1L1V1-mean_counts-1126051217-61603201.json',
    'gwcelery/tests/H1L1V1-pipeline-far_snr-thresholds.json',
  ),
  () => {
    const counts = JSON.parse(
      readFileSync(
        sharedData('gwcelery/tests/H1L1V1-mean_counts-1126051217-61603201.json')!,
        'utf8',
      ),
    );
    assert.deepEqual(settings.p_astro_mean_counts, {
      BNS: counts.counts_BNS,
      NSBH: counts.counts_NSBH,
      BBH: counts.counts_BBH,
    });
    const thresholds = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/H1L1V1-pipeline-far_snr-thresholds.json')!, 'utf8'),
    );
    assert.deepEqual(settings.p_astro_far_snr_thresholds, thresholds);
    assert.ok(Math.abs(settings.p_astro_far_star_hz * settings.p_astro_livetime_s - 5.553) < 1e-3);
  },
);
