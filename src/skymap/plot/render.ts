/**
 * A sky map as a PNG: Mollweide projection of the probability density per deg² (linear scale
 * from 0), the 50% and 90% credible contours, an RA/Dec graticule with labels, and an
 * annotation with the event id, instruments and credible areas (after
 * `ligo-skymap-plot --annotate --contour 50 90`).
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { credibleAreas, credibleLevels } from '../credible.js';
import { steradiansToSquareDegrees } from '../healpix/index.js';
import { PixelLookup } from '../lookup.js';
import type { MultiOrderSkyMap } from '../multiorder.js';
import { formatArea } from '../summary.js';
import { COLORMAP, colorIndex } from './colormap.js';
import { contourLines } from './contour.js';
import { project, unproject } from './mollweide.js';

export interface PlotOptions {
  /** Image width in pixels (default 2400, i.e. 8 in at 300 dpi); the height is 3/4 of it. */
  width?: number;
  /** Credible levels to outline, in percent (default [50, 90]). */
  contours?: number[];
  /** Annotate with event id, instruments and areas (default true). */
  annotate?: boolean;
  /** Mark a position, e.g. an injection or a counterpart: RA and Dec in degrees. */
  marker?: { ra: number; dec: number };
}

const FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';
const DEG = Math.PI / 180;
/** RA just inside the left and right edges of the sky (both edges are RA 0h). */
const LEFT_EDGE_RA = 2 * Math.PI - 1e-9;
const RIGHT_EDGE_RA = 1e-9;

/** Where the projection sits on the canvas: centre and pixels per projection unit. */
interface Frame {
  cx: number;
  cy: number;
  scale: number;
}

function toCanvas(frame: Frame, ra: number, dec: number): [number, number] {
  const p = project(ra, dec);
  return [frame.cx + p.x * frame.scale, frame.cy - p.y * frame.scale];
}

