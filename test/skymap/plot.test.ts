import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { COLORMAP } from '../../src/skymap/plot/colormap.js';
import { contourLines } from '../../src/skymap/plot/contour.js';
import { project, unproject } from '../../src/skymap/plot/mollweide.js';
import { plotSkyMap } from '../../src/skymap/plot/render.js';
import { BLOB, gaussianBlob } from '../helpers/skymap-fixtures.js';

test('Mollweide: RA 180° at the centre, RA growing leftwards, inverse recovers the position', () => {
  assert.deepEqual(project(Math.PI, 0), { x: -0, y: 0 });
  assert.ok(project(Math.PI + 0.5, 0).x < 0, 'larger RA is to the left');
  assert.ok(Math.abs(project(0, Math.PI / 2).y - Math.SQRT2) < 1e-12);
  for (let k = 0; k < 200; k++) {
    const ra = (k * 0.7919) % (2 * Math.PI);
    const dec = Math.asin(((k * 0.3779) % 2) - 1);
    const p = project(ra, dec);
    const back = unproject(p.x, p.y)!;
    assert.ok(Math.abs(back.dec - dec) < 1e-9);
    if (Math.abs(dec) < 1.5)
      assert.ok(Math.abs(((back.ra - ra + 3 * Math.PI) % (2 * Math.PI)) - Math.PI) < 1e-9);
  }
  assert.equal(unproject(3, 0), undefined);
});

test('marching squares outlines a disc at the level crossing', () => {
  const n = 101;
  const grid = new Float64Array(n * n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) grid[j * n + i] = Math.hypot(i - 50, j - 50) / 50;
  const lines = contourLines(grid, n, n, 0.5);
  assert.equal(lines.length, 1, 'one closed line');
  const line = lines[0];
  assert.deepEqual(line[0], line[line.length - 1]);
  for (const [x, y] of line) assert.ok(Math.abs(Math.hypot(x - 50, y - 50) - 25) < 0.2);
  grid[50 * n + 50] = Number.NaN; // cells touching NaN are skipped
  assert.equal(contourLines(grid, n, n, 0.01).length, 0);
});

test('plot of a Gaussian blob: colours, contours at the analytic radii, PNG of the asked size', async () => {
  const map = gaussianBlob();
  const width = 1200;
  const png = await plotSkyMap(map, { width, marker: { ra: 0, dec: 0 } });
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  const image = await loadImage(png);
  assert.equal(image.width, width);
  assert.equal(image.height, 900);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const pixels = ctx.getImageData(0, 0, image.width, image.height).data;
  const at = (x: number, y: number) =>
    Array.from(pixels.subarray(4 * (y * width + x), 4 * (y * width + x) + 3));
  // Same layout as the renderer: centre and scale of the ellipse.
  const u = width / 2400;
  const cx = width / 2;
  const cy = 900 / 2 + 50 * u;
  const scale = (width - 240 * u) / (4 * Math.SQRT2);
  const toPixel = (ra: number, dec: number) => {
    const p = project(ra, dec);
    return [Math.round(cx + p.x * scale - 0.5), Math.round(cy - p.y * scale - 0.5)];
  };
  const [bx, by] = toPixel(BLOB.ra, BLOB.dec);
  const centre = at(bx, by);
  assert.deepEqual(centre, Array.from(COLORMAP.subarray(765, 768)), 'blob centre: the peak colour');
  const [fx, fy] = toPixel(BLOB.ra + Math.PI, -BLOB.dec + 0.2);
  assert.deepEqual(
    at(fx, fy),
    Array.from(COLORMAP.subarray(0, 3)),
    'far from the blob: the zero colour',
  );
  assert.deepEqual(at(5, 5), [255, 255, 255], 'outside the sky: white');
  // Walk north from the blob centre up to 3σ (short of the 0° parallel): contour pixels, black
  // lines anti-aliased to grey (the colour scale has no greys), at the 50% and 90% radii.
  const found: number[] = [];
  for (let dec = BLOB.dec; dec < BLOB.dec + 3 * BLOB.sigma; dec += 0.0005) {
    const [x, y] = toPixel(BLOB.ra, dec);
    const [r, g, b] = at(x, y);
    if (r < 140 && Math.abs(r - g) < 20 && Math.abs(g - b) < 20) {
      const d = (dec - BLOB.dec) / BLOB.sigma;
      if (found.length === 0 || d - found[found.length - 1] > 0.3) found.push(d);
    }
  }
  const r50 = Math.sqrt(2 * Math.log(2));
  const r90 = Math.sqrt(2 * Math.log(10));
  assert.equal(
    found.length,
    2,
    `two contour crossings, found at ${found.map((f) => f.toFixed(2))} σ`,
  );
  // Within one order-5 pixel (1.8°, 0.27σ) of the analytic radii.
  assert.ok(Math.abs(found[0] - r50) < 0.3, `50% contour at ${found[0]}σ, expected ${r50}σ`);
  assert.ok(Math.abs(found[1] - r90) < 0.3, `90% contour at ${found[1]}σ, expected ${r90}σ`);
  await assert.rejects(plotSkyMap(map, { width: 50 }), /plot width 50/);
  await assert.rejects(plotSkyMap(map, { contours: [150] }), /contour level 150%/);
});
