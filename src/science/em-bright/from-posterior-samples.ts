import { redshiftFromLuminosityDistance } from '../cosmology.js';
import { ScienceInputError } from '../errors.js';
import { massesFromChirpMassQ } from '../masses.js';
import type { EmBrightResult } from './from-template.js';
import { samplesModel } from './model.js';
import { type ComponentSamples, sampleFractions } from './sample-fractions.js';
import { checkEmBrightSettings, type EmBrightSettings } from './settings.js';

/**
 * Posterior samples as columns named like the `posterior_samples` table of a bilby/PESummary
 * HDF5 file (reading HDF5 itself is out of scope: the caller extracts the columns).
 */
export type PosteriorColumns = Readonly<Record<string, ArrayLike<number> | undefined>>;

/** Key order of `<prefix>.em_bright.json` from PE samples, as the reference writes it. */
export const EM_BRIGHT_PE_KEYS = ['HasNS', 'HasRemnant', 'HasMassGap', 'HasSSM'] as const;

function column(table: PosteriorColumns, name: string): ArrayLike<number> | undefined {
  const c = table[name];
  if (c === undefined) return undefined;
  if (typeof c !== 'object' || c === null || typeof c.length !== 'number') {
    throw new ScienceInputError(name, 'must be an array of numbers');
  }
  return c;
}

function sourceFrameMasses(table: PosteriorColumns): [ArrayLike<number>, ArrayLike<number>] {
  const m1s = column(table, 'mass_1_source');
  const m2s = column(table, 'mass_2_source');
  if (m1s && m2s) return [m1s, m2s];

  const distance = column(table, 'luminosity_distance');
  const m1 = column(table, 'mass_1');
  const m2 = column(table, 'mass_2');
  const mc = column(table, 'chirp_mass');
  const q = column(table, 'mass_ratio');
  if (!distance || !((m1 && m2) || (mc && q))) {
    throw new ScienceInputError(
      'posterior_samples',
      'needs mass_1_source and mass_2_source, or luminosity_distance with mass_1 and mass_2 (or chirp_mass and mass_ratio)',
    );
  }
  const used: [string, ArrayLike<number>][] =
    m1 && m2
      ? [
          ['mass_1', m1],
          ['mass_2', m2],
        ]
      : [
          ['chirp_mass', mc!],
          ['mass_ratio', q!],
        ];
  for (const [name, c] of used) {
    if (c.length !== distance.length) {
      throw new ScienceInputError(
        name,
        `has ${c.length} samples but luminosity_distance has ${distance.length}`,
      );
    }
  }
  const z = redshiftFromLuminosityDistance(distance);
  const n = z.length;
  const out1 = new Float64Array(n);
  const out2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const scale = 1 + z[i]!;
    if (m1 && m2) {
      out1[i] = m1[i]! / scale;
      out2[i] = m2[i]! / scale;
    } else {
      const [a, b] = massesFromChirpMassQ(mc![i]! / scale, q![i]!);
      out1[i] = a;
      out2[i] = b;
    }
  }
  return [out1, out2];
}

/** Aligned spins: spin_1z/spin_2z, else a_i cos(tilt_i), else zero (non-spinning runs). */
function alignedSpins(table: PosteriorColumns, n: number): [ArrayLike<number>, ArrayLike<number>] {
  const s1 = column(table, 'spin_1z');
  const s2 = column(table, 'spin_2z');
  if (s1 && s2) return [s1, s2];
  const a1 = column(table, 'a_1');
  const a2 = column(table, 'a_2');
  const t1 = column(table, 'tilt_1');
  const t2 = column(table, 'tilt_2');
  if (a1 && a2 && t1 && t2) {
    const c1 = Float64Array.from({ length: a1.length }, (_, i) => a1[i]! * Math.cos(t1[i]!));
    const c2 = Float64Array.from({ length: a2.length }, (_, i) => a2[i]! * Math.cos(t2[i]!));
    return [c1, c2];
  }
  return [new Float64Array(n), new Float64Array(n)];
}

/**
 * em_bright from parameter-estimation samples (the reference's `em_bright_posterior_samples`):
 * fractions of samples, in the source frame, with the column fallbacks of ligo.em-bright.
 */
export function emBrightFromPosteriorSamples(
  table: PosteriorColumns,
  settings: EmBrightSettings,
): EmBrightResult {
  checkEmBrightSettings(settings);
  const [mass1, mass2] = sourceFrameMasses(table);
  const [spin1z, spin2z] = alignedSpins(table, mass1.length);
  const samples: ComponentSamples = { mass1, mass2, spin1z, spin2z };
  const f = sampleFractions(samples, settings);
  return {
    properties: {
      HasNS: f.HasNS,
      HasRemnant: f.HasRemnant,
      HasMassGap: f.HasMassGap,
      HasSSM: f.HasSSM,
    },
    model: samplesModel(settings, mass1.length),
  };
}
