/**
 * The Mollweide equal-area projection in the astronomers' orientation: centred on RA 180°,
 * RA increasing to the left (as seen from inside the sphere). Projection coordinates: x in
 * [−2√2, 2√2], y in [−√2, √2], north up.
 */

const SQRT2 = Math.SQRT2;
const CENTRE_RA = Math.PI;

/** Auxiliary angle θ with 2θ + sin 2θ = π·sin(dec), by Newton's method. */
function auxiliary(dec: number): number {
  if (Math.abs(dec) >= Math.PI / 2 - 1e-12) return Math.sign(dec) * (Math.PI / 2);
  const target = Math.PI * Math.sin(dec);
  let t = dec;
  for (let i = 0; i < 50; i++) {
    const f = 2 * t + Math.sin(2 * t) - target;
    const df = 2 + 2 * Math.cos(2 * t);
    const step = f / df;
    t -= step;
    if (Math.abs(step) < 1e-13) break;
  }
  return t;
}

/** Wraps an RA offset from the centre into [−π, π]. */
function offset(ra: number): number {
  let d = (ra - CENTRE_RA) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d < -Math.PI) d += 2 * Math.PI;
  return d;
}

/** Projection coordinates of (ra, dec) in radians. */
export function project(ra: number, dec: number): { x: number; y: number } {
  const t = auxiliary(dec);
  return { x: -((2 * SQRT2) / Math.PI) * offset(ra) * Math.cos(t), y: SQRT2 * Math.sin(t) };
}

/** (ra, dec) in radians of projection coordinates, or undefined outside the ellipse. */
export function unproject(x: number, y: number): { ra: number; dec: number } | undefined {
  // A hair of tolerance keeps points projected onto the edge (RA 0h) inside.
  if ((x * x) / 8 + (y * y) / 2 > 1 + 1e-12) return undefined;
  const t = Math.asin(Math.max(-1, Math.min(1, y / SQRT2)));
  const dec = Math.asin(Math.max(-1, Math.min(1, (2 * t + Math.sin(2 * t)) / Math.PI)));
  const c = Math.cos(t);
  const lon = c < 1e-15 ? 0 : (-Math.PI * x) / (2 * SQRT2 * c);
  if (Math.abs(lon) > Math.PI + 1e-12) return undefined;
  let ra = CENTRE_RA + lon;
  if (ra < 0) ra += 2 * Math.PI;
  if (ra >= 2 * Math.PI) ra -= 2 * Math.PI;
  return { ra, dec };
}
