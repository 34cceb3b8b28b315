import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { FitsHeader, readBinTable, readFits, writeFits } from '../../src/formats/fits/index.js';
import { reorder } from '../../src/skymap/flat.js';
import {
  readSkyMap,
  readSkyMapFile,
  readSkyMapPath,
  writeFileAtomic,
  writeFlatSkyMap,
  writeSkyMap,
} from '../../src/skymap/io.js';
import type { MultiOrderSkyMap } from '../../src/skymap/multiorder.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { gaussianBlob, gaussianBlobFlat } from '../helpers/skymap-fixtures.js';

const MS220722V = 'gwcelery/tests/MS220722v_bayestar.multiorder.fits';
const fixture = (name: string) => new URL(`../fixtures/skymap/${name}`, import.meta.url);
const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function assertSameMap(a: MultiOrderSkyMap, b: MultiOrderSkyMap): void {
  assert.ok(bytesOf(a.uniq).equals(bytesOf(b.uniq)), 'UNIQ');
  for (const k of ['probdensity', 'distmu', 'distsigma', 'distnorm'] as const) {
    assert.equal(a[k] === undefined, b[k] === undefined, k);
    if (a[k]) assert.ok(bytesOf(a[k]).equals(bytesOf(b[k]!)), k);
  }
}

test('multi-order map: write then read is bit-exact, header as BAYESTAR writes it', () => {
  const map = gaussianBlob();
  const bytes = writeSkyMap(map);
  const back = readSkyMap(bytes, { source: 'blob' });
  assertSameMap(map, back);
  assert.deepEqual(
    { ...back.meta, gpsTime: undefined, dateObs: undefined, mjdObs: undefined },
    {
      ...map.meta,
      gpsTime: undefined,
      dateObs: undefined,
      mjdObs: undefined,
    },
  );
  assert.ok(Math.abs(back.meta.gpsTime! - map.meta.gpsTime!) < 1e-6);
  const header = readFits(bytes)[1].header;
  const keys = header.cards.map((c) => c.key);
  assert.deepEqual(keys.slice(keys.indexOf('MOC')), [
    'MOC',
    'PIXTYPE',
    'ORDERING',
    'COORDSYS',
    'MOCORDER',
    'INDXSCHM',
    'OBJECT',
    'REFERENC',
    'INSTRUME',
    'DATE-OBS',
    'MJD-OBS',
    'DATE',
    'CREATOR',
    'ORIGIN',
    'RUNTIME',
    'DISTMEAN',
    'DISTSTD',
    'HISTORY',
  ]);
  assert.equal(header.get('MOCORDER'), 5);
  assert.equal(header.get('INSTRUME'), 'H1,L1,V1');
  assert.equal(header.get('DATE-OBS'), '2020-01-06T00:00:00.500000');
  // A second write of what was read gives the same bytes.
  assert.ok(Buffer.from(writeSkyMap(back)).equals(Buffer.from(bytes)));
  // Without a creation date, DATE is the time of writing (to the second).
  const dated = readFits(
    writeSkyMap(
      { ...map, meta: { ...map.meta, creationDate: undefined } },
      { now: () => new Date('2024-05-06T07:08:09.750Z') },
    ),
  )[1];
  assert.equal(dated.header.get('DATE'), '2024-05-06T07:08:09.000000');
});

test('flat maps: NESTED and RING, plain and gzipped, read back as flat or multi-order', () => {
  const flat = gaussianBlobFlat();
  for (const nest of [true, false]) {
    for (const gzip of [false, true]) {
      const ordered = reorder(flat, nest);
      const bytes = writeFlatSkyMap(ordered, { gzip });
      const file = readSkyMapFile(bytes);
      assert.equal(file.kind, 'flat');
      if (file.kind !== 'flat') continue;
      assert.equal(file.map.nest, nest);
      assert.equal(file.map.nside, 8);
      assert.ok(bytesOf(file.map.prob).equals(bytesOf(ordered.prob)));
      assert.ok(bytesOf(file.map.distnorm!).equals(bytesOf(ordered.distnorm!)));
      const header = readFits(bytes)[1].header;
      assert.equal(header.get('ORDERING'), nest ? 'NESTED' : 'RING');
      assert.equal(header.get('NSIDE'), 8);
      assert.equal(header.get('INDXSCHM'), 'IMPLICIT');
      // As a multi-order map: probability conserved, one row per distinct pixel.
      const moc = readSkyMap(bytes);
      let total = 0;
      moc.uniq.forEach((u, i) => {
        total +=
          moc.probdensity[i] *
          ((4 * Math.PI) / (12 * 4 ** Math.floor((u.toString(2).length - 1) / 2 - 1)));
      });
      assert.ok(Math.abs(total - flat.prob.reduce((s, p) => s + p, 0)) < 1e-12);
    }
  }
});

