/** Compact-binary mass parameterisations shared by em_bright and p_astro. */

export function chirpMass(m1: number, m2: number): number {
  return (m1 * m2) ** 0.6 / (m1 + m2) ** 0.2;
}

/** η = m1 m2 / (m1 + m2)², at most 1/4 (equal masses). */
export function symmetricMassRatio(m1: number, m2: number): number {
  return (m1 * m2) / (m1 + m2) ** 2;
}

/**
 * Component masses (heavier first) from chirp mass and symmetric mass ratio. η above 1/4 is
 * unphysical; callers keep it within (0, 1/4].
 */
export function massesFromChirpMassEta(mc: number, eta: number): [number, number] {
  const total = mc * eta ** -0.6;
  const spread = Math.sqrt(Math.max(0, 1 - 4 * eta));
  return [(total * (1 + spread)) / 2, (total * (1 - spread)) / 2];
}

/** Component masses from chirp mass and q = m2/m1 ≤ 1 (the bilby convention for `mass_ratio`). */
export function massesFromChirpMassQ(mc: number, q: number): [number, number] {
  const m1 = mc * (1 + q) ** 0.2 * q ** -0.6;
  return [m1, m1 * q];
}
