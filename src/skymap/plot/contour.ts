/**
 * Marching squares: the boundary of {v ≤ level} on a grid of samples, as polylines in grid
 * coordinates (sample (i, j) at x = i, y = j). Cells touching a NaN sample are skipped, so
 * lines stop at the edge of the projected sky instead of wrapping along it.
 */

export type Polyline = [number, number][];

/** Segments of one cell by case (4 bits: top-left, top-right, bottom-right, bottom-left inside). */
const EDGES: number[][] = [
  [],
  [3, 2],
  [2, 1],
  [3, 1],
  [1, 0],
  [3, 0, 1, 2], // saddle, resolved below
  [2, 0],
  [3, 0],
  [0, 3],
  [0, 2],
  [0, 1, 2, 3], // saddle, resolved below
  [0, 1],
  [1, 3],
  [1, 2],
  [2, 3],
  [],
];

export function contourLines(
  values: Float32Array | Float64Array,
  width: number,
  height: number,
  level: number,
): Polyline[] {
  const segments: [number, number, number, number][] = [];
  const at = (i: number, j: number) => values[j * width + i];
  for (let j = 0; j < height - 1; j++) {
    for (let i = 0; i < width - 1; i++) {
      const tl = at(i, j);
      const tr = at(i + 1, j);
      const br = at(i + 1, j + 1);
      const bl = at(i, j + 1);
      if (Number.isNaN(tl) || Number.isNaN(tr) || Number.isNaN(br) || Number.isNaN(bl)) continue;
      const code =
        (tl <= level ? 8 : 0) |
        (tr <= level ? 4 : 0) |
        (br <= level ? 2 : 0) |
        (bl <= level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      // Edge crossing points: 0 top, 1 right, 2 bottom, 3 left.
      const point = (edge: number): [number, number] => {
        const f = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
        switch (edge) {
          case 0:
            return [i + f(tl, tr), j];
          case 1:
            return [i + 1, j + f(tr, br)];
          case 2:
            return [i + f(bl, br), j + 1];
          default:
            return [i, j + f(tl, bl)];
        }
      };
      let edges = EDGES[code];
      if (code === 5 || code === 10) {
        // Saddle: decide by the cell centre.
        const centreInside = (tl + tr + br + bl) / 4 <= level;
        if (code === 5) edges = centreInside ? [3, 0, 1, 2] : [3, 2, 1, 0];
        else edges = centreInside ? [0, 1, 2, 3] : [0, 3, 2, 1];
      }
      for (let k = 0; k < edges.length; k += 2) {
        const a = point(edges[k]);
        const b = point(edges[k + 1]);
        // A sample exactly at the level puts both ends on that corner: nothing to draw.
        if (a[0] !== b[0] || a[1] !== b[1]) segments.push([a[0], a[1], b[0], b[1]]);
      }
    }
  }
  return chain(segments);
}

/** Joins segments that share end points into polylines. */
function chain(segments: [number, number, number, number][]): Polyline[] {
  const key = (x: number, y: number) => `${Math.round(x * 1e6)},${Math.round(y * 1e6)}`;
  const byPoint = new Map<string, number[]>();
  segments.forEach((s, n) => {
    for (const k of [key(s[0], s[1]), key(s[2], s[3])]) {
      const list = byPoint.get(k);
      if (list) list.push(n);
      else byPoint.set(k, [n]);
    }
  });
  const used = new Uint8Array(segments.length);
  const lines: Polyline[] = [];
  /** Follows unused segments from the last point of `line`, appending their far ends. */
  const extend = (line: Polyline) => {
    for (;;) {
      const end = line[line.length - 1];
      const next = (byPoint.get(key(end[0], end[1])) ?? []).find((n) => !used[n]);
      if (next === undefined) return;
      used[next] = 1;
      const s = segments[next];
      const sameStart = key(s[0], s[1]) === key(end[0], end[1]);
      line.push(sameStart ? [s[2], s[3]] : [s[0], s[1]]);
    }
  };
  segments.forEach((s, n) => {
    if (used[n]) return;
    used[n] = 1;
    const forward: Polyline = [
      [s[0], s[1]],
      [s[2], s[3]],
    ];
    extend(forward);
    const backward: Polyline = [[s[0], s[1]]];
    extend(backward);
    lines.push(backward.length > 1 ? [...backward.reverse().slice(0, -1), ...forward] : forward);
  });
  return lines;
}
