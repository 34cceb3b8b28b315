import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readFits } from '../../../src/formats/fits/index.js';
import { FINAL_PIXELS } from '../../../src/skymap/bayestar/adaptive-mesh.js';
import { bayestarFits, toMultiOrderSkyMap } from '../../../src/skymap/bayestar/fits-output.js';
import { coincEventFromLigoLw } from '../../../src/skymap/bayestar/ligolw-event.js';
import { type BayestarSkyMap, localize } from '../../../src/skymap/bayestar/localize.js';
import { WorkerPool } from '../../../src/skymap/bayestar/worker-pool.js';
import { credibleAreas, searched } from '../../../src/skymap/credible.js';
import { orderToPixelArea, uniqToOrder } from '../../../src/skymap/healpix/index.js';
import { readSkyMap } from '../../../src/skymap/io.js';
import { BAYESTAR_FIXTURES, fixtureUrl } from '../../fixtures/bayestar/fixtures.js';
import { needsShared, sharedData } from '../../helpers/shared.js';

// A small noise-free HL event at 1024 Hz, with a coarser distance table than production (150
// nodes per axis instead of 400), so that the default suite localizes end to end in seconds.
const truth = BAYESTAR_FIXTURES['hl-bns-1024'].injection;
const coinc = coincEventFromLigoLw(readFileSync(fixtureUrl('hl-bns-1024')), { id: 'hl-bns-1024' });
const options = { tableSize: 150 };
const pinned = {
  creationDate: '2024-01-01T00:00:00.000000',
  runtime: 1.5,
  url: 'https://example.org/events/hl-bns-1024',
};

let inline: Promise<BayestarSkyMap> | undefined;
function localizeInline(): Promise<BayestarSkyMap> {
  inline ??= localize(coinc, options);
  return inline;
}

test('a small HL event localizes end to end into a normalized 19,200-pixel map around the truth', async () => {
  const map = await localizeInline();
  assert.equal(map.uniq.length, FINAL_PIXELS);
  assert.equal(FINAL_PIXELS, 19200);
  let total = 0;
  const orders = new Set<number>();
  for (let i = 0; i < map.uniq.length; i++) {
    if (i > 0) assert.ok(map.uniq[i] > map.uniq[i - 1], 'sorted by NUNIQ');
    const order = uniqToOrder(map.uniq[i]);
    orders.add(order);
    assert.ok(map.probDensity[i] >= 0);
    total += map.probDensity[i] * orderToPixelArea(order);
  }
  assert.ok(Math.abs(total - 1) < 1e-12, `total probability ${total}`);
  assert.ok(Math.min(...orders) === 4 && Math.max(...orders) <= 11 && orders.size >= 4);
  // Zero noise: the true position lies inside the 90 % region, near the mode.
  const hit = searched(toMultiOrderSkyMap(map), truth.ra, truth.dec);
  assert.ok(hit.searchedProbability < 0.9, `searched probability ${hit.searchedProbability}`);
  assert.ok(hit.searchedArea < 300, `searched area ${hit.searchedArea} deg²`);
  assert.ok(hit.offset < 15, `${hit.offset}° from the mode`);
  // Distance: the truth within two posterior standard deviations.
  assert.ok(
    Math.abs(map.meta.distMean - truth.distance) < 2 * map.meta.distStd,
    `${map.meta.distMean} ± ${map.meta.distStd}`,
  );
  assert.ok(map.meta.logBsn > 10 && Number.isFinite(map.meta.logBci));
  assert.deepEqual([...map.meta.instruments].sort(), ['H1', 'L1']);
  assert.equal(map.meta.conditioning.snrSeriesSource, 'document');
});

test('the FITS file has the reference layout and reads back unchanged', async () => {
  const map = await localizeInline();
  const bytes = bayestarFits(map, pinned);
  // 2880-byte primary header, 5760 bytes of table header, 19,200 rows of 40 bytes padded.
  assert.equal(bytes.length, 777_600);
  const back = readSkyMap(bytes, { source: 'bayestar.multiorder.fits' });
  assert.deepEqual(Array.from(back.uniq, Number), Array.from(map.uniq));
  assert.deepEqual(back.probdensity, map.probDensity);
  assert.deepEqual(back.distmu, map.distMu);
  const meta = back.meta;
  assert.equal(meta.objectId, 'hl-bns-1024');
  assert.equal(meta.url, pinned.url);
  assert.deepEqual(meta.instruments, ['H1', 'L1']);
  assert.equal(meta.creator, 'BAYESTAR');
  assert.equal(meta.origin, 'LIGO/Virgo/KAGRA');
  assert.equal(meta.runtime, 1.5);
  assert.equal(meta.distMean, map.meta.distMean);
  assert.equal(meta.logBsn, map.meta.logBsn);
  assert.match(meta.dateObs ?? '', /^2024-05-17T16:53:02\.\d{6}$/);
  assert.ok(meta.history?.some((line) => line.includes('rescale_loglikelihood=0.83')));
  // Same result, same pins: the same bytes.
  assert.deepEqual(bayestarFits(map, pinned), bytes);
});

test('worker threads give a byte-identical file (the thread count is no part of the result)', async () => {
  const pool = await WorkerPool.start(2);
  try {
    const threaded = await localize(coinc, { ...options, engine: pool });
    assert.equal(threaded.meta.settings.threads, 2);
    assert.deepEqual(bayestarFits(threaded, pinned), bayestarFits(await localizeInline(), pinned));
  } finally {
    await pool.close();
  }
});

test(
  "the real MS220722v map's header cards come in the same order as ours",
  needsShared('gwcelery/tests/MS220722v_bayestar.multiorder.fits'),
  async () => {
    const keys = (bytes: Uint8Array) =>
      readFits(bytes)[1].header.cards.flatMap((card) => (card.kind === 'value' ? [card.key] : []));
    const real = keys(
      readFileSync(sharedData('gwcelery/tests/MS220722v_bayestar.multiorder.fits') as string),
    );
    const ours = keys(bayestarFits(await localizeInline(), pinned));
    assert.deepEqual(ours, real);
  },
);

test(
  "gwcelery's gstlal coinc.xml (H1+L1, no SNR series) localizes to a sensible map",
  needsShared('gwcelery/tests/coinc.xml'),
  async () => {
    const path = sharedData('gwcelery/tests/coinc.xml') as string;
    const map = await localize(
      coincEventFromLigoLw(readFileSync(path), { fileName: path }),
      options,
    );
    assert.equal(map.uniq.length, 19200);
    assert.equal(map.meta.conditioning.snrSeriesSource, 'synthesized');
    const [area50, area90] = credibleAreas(toMultiOrderSkyMap(map), [0.5, 0.9]);
    // Network SNR 16.8 in two detectors: a few hundred deg² (HL maps are rings or arcs).
    assert.ok(area50 > 20 && area50 < area90 && area90 < 3000, `${area50}, ${area90} deg²`);
    // Both effective distances are 194 Mpc; the distance is below that and well measured.
    assert.ok(map.meta.distMean > 50 && map.meta.distMean < 194, `distance ${map.meta.distMean}`);
    assert.ok(map.meta.distStd < 0.5 * map.meta.distMean);
    assert.ok(map.meta.logBsn > 20 && map.meta.logBci > 0);
  },
);
