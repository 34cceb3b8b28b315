import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ang2pixNest,
  ang2pixNest64,
  ang2pixRing,
  ang2vec,
  angleBetween,
  MAX_ORDER,
  maxPixelRadius,
  nest2ring,
  nest2ring64,
  nest2uniq,
  nest2uniq64,
  npixToNside,
  nsideToNpix,
  nsideToOrder,
  nsideToPixelArea,
  orderToPixelArea,
  pix2angNest,
  pix2angNest64,
  pix2angRing,
  pix2vecNest,
  pix2vecRing,
  queryDisc,
  ring2nest,
  ring2nest64,
  steradiansToSquareDegrees,
  uniq2nest,
  uniq2nest64,
  vec2pixNest,
  vec2pixRing,
} from '../../src/skymap/healpix/index.js';

/** A small deterministic generator, so that failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('published healpy examples (RING and NESTED)', () => {
  // healpy documentation: ang2pix, pix2ang, pix2vec, vec2pix, nest2ring, ring2nest.
  assert.equal(ang2pixRing(16, Math.PI / 2, 0), 1440);
  const thetas = [Math.PI / 2, Math.PI / 4, Math.PI / 2, 0, Math.PI];
  const phis = [0, Math.PI / 4, Math.PI / 2, 0, 0];
  assert.deepEqual(
    thetas.map((t, i) => ang2pixRing(16, t, phis[i])),
    [1440, 427, 1520, 0, 3068],
  );
  assert.deepEqual(
    [1, 2, 4, 8, 16].map((n) => ang2pixRing(n, Math.PI / 2, 0)),
    [4, 12, 72, 336, 1440],
  );
  const a = pix2angRing(16, 1440);
  assert.ok(Math.abs(a.theta - 1.5291175943723188) < 1e-15);
  assert.equal(a.phi, 0);
  const expected = [
    [1.52911759, 0],
    [0.78550497, 0.78539816],
    [1.57079633, 1.61988371],
    [0.05103658, 0.78539816],
    [3.09055608, 0.78539816],
  ];
  [1440, 427, 1520, 0, 3068].forEach((p, i) => {
    const { theta, phi } = pix2angRing(16, p);
    assert.ok(Math.abs(theta - expected[i][0]) < 5e-9, `θ of ring pixel ${p}`);
    assert.ok(Math.abs(phi - expected[i][1]) < 5e-9, `φ of ring pixel ${p}`);
  });
  const v = pix2vecRing(16, 1504);
  assert.ok(Math.abs(v[0] - 0.9987954562051724) < 1e-15);
  assert.ok(Math.abs(v[1] - 0.049067674327418015) < 1e-15);
  assert.ok(Math.abs(v[2]) < 1e-15);
  assert.equal(vec2pixRing(16, [1, 0, 0]), 1504);
  assert.equal(vec2pixRing(16, [0, 1, 0]), 1520);
  assert.equal(nest2ring(16, 1130), 1504);
  assert.equal(ring2nest(16, 1504), 1130);
  assert.deepEqual(
    Array.from({ length: 10 }, (_, i) => nest2ring(2, i)),
    [13, 5, 4, 0, 15, 7, 6, 1, 17, 9],
  );
  assert.deepEqual(
    Array.from({ length: 10 }, (_, i) => ring2nest(2, i)),
    [3, 7, 11, 15, 2, 1, 6, 5, 10, 9],
  );
  assert.deepEqual(
    [1, 2, 4, 8].map((n) => nest2ring(n, 11)),
    [11, 2, 12, 211],
  );
  assert.deepEqual(
    [1, 2, 4, 8].map((n) => ring2nest(n, 11)),
    [11, 13, 61, 253],
  );
  assert.equal(vec2pixNest(16, [1, 0, 0]), 1130);
});

test('resolution: nside, order, pixel count and area', () => {
  assert.equal(nsideToOrder(1), 0);
  assert.equal(nsideToOrder(2 ** 29), 29);
  assert.equal(nsideToNpix(512), 3145728);
  assert.equal(npixToNside(768), 8);
  assert.throws(() => nsideToOrder(3), /not a power of two/);
  assert.throws(() => nsideToOrder(2 ** 30), /not a power of two/);
  assert.throws(() => npixToNside(100), /not a valid HEALPix pixel count/);
  // science-spec §2.1: order 4 gives 13.43 deg², order 11 gives 8.196e−4 deg².
  assert.equal(steradiansToSquareDegrees(orderToPixelArea(4)).toFixed(2), '13.43');
  assert.equal(steradiansToSquareDegrees(orderToPixelArea(11)).toPrecision(4), '0.0008196');
  assert.equal(nsideToPixelArea(16), orderToPixelArea(4));
  // Known healpy max_pixrad values.
  assert.ok(Math.abs(maxPixelRadius(1) - 0.8410686705679302) < 1e-15);
  assert.ok(Math.abs(maxPixelRadius(2) - 0.48146047147606696) < 1e-15);
});

test('exhaustive nest ↔ ring round trip, orders 0–7', () => {
  for (let order = 0; order <= 7; order++) {
    const nside = 2 ** order;
    const npix = nsideToNpix(nside);
    const seen = new Uint8Array(npix);
    for (let p = 0; p < npix; p++) {
      const r = nest2ring(nside, p);
      assert.ok(r >= 0 && r < npix && seen[r] === 0, `order ${order}: nest ${p} → ring ${r}`);
      seen[r] = 1;
      if (ring2nest(nside, r) !== p) assert.fail(`order ${order}: ring2nest(nest2ring(${p}))`);
    }
  }
});

test('exhaustive: every pixel centre falls in its own pixel, both schemes, orders 0–6', () => {
  for (let order = 0; order <= 6; order++) {
    const nside = 2 ** order;
    for (let p = 0; p < nsideToNpix(nside); p++) {
      const a = pix2angNest(nside, p);
      if (ang2pixNest(nside, a.theta, a.phi) !== p) assert.fail(`nest ${p} at order ${order}`);
      const b = pix2angRing(nside, p);
      if (ang2pixRing(nside, b.theta, b.phi) !== p) assert.fail(`ring ${p} at order ${order}`);
      if (vec2pixNest(nside, pix2vecNest(nside, p)) !== p) assert.fail(`vec nest ${p}`);
    }
  }
});

test('exhaustive NUNIQ round trip, orders 0–8, and the C self-test pairs', () => {
  let expected = 4;
  for (let order = 0; order <= 8; order++) {
    for (let p = 0; p < 12 * 4 ** order; p++) {
      const u = nest2uniq(order, p);
      // NUNIQ values of consecutive orders are contiguous: 4 … 15, 16 … 63, ...
      if (u !== expected) assert.fail(`uniq(${order}, ${p}) = ${u}, expected ${expected}`);
      expected = u + 1;
      const back = uniq2nest(u);
      if (back.order !== order || back.ipix !== p) assert.fail(`uniq2nest(${u})`);
    }
    expected = 4 * 4 ** (order + 1);
  }
  // science-spec §2.3 (the NUNIQ pairs of the reference C self-test).
  for (let i = 0; i < 12; i++) assert.equal(nest2uniq(0, i), 4 + i);
  assert.equal(nest2uniq(1, 0), 16);
  assert.equal(nest2uniq(1, 47), 63);
  assert.equal(nest2uniq(12, 0), 0x4000000);
  assert.equal(nest2uniq64(29, 0n), 2n ** 60n);
  assert.equal(nest2uniq64(29, 0x2fffffffffffffffn), 0x3fffffffffffffffn);
  assert.deepEqual(uniq2nest64(0x3fffffffffffffffn), { order: 29, ipix: 0x2fffffffffffffffn });
  assert.deepEqual(uniq2nest64(2n ** 60n), { order: 29, ipix: 0n });
  assert.throws(() => uniq2nest(3), /not a valid NUNIQ/);
  assert.throws(() => uniq2nest(2 ** 52), /order 25/);
  assert.throws(() => nest2uniq(2, 192), /outside/);
});

test('order 29 (bigint): round trips of random pixels and points', () => {
  const nside = 2 ** MAX_ORDER;
  const next = random(29);
  const npix = 12n * BigInt(nside) * BigInt(nside);
  for (let i = 0; i < 2000; i++) {
    const p =
      (BigInt(Math.floor(next() * 2 ** 30)) * 2n ** 32n + BigInt(Math.floor(next() * 2 ** 32))) %
      npix;
    assert.equal(ring2nest64(nside, nest2ring64(nside, p)), p);
    assert.equal(nest2ring64(nside, ring2nest64(nside, p)), p);
    const { theta, phi } = pix2angNest64(nside, p);
    assert.equal(ang2pixNest64(nside, theta, phi), p);
    const u = nest2uniq64(29, p);
    assert.deepEqual(uniq2nest64(u), { order: 29, ipix: p });
  }
  // The first and last pixels sit next to the poles: θ must keep its precision there.
  const first = pix2angNest64(nside, 3n * 2n ** 58n - 1n);
  assert.ok(first.theta > 0 && first.theta < 3e-9);
  assert.ok(Math.abs(first.theta - Math.sqrt(2 / 3) / nside) < 1e-20);
  assert.throws(() => ang2pixNest(nside, 1, 1), /use the \.\.\.64/);
});

test('random points: the pixel centre is within maxPixelRadius, orders 0–10', () => {
  const next = random(7);
  for (let order = 0; order <= 10; order++) {
    const nside = 2 ** order;
    const bound = maxPixelRadius(nside);
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const theta = Math.acos(2 * next() - 1);
      const phi = 2 * Math.PI * next();
      const v = ang2vec(theta, phi);
      const pn = ang2pixNest(nside, theta, phi);
      const pr = ang2pixRing(nside, theta, phi);
      assert.equal(nest2ring(nside, pn), pr);
      const d = angleBetween(v, pix2vecNest(nside, pn));
      worst = Math.max(worst, d);
    }
    assert.ok(worst <= bound, `order ${order}: ${worst} > bound ${bound}`);
    // The bound is tight enough to be useful: sampling comes within 15% of it.
    assert.ok(worst > 0.85 * bound, `order ${order}: bound ${bound} loose vs ${worst}`);
  }
});

test('edge cases: poles, cap boundary, φ wrapping; bad input is a RangeError', () => {
  for (const nside of [1, 2, 1024]) {
    const npix = nsideToNpix(nside);
    assert.equal(ang2pixRing(nside, 0, 0), 0);
    assert.equal(ang2pixRing(nside, Math.PI, 0), npix - 4);
    assert.equal(ang2pixNest(nside, 0, 0), nside * nside - 1);
    assert.equal(ang2pixNest(nside, Math.PI, 0), 8 * nside * nside);
    assert.equal(ang2pixNest(nside, 1, 2 * Math.PI), ang2pixNest(nside, 1, 0));
    assert.equal(ang2pixNest(nside, 1, -0.5), ang2pixNest(nside, 1, 2 * Math.PI - 0.5));
    assert.equal(ang2pixNest(nside, 1, 0.5 + 6 * Math.PI), ang2pixNest(nside, 1, 0.5));
  }
  assert.throws(() => ang2pixNest(4, -0.1, 0), /outside \[0, π\]/);
  assert.throws(() => ang2pixNest(4, Number.NaN, 0), /outside \[0, π\]/);
  assert.throws(() => ang2pixNest(4, 1, Number.POSITIVE_INFINITY), /not finite/);
  assert.throws(() => pix2angNest(4, 192), /outside 0\.\.191/);
  assert.throws(() => pix2angRing(4, -1), /outside/);
  assert.throws(() => pix2angNest(4, 1.5), /outside/);
  assert.throws(() => vec2pixNest(4, [0, 0, 0]), /no direction/);
});

test('queryDisc: exact against brute force; inclusive covers every overlapping pixel', () => {
  const next = random(11);
  for (const [nside, radius] of [
    [8, 0.4],
    [32, 0.1],
    [16, 2.0],
    [4, Math.PI],
  ] as const) {
    const theta = Math.acos(2 * next() - 1);
    const phi = 2 * Math.PI * next();
    const c = ang2vec(theta, phi);
    const got = queryDisc(nside, { theta, phi }, radius);
    const brute: number[] = [];
    for (let p = 0; p < nsideToNpix(nside); p++) {
      if (angleBetween(c, pix2vecNest(nside, p)) <= radius) brute.push(p);
    }
    assert.deepEqual(got, brute, `nside ${nside}, radius ${radius}`);
    const ring = queryDisc(nside, c, radius, { nest: false });
    assert.deepEqual(
      ring,
      brute.map((p) => nest2ring(nside, p)).sort((a, b) => a - b),
    );
    // Every sampled point within the radius lies in a pixel of the inclusive answer.
    const inclusive = new Set(queryDisc(nside, c, radius, { inclusive: true }));
    for (const p of got) assert.ok(inclusive.has(p));
    for (let i = 0; i < 5000; i++) {
      const t = Math.acos(2 * next() - 1);
      const f = 2 * Math.PI * next();
      if (angleBetween(c, ang2vec(t, f)) <= radius) {
        assert.ok(inclusive.has(ang2pixNest(nside, t, f)), 'overlapping pixel missing');
      }
    }
    // ... and nothing far beyond the disc edge.
    for (const p of inclusive) {
      assert.ok(angleBetween(c, pix2vecNest(nside, p)) <= radius + maxPixelRadius(nside) + 1e-9);
    }
  }
  assert.deepEqual(queryDisc(8, [0, 0, 1], 0), []);
  assert.throws(() => queryDisc(8, [0, 0, 1], -1), /radius/);
});