/** Renders the map; resolves to PNG bytes. */
export async function plotSkyMap(
  map: MultiOrderSkyMap,
  options: PlotOptions = {},
): Promise<Buffer> {
  const width = Math.round(options.width ?? 2400);
  if (!(width >= 200 && width <= 10000))
    throw new RangeError(`plot width ${width} must be 200–10000 pixels`);
  const height = Math.round((width * 3) / 4);
  const contours = options.contours ?? [50, 90];
  for (const c of contours)
    if (!(c > 0 && c < 100)) throw new RangeError(`contour level ${c}% is outside (0, 100)`);
  const u = width / 2400; // layout unit: sizes below are for the 2400-pixel figure
  const frame: Frame = {
    cx: width / 2,
    cy: height / 2 + 50 * u,
    scale: (width - 240 * u) / (4 * Math.SQRT2),
  };

  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');

  // Sky: one lookup per canvas pixel inside the ellipse (nearest-neighbour reprojection).
  const lookup = new PixelLookup(map);
  const levels = credibleLevels(map);
  let peak = 0;
  for (const d of map.probdensity) if (d > peak) peak = d;
  const perDeg2 = 1 / steradiansToSquareDegrees(1);
  const vmax = peak * perDeg2;
  const image = ctx.createImageData(width, height);
  const px = image.data;
  px.fill(255); // opaque white wherever the sky does not cover
  const levelGrid = new Float32Array(width * height).fill(Number.NaN);
  for (let j = 0; j < height; j++) {
    const y = (frame.cy - (j + 0.5)) / frame.scale;
    if (Math.abs(y) > Math.SQRT2) continue;
    for (let i = 0; i < width; i++) {
      const o = 4 * (j * width + i);
      const x = (i + 0.5 - frame.cx) / frame.scale;
      const sky = unproject(x, y);
      if (!sky) continue;
      const row = lookup.rowAtRadec(sky.ra, sky.dec);
      const density = row < 0 ? 0 : map.probdensity[row] * perDeg2;
      const c = 3 * colorIndex(vmax > 0 ? density / vmax : 0);
      px[o] = COLORMAP[c];
      px[o + 1] = COLORMAP[c + 1];
      px[o + 2] = COLORMAP[c + 2];
      px[o + 3] = 255;
      levelGrid[j * width + i] = row < 0 ? 1 : levels[row];
    }
  }
  ctx.putImageData(image, 0, 0);

  drawGraticule(ctx, frame, u);

  // Credible contours, drawn over the sky in the reference's dark outline.
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 2.5 * u;
  ctx.lineJoin = 'round';
  for (const c of contours) {
    for (const line of contourLines(levelGrid, width, height, c / 100)) {
      ctx.beginPath();
      line.forEach(([x, y], k) => {
        // Grid sample (i, j) is the centre of canvas pixel (i, j).
        if (k === 0) ctx.moveTo(x + 0.5, y + 0.5);
        else ctx.lineTo(x + 0.5, y + 0.5);
      });
      ctx.stroke();
    }
  }

  if (options.marker) {
    const [mx, my] = toCanvas(frame, options.marker.ra * DEG, options.marker.dec * DEG);
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = 4 * u;
    const r = 28 * u;
    ctx.beginPath();
    ctx.moveTo(mx - r, my);
    ctx.lineTo(mx - r / 3, my);
    ctx.moveTo(mx + r / 3, my);
    ctx.lineTo(mx + r, my);
    ctx.moveTo(mx, my - r);
    ctx.lineTo(mx, my - r / 3);
    ctx.moveTo(mx, my + r / 3);
    ctx.lineTo(mx, my + r);
    ctx.stroke();
  }

  if (options.annotate ?? true) {
    const lines: string[] = [];
    if (map.meta.objectId) lines.push(`event ID: ${map.meta.objectId}`);
    if (map.meta.instruments?.length) lines.push(`instruments: ${map.meta.instruments.join(', ')}`);
    if (contours.length > 0) {
      const areas = credibleAreas(
        map,
        contours.map((c) => c / 100),
      );
      contours.forEach((c, k) => {
        lines.push(`${c}% area: ${formatArea(areas[k])} deg²`);
      });
    }
    ctx.fillStyle = '#000000';
    ctx.font = `${42 * u}px ${FONT}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    lines.forEach((text, k) => {
      ctx.fillText(text, width - 60 * u, 40 * u + k * 54 * u);
    });
  }
  return canvas.encode('png');
}

function drawGraticule(ctx: SKRSContext2D, frame: Frame, u: number): void {
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.3)';
  ctx.lineWidth = 1.5 * u;
  // Meridians every 2 hours of RA.
  for (let h = 0; h < 24; h += 2) {
    const ra = h * 15 * DEG;
    ctx.beginPath();
    for (let d = -90; d <= 90; d += 1) {
      const [x, y] = toCanvas(frame, ra, d * DEG);
      if (d === -90) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  // Parallels every 30°, from the left edge of the sky (RA just below 24h) to the right (0h).
  for (const dec of [-60, -30, 0, 30, 60]) {
    const [x0, y] = toCanvas(frame, LEFT_EDGE_RA, dec * DEG);
    const [x1] = toCanvas(frame, RIGHT_EDGE_RA, dec * DEG);
    ctx.beginPath();
    ctx.moveTo(x0, y);
    ctx.lineTo(x1, y);
    ctx.stroke();
  }
  // Outline of the sky.
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 2.5 * u;
  ctx.beginPath();
  ctx.ellipse(
    frame.cx,
    frame.cy,
    2 * Math.SQRT2 * frame.scale,
    Math.SQRT2 * frame.scale,
    0,
    0,
    2 * Math.PI,
  );
  ctx.stroke();

  ctx.fillStyle = '#000000';
  ctx.font = `${34 * u}px ${FONT}`;
  // RA labels along the equator, just below it.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let h = 2; h < 24; h += 2) {
    const [x, y] = toCanvas(frame, h * 15 * DEG, 0);
    ctx.fillText(`${h}h`, x, y + 8 * u);
  }
  // Dec labels at the left edge of each parallel.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const dec of [-60, -30, 0, 30, 60]) {
    const [x, y] = toCanvas(frame, LEFT_EDGE_RA, dec * DEG);
    ctx.fillText(`${dec > 0 ? '+' : dec < 0 ? '−' : ''}${Math.abs(dec)}°`, x - 12 * u, y);
  }
}
