/**
 * A small horizontal bar chart of probabilities drawn like the reference's matplotlib figures
 * (`barh` in the seaborn "white" style, tight layout, no x axis, a left spine, the percentage
 * written inside each bar's left end), so that operators see the same picture in GraceDB.
 */

import { createCanvas } from '@napi-rs/canvas';

export interface Bar {
  label: string;
  /** Probability in [0, 1]; drawn clamped to that range. */
  value: number;
  /** Annotation written at the bar's left end (e.g. "42%"). */
  text: string;
}

export interface BarChartOptions {
  widthIn: number;
  heightIn: number;
  /** Pixels per inch; matplotlib's savefig default is 100. */
  dpi?: number;
  /** Fill the rest of each bar (value → 1) in light grey, as the em_bright figure does. */
  remainder?: boolean;
  fontSizePt?: number;
}

export interface BarLayout {
  label: string;
  /** Pixel extent of the coloured bar: x from x0 to x1, y from top to bottom. */
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Right end of the grey remainder, when drawn. */
  remainderX1?: number;
}

export interface BarChart {
  png: Buffer;
  width: number;
  height: number;
  axes: { left: number; right: number; top: number; bottom: number };
  bars: BarLayout[];
}

const BAR_COLOR = '#1f77b4'; // matplotlib's first colour cycle entry
const REMAINDER_COLOR = '#d3d3d3'; // matplotlib 'lightgray'
const TEXT_COLOR = '#262626'; // seaborn style's '.15' grey
const FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif';
const BAR_HEIGHT = 0.8; // barh default, in category units
const Y_MARGIN = 0.05; // axes.ymargin
const TIGHT_PAD = 1.08; // tight_layout pad, in font sizes
const TICK_LABEL_PAD_PT = 3.5; // ytick.major.pad
const ANNOTATION_OFFSET_PT = 4; // the reference annotates at (4, 0) points from the bar start
const SPINE_WIDTH_PT = 1.25;

/**
 * Draws `bars` bottom to top (bars[0] at the bottom, matplotlib's barh order) and returns the
 * PNG with the geometry used, so that callers and tests can check what was drawn where.
 */
export function drawHorizontalBarChart(bars: readonly Bar[], options: BarChartOptions): BarChart {
  if (bars.length === 0) throw new RangeError('a bar chart needs at least one bar');
  const dpi = options.dpi ?? 100;
  const pt = dpi / 72;
  const fontPx = (options.fontSizePt ?? 10) * pt;
  const width = Math.round(options.widthIn * dpi);
  const height = Math.round(options.heightIn * dpi);

  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);
  ctx.font = `${fontPx}px ${FONT_FAMILY}`;

  const pad = TIGHT_PAD * fontPx;
  const labelGap = TICK_LABEL_PAD_PT * pt;
  const labelWidth = Math.max(...bars.map((b) => ctx.measureText(b.label).width));
  const axes = {
    left: Math.round(pad + labelWidth + labelGap),
    right: Math.round(width - pad),
    top: Math.round(pad),
    bottom: Math.round(height - pad),
  };
  if (axes.right <= axes.left || axes.bottom <= axes.top) {
    throw new RangeError(`a ${width}×${height} px figure is too small for labels this long`);
  }

  const n = bars.length;
  const span = n - 1 + BAR_HEIGHT;
  const yMin = -BAR_HEIGHT / 2 - Y_MARGIN * span;
  const yMax = n - 1 + BAR_HEIGHT / 2 + Y_MARGIN * span;
  const yPx = (y: number) => axes.bottom - ((y - yMin) / (yMax - yMin)) * (axes.bottom - axes.top);
  const xPx = (x: number) => axes.left + x * (axes.right - axes.left);

  const layout: BarLayout[] = [];
  bars.forEach((bar, i) => {
    const value = Math.min(1, Math.max(0, bar.value));
    const top = yPx(i + BAR_HEIGHT / 2);
    const bottom = yPx(i - BAR_HEIGHT / 2);
    const entry: BarLayout = { label: bar.label, x0: xPx(0), x1: xPx(value), top, bottom };
    ctx.fillStyle = BAR_COLOR;
    ctx.fillRect(entry.x0, top, entry.x1 - entry.x0, bottom - top);
    if (options.remainder) {
      entry.remainderX1 = xPx(1);
      ctx.fillStyle = REMAINDER_COLOR;
      ctx.fillRect(entry.x1, top, entry.remainderX1 - entry.x1, bottom - top);
    }
    layout.push(entry);
  });

  ctx.strokeStyle = TEXT_COLOR;
  ctx.lineWidth = SPINE_WIDTH_PT * pt;
  ctx.beginPath();
  ctx.moveTo(axes.left, axes.top);
  ctx.lineTo(axes.left, axes.bottom);
  ctx.stroke();

  ctx.fillStyle = TEXT_COLOR;
  ctx.textBaseline = 'middle';
  bars.forEach((bar, i) => {
    const y = yPx(i);
    ctx.textAlign = 'right';
    ctx.fillText(bar.label, axes.left - labelGap, y);
    ctx.textAlign = 'left';
    ctx.fillText(bar.text, axes.left + ANNOTATION_OFFSET_PT * pt, y);
  });

  return { png: canvas.toBuffer('image/png'), width, height, axes, bars: layout };
}