test('flat maps written healpy-style, 1024 pixels per row, read as one pixel per value', () => {
  const flat = reorder(gaussianBlobFlat(), false);
  const npix = flat.prob.length; // 768 at nside 8: 3 rows of 256
  const header = new FitsHeader().set('PIXTYPE', 'HEALPIX').set('ORDERING', 'RING').set('NSIDE', 8);
  const bytes = writeFits([
    {
      table: {
        rows: npix / 256,
        columns: [{ name: 'PROBABILITY', format: '256D', data: flat.prob }],
      },
      header,
    },
  ]);
  const file = readSkyMapFile(bytes, { source: 'healpy.fits' });
  assert.equal(file.kind, 'flat');
  assert.ok(file.kind === 'flat' && bytesOf(file.map.prob).equals(bytesOf(flat.prob)));
});

test('committed fixtures are what the generator writes', () => {
  const moc = readFileSync(fixture('gaussian-blob.multiorder.fits'));
  assert.ok(Buffer.from(writeSkyMap(gaussianBlob())).equals(moc));
  const flat = readFileSync(fixture('gaussian-blob-nside8-ring.fits.gz'));
  // Compare inflated bytes: gzip framing may differ between zlib builds.
  const expected = gunzipSync(writeFlatSkyMap(reorder(gaussianBlobFlat(), false), { gzip: true }));
  assert.ok(gunzipSync(flat).equals(expected));
  assert.equal(
    readSkyMapPath(fileURLPath(fixture('gaussian-blob.multiorder.fits'))).uniq.length,
    1056,
  );
});

function fileURLPath(u: URL): string {
  return decodeURIComponent(u.pathname);
}

test(
  'MS220722v: the real map rewrites byte for byte; its columns give the same 777,600-byte file data',
  needsShared(MS220722V),
  () => {
    const path = sharedData(MS220722V)!;
    const original = readFileSync(path);
    assert.equal(original.length, 777600);
    const map = readSkyMap(original, { source: path });
    assert.equal(map.uniq.length, 19200);
    assert.ok(Buffer.from(writeSkyMap(map)).equals(original), 'whole file');
    // Only the columns, with metadata of our own: the data part is identical.
    const fresh = writeSkyMap({
      uniq: map.uniq,
      probdensity: map.probdensity,
      distmu: map.distmu,
      distsigma: map.distsigma,
      distnorm: map.distnorm,
      meta: {
        objectId: 'S240101a',
        url: 'https://gracedb.invalid/events/S240101a',
        instruments: ['H1', 'L1'],
        gpsTime: 1388102418.25,
        creationDate: '2024-01-01T00:00:30.000000',
        creator: 'BAYESTAR',
        origin: 'LIGO/Virgo/KAGRA',
        runtime: 1.5,
        distMean: 126,
        distStd: 44,
        logBci: 3.5,
        logBsn: 29.5,
        vcsVersion: 'gwcelery-ts 0.1.0',
        history: Array.from({ length: 11 }, (_, i) => `line ${i}`),
      },
    });
    const hdus = readFits(fresh);
    const dataStart = fresh.length - Math.ceil(hdus[1].data.length / 2880) * 2880;
    assert.equal(fresh.length, 777600);
    assert.equal(dataStart, 8640);
    assert.ok(Buffer.from(fresh.subarray(dataStart)).equals(original.subarray(8640)));
    assert.equal(readFits(fresh)[1].header.get('NAXIS1'), 40);
  },
);

