/**
 * Redshift from luminosity distance in the Planck 2015 cosmology, which ligo.em-bright uses to
 * move detector-frame PE masses to the source frame. Flat, H0 = 67.74 km/s/Mpc, Ωm = 0.3075 (cold
 * matter), T_CMB = 2.7255 K, N_eff = 3.046 with one 0.06 eV neutrino. The massive neutrino is
 * counted as matter (it is non-relativistic below z ≈ 100) and the two massless species as
 * radiation; astropy's exact neutrino density differs from this by far less than the 1e-6 in z a
 * mass threshold could notice.
 */

import { ScienceInputError } from './errors.js';

const SPEED_OF_LIGHT_KM_S = 299792.458;
const H = 0.6774;
const OMEGA_PHOTON = 2.4728e-5 / (H * H);
/** Each massless species adds 7/8 (4/11)^{4/3} = 0.2271 of the photon density, per N_eff/3. */
const OMEGA_RADIATION = OMEGA_PHOTON * (1 + 0.2271 * (3.046 / 3) * 2);
const OMEGA_MASSIVE_NU = 0.06 / 93.14 / (H * H);
export const PLANCK15 = { H0: 100 * H, Om0: 0.3075 } as const;
const OMEGA_MATTER = PLANCK15.Om0 + OMEGA_MASSIVE_NU;
const OMEGA_LAMBDA = 1 - OMEGA_MATTER - OMEGA_RADIATION;

const HUBBLE_DISTANCE_MPC = SPEED_OF_LIGHT_KM_S / PLANCK15.H0;
const STEP = 1e-4;
const MAX_Z = 50;

function inverseE(z: number): number {
  const a = 1 + z;
  return 1 / Math.sqrt(OMEGA_MATTER * a * a * a + OMEGA_RADIATION * a * a * a * a + OMEGA_LAMBDA);
}

/** Luminosity distance (Mpc) on a uniform z grid, by Simpson's rule on each step. */
function distanceTable(maxDistance: number): { z: number[]; dl: number[] } {
  const z = [0];
  const dl = [0];
  let comoving = 0;
  let zi = 0;
  while (dl[dl.length - 1]! < maxDistance) {
    if (zi >= MAX_Z) {
      throw new ScienceInputError(
        'luminosity_distance',
        `${maxDistance} Mpc is beyond redshift ${MAX_Z}`,
      );
    }
    const next = zi + STEP;
    comoving += (STEP / 6) * (inverseE(zi) + 4 * inverseE(zi + STEP / 2) + inverseE(next));
    zi = next;
    z.push(zi);
    dl.push((1 + zi) * HUBBLE_DISTANCE_MPC * comoving);
  }
  return { z, dl };
}

/** z for each luminosity distance (Mpc), by linear interpolation on a fine monotone table. */
export function redshiftFromLuminosityDistance(distancesMpc: ArrayLike<number>): Float64Array {
  let max = 0;
  for (let i = 0; i < distancesMpc.length; i++) {
    const d = distancesMpc[i]!;
    if (!(d >= 0) || !Number.isFinite(d)) {
      throw new ScienceInputError(
        `luminosity_distance[${i}]`,
        `must be a non-negative distance in Mpc, got ${d}`,
      );
    }
    if (d > max) max = d;
  }
  const { z, dl } = distanceTable(max);
  const out = new Float64Array(distancesMpc.length);
  for (let i = 0; i < distancesMpc.length; i++) {
    const d = distancesMpc[i]!;
    // Binary search for the bracketing step.
    let lo = 0;
    let hi = dl.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (dl[mid]! <= d) lo = mid;
      else hi = mid;
    }
    const span = dl[hi]! - dl[lo]!;
    out[i] = span > 0 ? z[lo]! + ((d - dl[lo]!) / span) * (z[hi]! - z[lo]!) : z[lo]!;
  }
  return out;
}
