import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ang2pixNest,
  ang2pixNest64,
  ang2pixRing64,
  MAX_SAFE_ORDER,
  maxPixelRadius,
  nest2ring64,
  pix2angNest64,
  pix2angRing64,
  pix2vecNest64,
  queryDisc,
  ring2nest64,
} from '../../src/skymap/healpix/index.js';

/**
 * Values computed by healpy, an independent implementation (generator:
 * test/fixtures/skymap/healpy-reference.py).
 */
interface OrderReference {
  theta: number[];
  phi: number[];
  ang2pix_nest: string[];
  ang2pix_ring: string[];
  pix: string[];
  pix2ang_nest: [number, number][];
  pix2ang_ring: [number, number][];
  pix2vec_nest: [number, number, number][];
  nest2ring: string[];
  ring2nest: string[];
  max_pixrad: number;
}

const reference = JSON.parse(
  readFileSync(new URL('../fixtures/skymap/healpy-reference.json', import.meta.url), 'utf8'),
) as {
  orders: Record<string, OrderReference>;
  query_disc: {
    nside: number;
    theta: number;
    phi: number;
    radius: number;
    nest: number[];
    ring: number[];
  }[];
};

for (const [orderText, ref] of Object.entries(reference.orders)) {
  const order = Number(orderText);
  const nside = 2 ** order;
  test(`healpy reference values at order ${order}`, () => {
    ref.theta.forEach((theta, i) => {
      const phi = ref.phi[i];
      assert.equal(
        ang2pixNest64(nside, theta, phi),
        BigInt(ref.ang2pix_nest[i]),
        `nest θ=${theta} φ=${phi}`,
      );
      assert.equal(
        ang2pixRing64(nside, theta, phi),
        BigInt(ref.ang2pix_ring[i]),
        `ring θ=${theta} φ=${phi}`,
      );
      if (order <= MAX_SAFE_ORDER) {
        assert.equal(ang2pixNest(nside, theta, phi), Number(ref.ang2pix_nest[i]));
      }
    });
    ref.pix.forEach((text, i) => {
      const p = BigInt(text);
      const n = pix2angNest64(nside, p);
      const r = pix2angRing64(nside, p);
      assert.ok(Math.abs(n.theta - ref.pix2ang_nest[i][0]) < 1e-12, `θ of nest ${p}`);
      assert.ok(Math.abs(n.phi - ref.pix2ang_nest[i][1]) < 1e-12, `φ of nest ${p}`);
      assert.ok(Math.abs(r.theta - ref.pix2ang_ring[i][0]) < 1e-12, `θ of ring ${p}`);
      assert.ok(Math.abs(r.phi - ref.pix2ang_ring[i][1]) < 1e-12, `φ of ring ${p}`);
      const v = pix2vecNest64(nside, p);
      for (let k = 0; k < 3; k++) assert.ok(Math.abs(v[k] - ref.pix2vec_nest[i][k]) < 1e-12);
      assert.equal(nest2ring64(nside, p), BigInt(ref.nest2ring[i]));
      assert.equal(ring2nest64(nside, p), BigInt(ref.ring2nest[i]));
    });
    assert.ok(Math.abs(maxPixelRadius(nside) - ref.max_pixrad) <= 1e-12 * ref.max_pixrad);
  });
}

test('queryDisc matches healpy query_disc (centres within the radius)', () => {
  for (const d of reference.query_disc) {
    const centre = { theta: d.theta, phi: d.phi };
    assert.deepEqual(queryDisc(d.nside, centre, d.radius), d.nest, `nside ${d.nside}`);
    assert.deepEqual(queryDisc(d.nside, centre, d.radius, { nest: false }), d.ring);
  }
});