test('bad sky maps: clear errors naming the file, nothing written on failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skymap-bad-'));
  const table = (columns: { name: string; data: Float64Array | BigInt64Array }[]) => ({
    rows: columns[0].data.length,
    columns,
  });
  const withHeader = (cards: [string, string | number][]) => {
    const h = new FitsHeader();
    for (const [k, v] of cards) h.set(k, v);
    return h;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty.fits', writeFits([]), /no BINTABLE extension/],
    [
      'noprob.fits',
      writeFits([
        {
          table: table([{ name: 'UNIQ', data: BigInt64Array.of(4n) }]),
          header: withHeader([['ORDERING', 'NUNIQ']]),
        },
      ]),
      /no PROBDENSITY column \(columns: UNIQ\)/,
    ],
    [
      'nouniq.fits',
      writeFits([
        {
          table: table([{ name: 'PROBDENSITY', data: Float64Array.of(1) }]),
          header: withHeader([['ORDERING', 'NUNIQ']]),
        },
      ]),
      /ORDERING is NUNIQ but there is no UNIQ column/,
    ],
    [
      'galactic.fits',
      writeFits([
        {
          table: table([{ name: 'PROB', data: new Float64Array(12) }]),
          header: withHeader([
            ['ORDERING', 'RING'],
            ['COORDSYS', 'G'],
          ]),
        },
      ]),
      /COORDSYS is "G"/,
    ],
    [
      'weird.fits',
      writeFits([
        {
          table: table([{ name: 'PROB', data: new Float64Array(12) }]),
          header: withHeader([['ORDERING', 'SPIRAL']]),
        },
      ]),
      /ORDERING is "SPIRAL"/,
    ],
    [
      'npix.fits',
      writeFits([
        {
          table: table([{ name: 'PROB', data: new Float64Array(13) }]),
          header: withHeader([['ORDERING', 'NESTED']]),
        },
      ]),
      /13 pixels is not a full-sky HEALPix map/,
    ],
    [
      'nside.fits',
      writeFits([
        {
          table: table([{ name: 'PROB', data: new Float64Array(12) }]),
          header: withHeader([
            ['ORDERING', 'NESTED'],
            ['NSIDE', 2],
          ]),
        },
      ]),
      /NSIDE is 2 but the table holds 12 pixels/,
    ],
    [
      'overlap.fits',
      writeFits([
        {
          table: table([
            { name: 'UNIQ', data: BigInt64Array.of(4n, 16n) },
            { name: 'PROBDENSITY', data: Float64Array.of(1, 1) },
          ]),
        },
      ]),
      /pixels overlap/,
    ],
    [
      'baduniq.fits',
      writeFits([
        {
          table: table([
            { name: 'UNIQ', data: BigInt64Array.of(3n) },
            { name: 'PROBDENSITY', data: Float64Array.of(1) },
          ]),
        },
      ]),
      /row 0: 3 is not a valid NUNIQ value/,
    ],
    [
      'nan.fits',
      writeFits([
        {
          table: table([
            { name: 'UNIQ', data: BigInt64Array.of(4n) },
            { name: 'PROBDENSITY', data: Float64Array.of(Number.NaN) },
          ]),
        },
      ]),
      /row 0 \(UNIQ 4\): PROBDENSITY NaN/,
    ],
    ['notfits.fits', Buffer.from('SIMPLE'), /not a FITS file/],
  ];
  for (const [name, bytes, pattern] of cases) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    assert.throws(
      () => readSkyMapPath(path),
      (err: Error) => err.message.startsWith(`${path}: `) && pattern.test(err.message),
      name,
    );
  }
  // A partial distance set is refused on write; the atomic writer leaves no file behind.
  const map = gaussianBlob();
  assert.throws(() => writeSkyMap({ ...map, distnorm: undefined }), /all present or all absent/);
  const target = join(dir, 'out', 'x.fits');
  assert.throws(() => writeFileAtomic(target, writeSkyMap(map)), /ENOENT/);
  writeFileAtomic(join(dir, 'ok.fits'), writeSkyMap(map));
  assert.ok(readdirSync(dir).every((f) => !f.endsWith('.tmp')));
});

test(
  'real maps of other pipelines: Swift (J/E columns), cWB, Fermi (flat RING, gzip)',
  needsShared(
    'gwcelery/tests/swift_skymap.multiorder.fits',
    'gwcelery/tests/rrt_small_area.fits',
    'gwcelery/tests/fermi_skymap.fits.gz',
  ),
  () => {
    const swift = readSkyMapPath(sharedData('gwcelery/tests/swift_skymap.multiorder.fits')!);
    assert.equal(swift.uniq.length, 322233);
    assert.deepEqual(swift.meta.instruments, ['Swift BAT']);
    assert.equal(swift.distmu, undefined);
    const cwb = readSkyMapPath(sharedData('gwcelery/tests/rrt_small_area.fits')!);
    assert.equal(cwb.meta.creator, 'CWB');
    const fermiFile = readSkyMapFilePathSafe(sharedData('gwcelery/tests/fermi_skymap.fits.gz')!);
    assert.equal(fermiFile.kind, 'flat');
    const fermi = readSkyMapPath(sharedData('gwcelery/tests/fermi_skymap.fits.gz')!);
    assert.deepEqual(
      fermi.meta.extraCards?.map((c) => c.key),
      ['MSGTYPE', 'MSGDATE'],
    );
    assert.equal(fermi.meta.history?.[0], 'file only for internal use');
    // The table of the original keeps its 768 pixels.
    assert.equal(
      readBinTable(readFits(readFileSync(sharedData('gwcelery/tests/fermi_skymap.fits.gz')!))[1])
        .rows,
      768,
    );
  },
);

function readSkyMapFilePathSafe(path: string) {
  return readSkyMapFile(readFileSync(path), { source: path });
}
