import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSkyMapFile, readSkyMapPath } from '../../src/skymap/io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const blob = fileURLToPath(
  new URL('../fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);
const flatRing = fileURLToPath(
  new URL('../fixtures/skymap/gaussian-blob-nside8-ring.fits.gz', import.meta.url),
);

function gwcelery(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/gwcelery.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GWCELERY_CONFIG: 'test', GWCELERY_LOG_LEVEL: 'fatal' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('skymap stats: text and JSON, with a searched position', () => {
  const text = gwcelery('skymap', 'stats', blob);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /event ID:\s+MS000101a/);
  assert.match(text.stdout, /90% area:\s+[\d,.]+ deg²/);
  const json = gwcelery(
    'skymap',
    'stats',
    blob,
    '--json',
    '--contour',
    '68',
    '--radec',
    '68.75',
    '-22.9',
  );
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(out.areas), ['68']);
  assert.ok(out.searched.searchedProbability < 0.1);
  assert.equal(out.headerDistance.mean, 200);
});

test('skymap plot, flatten, unflatten and header write files that read back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skymap-cli-'));
  const png = join(dir, 'blob.png');
  const plot = gwcelery(
    'skymap',
    'plot',
    blob,
    '-o',
    png,
    '--width',
    '600',
    '--radec',
    '68.75',
    '-22.9',
  );
  assert.equal(plot.code, 0, plot.stderr);
  assert.equal(readFileSync(png).subarray(1, 4).toString(), 'PNG');

  const flat = join(dir, 'blob.fits.gz');
  const r = gwcelery('skymap', 'flatten', blob, '--nside', '64', '--ring', '-o', flat);
  assert.equal(r.code, 0, r.stderr);
  const file = readSkyMapFile(readFileSync(flat));
  assert.equal(file.kind, 'flat');
  assert.equal(file.kind === 'flat' && file.map.nside, 64);
  assert.equal(file.kind === 'flat' && file.map.nest, false);

  const moc = join(dir, 'back.multiorder.fits');
  const u = gwcelery('skymap', 'unflatten', flatRing, '-o', moc);
  assert.equal(u.code, 0, u.stderr);
  assert.ok(readSkyMapPath(moc).uniq.length <= 768);

  const html = gwcelery('skymap', 'header', blob, '--html');
  assert.equal(html.code, 0, html.stderr);
  assert.match(html.stdout, /<strong>HDU #1 in gaussian-blob\.multiorder\.fits<\/strong>/);
  const text = gwcelery('skymap', 'header', blob);
  assert.match(text.stdout, /ORDERING = NUNIQ/);
});

test('skymap commands fail with the file name and the reason, writing nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skymap-cli-bad-'));
  const bad = join(dir, 'notes.fits');
  writeFileSync(bad, 'not a sky map');
  const r = gwcelery('skymap', 'stats', bad);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${bad.replaceAll('.', '\\.')}: not a FITS file`));
  const out = join(dir, 'out.png');
  const p = gwcelery('skymap', 'plot', bad, '-o', out);
  assert.equal(p.code, 1);
  assert.throws(() => readFileSync(out), /ENOENT/);
  const n = gwcelery('skymap', 'flatten', blob, '--nside', '100', '-o', join(dir, 'x.fits'));
  assert.equal(n.code, 1);
  assert.match(n.stderr, /--nside: nside 100 is not a power of two/);
});
