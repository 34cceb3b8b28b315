import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import {
  classificationPlotForUpload,
  plotEmBright,
  plotPAstro,
} from '../../src/science/plots/classification-plots.js';
import { formatProbability, roundHalfEven } from '../../src/science/plots/format-probability.js';
import type { BarChart } from '../../src/science/plots/horizontal-bar-chart.js';

async function pixels(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height);
  return {
    width: image.width,
    height: image.height,
    at(x: number, y: number): [number, number, number] {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [data.data[i]!, data.data[i + 1]!, data.data[i + 2]!];
    },
  };
}

const BLUE: [number, number, number] = [0x1f, 0x77, 0xb4];
const GREY: [number, number, number] = [0xd3, 0xd3, 0xd3];
const WHITE: [number, number, number] = [255, 255, 255];

test('percent labels follow the reference rule, rounding half to even like numpy', () => {
  const cases: [number, string][] = [
    [1, '100%'],
    [1.2, '100%'],
    [0, '0%'],
    [-0.1, '0%'],
    [0.995, '>99%'],
    [0.99, '99%'],
    [0.01, '1%'],
    [0.0099, '<1%'],
    [1e-9, '<1%'],
    [0.125, '12%'],
    [0.135, '14%'],
    [0.5, '50%'],
    [0.654, '65%'],
  ];
  for (const [p, text] of cases) assert.equal(formatProbability(p), text, String(p));
  assert.equal(roundHalfEven(2.5), 2);
  assert.equal(roundHalfEven(3.5), 4);
  assert.equal(roundHalfEven(-1.5), -2);
  assert.equal(roundHalfEven(12.5000001), 13);
  assert.throws(() => formatProbability(Number.NaN), RangeError);
});

test('p_astro chart: 250×200 px, largest probability on top, bars proportional', async () => {
  const chart = plotPAstro({ BNS: 0.65, NSBH: 0.2, BBH: 0.149, Terrestrial: 0.001 });
  assert.deepEqual(
    chart.bars.map((b) => b.label),
    ['Terrestrial', 'BBH', 'NSBH', 'BNS'],
    'bottom to top',
  );
  const img = await pixels(chart.png);
  assert.deepEqual([img.width, img.height], [250, 200]);
  const bns = chart.bars[3]!;
  assert.ok(bns.top < chart.bars[0]!.top, 'BNS is drawn above Terrestrial');
  const width = chart.axes.right - chart.axes.left;
  assert.ok(Math.abs(bns.x1 - bns.x0 - 0.65 * width) < 1e-9);
  const mid = (b: BarChart['bars'][number]) => (b.top + b.bottom) / 2;
  // Blue inside the bar's right end, white beyond it (no grey remainder on p_astro).
  assert.deepEqual(img.at(bns.x1 - 3, mid(bns)), BLUE);
  assert.deepEqual(img.at(bns.x1 + 3, mid(bns)), WHITE);
  // Ties are broken by name, as Python sorts (probability, name) pairs.
  const tie = plotPAstro({ NSBH: 0.25, BNS: 0.25, BBH: 0.25, Terrestrial: 0.25 });
  assert.deepEqual(
    tie.bars.map((b) => b.label),
    ['BBH', 'BNS', 'NSBH', 'Terrestrial'],
  );
});

test('em_bright chart: 300×100 px, reverse alphabetical from the bottom, grey remainder', async () => {
  const chart = plotEmBright({ HasNS: 0.9137, HasRemnant: 0.0, HasMassGap: 0.5 });
  assert.deepEqual(
    chart.bars.map((b) => b.label),
    ['HasRemnant', 'HasNS', 'HasMassGap'],
  );
  const img = await pixels(chart.png);
  assert.deepEqual([img.width, img.height], [300, 100]);
  const gap = chart.bars[2]!;
  const y = (gap.top + gap.bottom) / 2;
  assert.deepEqual(img.at(gap.x1 - 3, y), BLUE);
  assert.deepEqual(img.at(gap.x1 + 3, y), GREY);
  assert.deepEqual(img.at(gap.remainderX1! + 3, y), WHITE);
  // A zero probability is all remainder.
  const remnant = chart.bars[0]!;
  assert.equal(remnant.x1, remnant.x0);
  assert.deepEqual(img.at(chart.axes.right - 3, (remnant.top + remnant.bottom) / 2), GREY);
});

test('labels and annotations are drawn', async () => {
  const chart = plotPAstro({ BNS: 0, NSBH: 0, BBH: 0, Terrestrial: 0 });
  const img = await pixels(chart.png);
  // With every bar empty, anything dark left of the axis is a label, right of it an annotation.
  let labelInk = 0;
  let annotationInk = 0;
  for (let y = chart.axes.top; y < chart.axes.bottom; y++) {
    for (let x = 0; x < img.width; x++) {
      const [r] = img.at(x, y);
      if (r < 128 && x < chart.axes.left - 2) labelInk++;
      if (r < 128 && x > chart.axes.left + 2) annotationInk++;
    }
  }
  assert.ok(labelInk > 50, `label pixels: ${labelInk}`);
  assert.ok(annotationInk > 20, `annotation pixels: ${annotationInk}`);
});

test('the same input always gives the same bytes', () => {
  const values = { BNS: 0.3, NSBH: 0.3, BBH: 0.3, Terrestrial: 0.1 };
  assert.deepEqual(plotPAstro(values).png, plotPAstro(values).png);
});

test('uploads are plotted by the reference file-name rules', () => {
  const pastro = classificationPlotForUpload(
    'RapidPE_RIFT.p_astro.json',
    '{"BNS": 0.9, "NSBH": 0, "BBH": 0, "Terrestrial": 0.1}',
  );
  assert.equal(pastro?.filename, 'RapidPE_RIFT.p_astro.png');
  const em = classificationPlotForUpload('em_bright.json', Buffer.from('{"HasNS": 1.0}'));
  assert.equal(em?.filename, 'em_bright.png');
  assert.equal(classificationPlotForUpload('bayestar.multiorder.fits', 'x'), null);
  assert.equal(classificationPlotForUpload('olib.p_astro.json', '{}'), null);
  assert.throws(
    () => classificationPlotForUpload('mbta.p_astro.json', '{"BNS": "high"}'),
    /mbta\.p_astro\.json: BNS: must be a finite number/,
  );
  assert.throws(
    () => classificationPlotForUpload('em_bright.json', '[]'),
    /em_bright\.json: contents/,
  );
});
