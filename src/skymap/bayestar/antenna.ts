/**
 * Antenna response of an interferometer to a plane wave from one sky direction, as one complex
 * number F = F₊ + i F× at polarization angle ψ = 0. Rotating the polarization is then a
 * multiplication by e^{−2iψ}, which is what lets the likelihood sweep ψ cheaply.
 */

/**
 * Writes F₊ and F× for the response tensor at response[at … at+8] (row-major 3×3) and the
 * source at Greenwich hour angle `gha` = GMST − RA and declination `dec` into out[offset],
 * out[offset + 1].
 */
export function antennaFactor(
  response: ArrayLike<number>,
  at: number,
  gha: number,
  dec: number,
  out: Float64Array,
  offset = 0,
): void {
  const sinGha = Math.sin(gha);
  const cosGha = Math.cos(gha);
  const sinDec = Math.sin(dec);
  const cosDec = Math.cos(dec);
  // X and Y span the wave plane: X along decreasing right ascension, Y towards the north.
  const x0 = -sinGha;
  const x1 = -cosGha;
  const y0 = -cosGha * sinDec;
  const y1 = sinGha * sinDec;
  const y2 = cosDec;
  // D·X and D·Y (X has no z component), then the two quadratic forms.
  const r = response;
  const dx0 = r[at] * x0 + r[at + 1] * x1;
  const dx1 = r[at + 3] * x0 + r[at + 4] * x1;
  const dx2 = r[at + 6] * x0 + r[at + 7] * x1;
  const dy0 = r[at] * y0 + r[at + 1] * y1 + r[at + 2] * y2;
  const dy1 = r[at + 3] * y0 + r[at + 4] * y1 + r[at + 5] * y2;
  const dy2 = r[at + 6] * y0 + r[at + 7] * y1 + r[at + 8] * y2;
  const plus = x0 * dx0 + x1 * dx1 - (y0 * dy0 + y1 * dy1 + y2 * dy2);
  const cross = x0 * dy0 + x1 * dy1 + (y0 * dx0 + y1 * dx1 + y2 * dx2);
  out[offset] = plus;
  out[offset + 1] = cross;
}
