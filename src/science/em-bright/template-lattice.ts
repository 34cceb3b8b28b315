import { chirpMass, massesFromChirpMassEta, symmetricMassRatio } from '../masses.js';
import { normalQuantile } from '../normal-quantile.js';
import type { ComponentSamples } from './sample-fractions.js';

/**
 * Smallest η a lattice node may take. Reflection keeps η in (0, 1/4]; this floor only guards the
 * η → 0 pole (infinite total mass) for absurdly wide scatters.
 */
const MIN_ETA = 1e-6;

/** Folds η back into (0, 1/4] by reflection at 0 and 1/4, which keeps the lattice's weight. */
export function foldEta(eta: number): number {
  let x = eta % 0.5;
  if (x < 0) x += 0.5;
  if (x > 0.25) x = 0.5 - x;
  return Math.max(x, MIN_ETA);
}

export interface LatticeWidths {
  /** σ of ln(chirp mass). */
  lnMchirp: number;
  /** σ of the symmetric mass ratio η. */
  eta: number;
}

/**
 * A deterministic stand-in for the scatter of the template masses around the true masses: a
 * grid × grid lattice in (ln Mc, η) whose nodes sit at the normal quantiles (i + ½)/grid, so
 * every node carries the same weight and a fraction of nodes is a probability, exactly as a
 * fraction of posterior samples is. Chirp mass is the best-measured combination, η much less
 * (science-spec §5.1: "a design choice, not an LVK method"). Spins stay at the template values.
 *
 * The template's components may come in either order; the lattice is built around the heavier
 * one as primary, carrying its spin with it.
 */
export function templateLattice(
  mass1: number,
  mass2: number,
  spin1z: number,
  spin2z: number,
  widths: LatticeWidths,
  grid: number,
): ComponentSamples {
  const [mA, mB, chiA, chiB] =
    mass1 >= mass2 ? [mass1, mass2, spin1z, spin2z] : [mass2, mass1, spin2z, spin1z];
  const mc0 = chirpMass(mA, mB);
  const eta0 = symmetricMassRatio(mA, mB);
  const n = widths.lnMchirp === 0 && widths.eta === 0 ? 1 : grid;
  const z = Array.from({ length: n }, (_, i) => (n === 1 ? 0 : normalQuantile((i + 0.5) / n)));

  const m1 = new Float64Array(n * n);
  const m2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const mc = mc0 * Math.exp(widths.lnMchirp * z[i]!);
    for (let j = 0; j < n; j++) {
      // With zero scatter keep the template masses exactly rather than via a round trip.
      const [a, b] =
        n === 1 ? [mA, mB] : massesFromChirpMassEta(mc, foldEta(eta0 + widths.eta * z[j]!));
      m1[i * n + j] = a;
      m2[i * n + j] = b;
    }
  }
  return {
    mass1: m1,
    mass2: m2,
    spin1z: new Float64Array(n * n).fill(chiA),
    spin2z: new Float64Array(n * n).fill(chiB),
  };
}
