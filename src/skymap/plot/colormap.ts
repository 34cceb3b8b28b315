/**
 * The sky-map colour scale: from a warm off-white at zero density through saturated red to a
 * dark red at the peak, a print- and screen-friendly ramp in the spirit of ligo.skymap's
 * "cylon". Anchors are interpolated linearly in sRGB.
 */

const ANCHORS: [number, [number, number, number]][] = [
  [0, [1.0, 0.94, 0.88]],
  [0.2, [1.0, 0.7, 0.47]],
  [0.45, [1.0, 0.22, 0.17]],
  [0.6, [0.93, 0.0, 0.25]],
  [0.8, [0.72, 0.0, 0.27]],
  [1, [0.23, 0.0, 0.0]],
];

/** 256-entry RGB lookup table (bytes). */
export const COLORMAP: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < ANCHORS.length - 2 && t > ANCHORS[k + 1][0]) k++;
    const [t0, c0] = ANCHORS[k];
    const [t1, c1] = ANCHORS[k + 1];
    const f = (t - t0) / (t1 - t0);
    for (let j = 0; j < 3; j++) lut[3 * i + j] = Math.round(255 * (c0[j] + f * (c1[j] - c0[j])));
  }
  return lut;
})();

/** Index into COLORMAP for a value scaled to [0, 1] (clipped). */
export function colorIndex(t: number): number {
  if (!(t > 0)) return 0;
  if (t >= 1) return 255;
  return Math.floor(t * 255.999);
}
