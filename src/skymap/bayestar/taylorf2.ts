/**
 * Frequency-domain amplitude of a compact-binary inspiral in the stationary-phase
 * approximation at leading (Newtonian) order, which is what LAL's TaylorF2 amplitude is: |h̃(f)|
 * ∝ f^(−7/6) up to the last stable orbit. Only the amplitude matters to BAYESTAR: it sets the
 * horizon distance and the spectrum of the matched-filter autocorrelation.
 */

/** G M☉ / c³ in seconds. */
export const SOLAR_MASS_SECONDS = 4.925490947e-6;
/** One megaparsec in light-seconds. */
export const MEGAPARSEC_SECONDS = 3.085677581491367e22 / 299_792_458;

export function chirpMass(mass1: number, mass2: number): number {
  return (mass1 * mass2) ** 0.6 / (mass1 + mass2) ** 0.2;
}

/** Gravitational-wave frequency at the innermost stable circular orbit of a test mass, Hz. */
export function lastStableOrbitFrequency(totalMass: number): number {
  return 1 / (6 ** 1.5 * Math.PI * totalMass * SOLAR_MASS_SECONDS);
}

/**
 * |h̃₊(f)|² / f^(−7/3) in Hz⁻² · Hz^(7/3) for a face-on source at 1 Mpc, i.e. the constant
 * A² in |h̃(f)|² = A² f^(−7/3), with A = √(5/24) π^(−2/3) (G𝓜/c³)^(5/6) c / D.
 */
export function newtonianAmplitudeSquared(mass1: number, mass2: number): number {
  const mc = chirpMass(mass1, mass2) * SOLAR_MASS_SECONDS;
  return (
    ((5 / 24) * Math.PI ** (-4 / 3) * mc ** (5 / 3)) / (MEGAPARSEC_SECONDS * MEGAPARSEC_SECONDS)
  );
}
