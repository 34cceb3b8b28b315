import { ScienceInputError } from '../errors.js';
import { remnantMass } from './foucart-disk-mass.js';
import { type EmBrightSettings, neutronStarModel } from './settings.js';

/** Component masses (M☉, source frame for PE) and aligned spins, one entry per sample. */
export interface ComponentSamples {
  mass1: ArrayLike<number>;
  mass2: ArrayLike<number>;
  spin1z: ArrayLike<number>;
  spin2z: ArrayLike<number>;
}

/** The four source properties as fractions of samples. */
export interface SampleFractions {
  HasNS: number;
  HasRemnant: number;
  HasMassGap: number;
  HasSSM: number;
}

/**
 * The analytic em_bright criteria as fractions of samples (ligo.em-bright's
 * `source_classification_pe_from_samples`, with one fixed equation of state instead of its
 * marginalisation over 10,000 EOS draws, whose data are not available):
 *
 * - HasNS: secondary at most the maximum NS mass;
 * - HasRemnant: positive Foucart et al. 2018 remnant mass;
 * - HasMassGap: either component within the (inclusive) mass gap;
 * - HasSSM: secondary below the sub-solar-mass bound.
 *
 * Components are ordered per sample (heavier = primary), so samples with m2 > m1 are classified
 * like their swapped twin instead of being silently misread.
 */
export function sampleFractions(samples: ComponentSamples, s: EmBrightSettings): SampleFractions {
  const n = samples.mass1.length;
  for (const key of ['mass2', 'spin1z', 'spin2z'] as const) {
    if (samples[key].length !== n) {
      throw new ScienceInputError(
        key,
        `has ${samples[key].length} samples but mass1 has ${n}: the arrays must be the same length`,
      );
    }
  }
  if (n === 0) throw new ScienceInputError('mass1', 'no samples');

  const ns = neutronStarModel(s);
  let hasNs = 0;
  let hasRemnant = 0;
  let hasMassGap = 0;
  let hasSsm = 0;
  const inGap = (m: number) => m >= s.em_bright_mass_gap_min && m <= s.em_bright_mass_gap_max;
  for (let i = 0; i < n; i++) {
    const a = samples.mass1[i]!;
    const b = samples.mass2[i]!;
    const chiA = samples.spin1z[i]!;
    const chiB = samples.spin2z[i]!;
    if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw new ScienceInputError(
        !(a > 0) || !Number.isFinite(a) ? `mass1[${i}]` : `mass2[${i}]`,
        `must be a positive finite mass, got ${!(a > 0) || !Number.isFinite(a) ? a : b}`,
      );
    }
    if (!(Math.abs(chiA) <= 1) || !(Math.abs(chiB) <= 1)) {
      throw new ScienceInputError(
        Math.abs(chiA) <= 1 ? `spin2z[${i}]` : `spin1z[${i}]`,
        `must be within [-1, 1], got ${Math.abs(chiA) <= 1 ? chiB : chiA}`,
      );
    }
    const secondary = Math.min(a, b);
    if (secondary <= s.em_bright_ns_max_mass) hasNs++;
    if (remnantMass(a, b, chiA, chiB, ns) > 0) hasRemnant++;
    if (inGap(a) || inGap(b)) hasMassGap++;
    if (secondary < s.em_bright_ssm_max_mass) hasSsm++;
  }
  return {
    HasNS: hasNs / n,
    HasRemnant: hasRemnant / n,
    HasMassGap: hasMassGap / n,
    HasSSM: hasSsm / n,
  };
}
