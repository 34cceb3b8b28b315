/** Unit vectors and angles on the sphere (θ colatitude from the north pole, φ longitude). */

export type Vec3 = readonly [number, number, number];

export function ang2vec(theta: number, phi: number): Vec3 {
  const s = Math.sin(theta);
  return [s * Math.cos(phi), s * Math.sin(phi), Math.cos(theta)];
}

/** (θ, φ) of a vector of any non-zero length; φ in [0, 2π). */
export function vec2ang(v: Vec3): { theta: number; phi: number } {
  const [x, y, z] = v;
  const theta = Math.atan2(Math.hypot(x, y), z);
  let phi = Math.atan2(y, x);
  if (phi < 0) phi += 2 * Math.PI;
  return { theta, phi };
}

/** Angle between two vectors, accurate for tiny and near-π angles (atan2 of |a×b| and a·b). */
export function angleBetween(a: Vec3, b: Vec3): number {
  const cx = a[1] * b[2] - a[2] * b[1];
  const cy = a[2] * b[0] - a[0] * b[2];
  const cz = a[0] * b[1] - a[1] * b[0];
  return Math.atan2(Math.hypot(cx, cy, cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

/** Right ascension and declination (radians) to θ, φ. */
export function radecToAng(ra: number, dec: number): { theta: number; phi: number } {
  return { theta: Math.PI / 2 - dec, phi: ra };
}

/** θ, φ to right ascension in [0, 2π) and declination (radians). */
export function angToRadec(theta: number, phi: number): { ra: number; dec: number } {
  let ra = phi % (2 * Math.PI);
  if (ra < 0) ra += 2 * Math.PI;
  return { ra, dec: Math.PI / 2 - theta };
}
