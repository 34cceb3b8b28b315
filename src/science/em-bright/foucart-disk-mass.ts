/**
 * Remnant (disk + ejecta) mass left outside the black hole after an NS–BH merger, from the fit of
 * Foucart, Hinderer & Nissanke 2018 (arXiv:1807.00011, eq. 4), as used by ligo.em-bright for
 * HasRemnant. Implemented from the paper's formula (science-spec §5.1):
 *
 *   M_rem = m_NS^b · max(0, α(1 − 2C)/η^{1/3} − β R_ISCO(χ_BH) C/η + γ)^δ
 *
 * with the Newtonian-tidal coefficients α = 0.406, β = 0.139, γ = 0.255, δ = 1.761.
 */

import { ScienceInputError } from '../errors.js';
import { symmetricMassRatio } from '../masses.js';

/**
 * G·M☉/c² in metres, from the constants astropy uses (CODATA 2018 G, IAU 2015 nominal solar
 * mass), so that compactness matches the reference to ~1e-10.
 */
export const SOLAR_MASS_LENGTH_M = (6.6743e-11 * 1.988409870698051e30) / 299792458 ** 2;

const ALPHA = 0.406;
const BETA = 0.139;
const GAMMA = 0.255;
const DELTA = 1.761;

/** Equation of state summarised as the fit needs it: one radius and a maximum mass. */
export interface NeutronStarModel {
  /** Maximum NS mass (M☉): heavier secondaries are black holes, lighter primaries are NSs. */
  maxMass: number;
  /** NS radius in km. */
  radiusKm: number;
}

/**
 * Prograde/retrograde Kerr ISCO radius in units of the BH mass (Bardeen, Press & Teukolsky 1972).
 * χ > 0 is aligned with the orbit; χ = 0 gives 6.
 */
export function iscoRadius(chi: number): number {
  if (!(Math.abs(chi) <= 1)) {
    throw new ScienceInputError('spin', `|χ| must be at most 1, got ${chi}`);
  }
  const z1 = 1 + Math.cbrt(1 - chi * chi) * (Math.cbrt(1 + chi) + Math.cbrt(1 - chi));
  const z2 = Math.sqrt(3 * chi * chi + z1 * z1);
  return 3 + z2 - Math.sign(chi) * Math.sqrt((3 - z1) * (3 + z1 + 2 * z2));
}

/** C = G m / (R c²). */
export function compactness(massSolar: number, radiusKm: number): number {
  return (massSolar * SOLAR_MASS_LENGTH_M) / (radiusKm * 1000);
}

/** Baryonic mass of the NS: gravitational mass plus binding energy (arXiv:1601.06083 eq. 21). */
export function baryonMass(massSolar: number, c: number): number {
  return massSolar * (1 + 0.619 * c + 0.1359 * c * c);
}

/**
 * Remnant mass in M☉ for one binary. The components may come in either order: the heavier is the
 * black hole and its aligned spin enters R_ISCO.
 *
 * Outside the NSBH regime the reference uses ad hoc values, kept here: 1 when even the heavier
 * component is below the maximum NS mass (BNS, taken as always EM-bright) and 0 when even the
 * lighter one is above it (BBH, EM-dark).
 */
export function remnantMass(
  m1: number,
  m2: number,
  chi1: number,
  chi2: number,
  ns: NeutronStarModel,
): number {
  const [mBh, mNs, chiBh] = m1 >= m2 ? [m1, m2, chi1] : [m2, m1, chi2];
  if (mNs > ns.maxMass) return 0;
  if (mBh < ns.maxMass) return 1;
  const c = compactness(mNs, ns.radiusKm);
  const eta = symmetricMassRatio(mBh, mNs);
  const combined =
    (ALPHA * (1 - 2 * c)) / Math.cbrt(eta) - (BETA * iscoRadius(chiBh) * c) / eta + GAMMA;
  return combined > 0 ? combined ** DELTA * baryonMass(mNs, c) : 0;
}
