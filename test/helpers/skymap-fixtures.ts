/**
 * Small sky maps the tests build with the project's own code: a Gaussian blob refined like a
 * BAYESTAR map (a coarse grid, then the most probable pixels split twice), with distance
 * columns. The committed files under test/fixtures/skymap/ are these maps written by our writer
 * (test/fixtures/skymap/make-fixtures.ts), so a fresh clone has real files to read.
 */
import { momentsToParameters } from '../../src/skymap/distance.js';
import type { FlatSkyMap } from '../../src/skymap/flat.js';
import { flatten } from '../../src/skymap/flat.js';
import {
  ang2vec,
  angleBetween,
  nest2uniq,
  orderToPixelArea,
  pix2vecNest,
} from '../../src/skymap/healpix/index.js';
import type { MultiOrderSkyMap } from '../../src/skymap/multiorder.js';

export interface BlobOptions {
  /** Centre (radians). */
  ra: number;
  dec: number;
  /** Angular width (radians) of the Gaussian. */
  sigma: number;
  /** Distance mean and standard deviation at the centre (Mpc); grows away from it. */
  distMean: number;
  distStd: number;
}

export const BLOB: BlobOptions = { ra: 1.2, dec: -0.4, sigma: 0.12, distMean: 200, distStd: 50 };

function density(o: BlobOptions, order: number, ipix: number): number {
  const centre = ang2vec(Math.PI / 2 - o.dec, o.ra);
  const d = angleBetween(centre, pix2vecNest(2 ** order, ipix));
  return Math.exp((-0.5 * d * d) / (o.sigma * o.sigma));
}

/** A Gaussian blob as a multi-order map: order 3 everywhere, the top pixels split to order 5. */
export function gaussianBlob(o: BlobOptions = BLOB): MultiOrderSkyMap {
  let cells: { order: number; ipix: number; value: number }[] = [];
  for (let i = 0; i < 12 * 4 ** 3; i++) cells.push({ order: 3, ipix: i, value: density(o, 3, i) });
  for (let round = 0; round < 2; round++) {
    cells.sort((a, b) => b.value - a.value || a.ipix - b.ipix);
    const split = cells.slice(0, 48);
    cells = cells.slice(48);
    for (const c of split) {
      for (let k = 0; k < 4; k++) {
        const ipix = 4 * c.ipix + k;
        cells.push({ order: c.order + 1, ipix, value: density(o, c.order + 1, ipix) });
      }
    }
  }
  const total = cells.reduce((s, c) => s + c.value * orderToPixelArea(c.order), 0);
  cells.sort((a, b) => nest2uniq(a.order, a.ipix) - nest2uniq(b.order, b.ipix));
  const n = cells.length;
  const uniq = new BigInt64Array(n);
  const probdensity = new Float64Array(n);
  const distmu = new Float64Array(n);
  const distsigma = new Float64Array(n);
  const distnorm = new Float64Array(n);
  const centre = ang2vec(Math.PI / 2 - o.dec, o.ra);
  cells.forEach((c, i) => {
    uniq[i] = BigInt(nest2uniq(c.order, c.ipix));
    probdensity[i] = c.value / total;
    const d = angleBetween(centre, pix2vecNest(2 ** c.order, c.ipix));
    // Far from the blob the distance is unconstrained, as BAYESTAR marks it: μ = ∞.
    const p =
      d > 1.2
        ? { mu: Number.POSITIVE_INFINITY, sigma: 1, norm: 0 }
        : momentsToParameters(o.distMean * (1 + 0.2 * d), o.distStd);
    distmu[i] = p.mu;
    distsigma[i] = p.sigma;
    distnorm[i] = p.norm;
  });
  return {
    uniq,
    probdensity,
    distmu,
    distsigma,
    distnorm,
    meta: {
      objectId: 'MS000101a',
      url: 'https://gracedb.invalid/events/MS000101a',
      instruments: ['H1', 'L1', 'V1'],
      gpsTime: 1262304018.5,
      creationDate: '2020-01-01T00:00:00.000000',
      creator: 'gwcelery-ts test fixtures',
      origin: 'LIGO/Virgo/KAGRA',
      runtime: 0.25,
      distMean: o.distMean,
      distStd: o.distStd,
      history: ['Gaussian blob made by test/helpers/skymap-fixtures.ts'],
    },
  };
}

/** The blob flattened to nside 8, in RING order (as GCN and healpy maps often are). */
export function gaussianBlobFlat(): FlatSkyMap {
  const flat = flatten(gaussianBlob(), 3);
  return { ...flat, meta: { ...flat.meta, history: ['Gaussian blob at nside 8, RING'] } };
}
