/**
 * Sky-map benchmark: read the real BAYESTAR map (MS220722v, 19,200 pixels), compute its credible
 * areas, flatten it to nside 512 (3.1 M pixels) and write that gzipped, and plot it at
 * 2400 × 1800. Prints the median of several runs of each step in milliseconds, then
 * `RESULT {json}`. Without ../shared it uses the committed Gaussian-blob fixture and says so.
 *
 *   npm run bench:skymap
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { credibleAreas } from '../src/skymap/credible.js';
import { flatten } from '../src/skymap/flat.js';
import { readSkyMap, writeFlatSkyMap, writeSkyMap } from '../src/skymap/io.js';
import { plotSkyMap } from '../src/skymap/plot/render.js';

const shared = fileURLToPath(
  new URL('../../shared/data/gwcelery/tests/MS220722v_bayestar.multiorder.fits', import.meta.url),
);
const fallback = fileURLToPath(
  new URL('../test/fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);

let path = shared;
let bytes: Uint8Array;
try {
  bytes = readFileSync(shared);
} catch {
  path = fallback;
  bytes = readFileSync(fallback);
  console.log(`../shared not found: benchmarking the committed fixture ${fallback} instead`);
}

async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const map = readSkyMap(bytes, { source: path });
const figures = {
  file: path === shared ? 'MS220722v_bayestar.multiorder.fits' : 'gaussian-blob.multiorder.fits',
  pixels: map.uniq.length,
  read_ms: await median(20, () => readSkyMap(bytes, { source: path })),
  write_ms: await median(20, () => writeSkyMap(map)),
  credible_areas_ms: await median(20, () => credibleAreas(map, [0.5, 0.9])),
  flatten_nside512_ms: await median(5, () => flatten(map, 9)),
  flatten_write_gzip_ms: 0,
  plot_ms: await median(3, () => plotSkyMap(map)),
};
const flat = flatten(map, 9);
figures.flatten_write_gzip_ms = await median(3, () => writeFlatSkyMap(flat, { gzip: true }));

const rounded = Object.fromEntries(
  Object.entries(figures).map(([k, v]) => [
    k,
    typeof v === 'number' && k.endsWith('_ms') ? Math.round(v * 10) / 10 : v,
  ]),
);
console.log(`sky map: ${rounded.file} (${rounded.pixels} pixels)`);
for (const [k, v] of Object.entries(rounded))
  if (k.endsWith('_ms')) console.log(`  ${k.padEnd(24)} ${v} ms`);
console.log(`RESULT ${JSON.stringify(rounded)}`);
