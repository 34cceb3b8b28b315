import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/gwcelery.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/science/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gwcelery-classify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function gwcelery(...args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GWCELERY_CONFIG: 'test' };
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('em-bright --json prints em_bright.json as uploaded; --plot writes the chart', () => {
  const png = join(dir, 'em_bright.png');
  const r = gwcelery(
    'classify',
    'em-bright',
    '--mass1',
    '8',
    '--mass2',
    '1.4',
    '--spin1z',
    '0.99',
    '--snr',
    '20',
    '--json',
    '--plot',
    png,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '{"HasNS": 1.0, "HasRemnant": 1.0, "HasMassGap": 0.0}\n');
  assert.deepEqual(readFileSync(png).subarray(1, 4).toString(), 'PNG');
});

test('em-bright without --json prints a table with the model', () => {
  const r = gwcelery('classify', 'em-bright', '--mass1', '30', '--mass2', '20');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^em_bright\.json \(analytic-point\)\n {2}HasNS +0% +0\.0\n/);
  assert.match(r.stdout, /no --snr: point estimate/);
  assert.match(r.stdout, /model: analytic stand-in, not the LVK trained classifiers/);
});

test('p-astro --json from options and from an event file', () => {
  const r = gwcelery(
    'classify',
    'p-astro',
    '--pipeline',
    'pycbc',
    '--far',
    '1e-10',
    '--snr',
    '33',
    '--mass1',
    '1.77',
    '--mass2',
    '1.07',
    '--instruments',
    'H1,L1',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  const values = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(values), ['BNS', 'NSBH', 'BBH', 'Terrestrial']);
  assert.ok(values.BNS > 0.99);

  const ev = gwcelery(
    'classify',
    'p-astro',
    '--event',
    join(fixtures, 'spiir-earlywarning-event.json'),
  );
  assert.equal(ev.status, 0, ev.stderr);
  assert.match(ev.stdout, /^spiir\.p_astro\.json\n {2}BNS /);

  // The masses are optional: without them the note says how the categories were split.
  const massless = gwcelery(
    'classify',
    'p-astro',
    '--pipeline',
    'gstlal',
    '--far',
    '1e-9',
    '--snr',
    '10',
    '--json',
  );
  assert.equal(massless.status, 0, massless.stderr);
  const p = JSON.parse(massless.stdout);
  assert.ok(p.BNS > 0 && p.NSBH > 0 && p.BBH > 0 && p.Terrestrial > 0);
  assert.match(massless.stderr, /no masses given/);
});

test('bad input exits non-zero with a message naming the field', () => {
  const negative = gwcelery('classify', 'em-bright', '--mass1', '-1', '--mass2', '1.4');
  assert.equal(negative.status, 1);
  assert.match(negative.stderr, /gwcelery: mass1: must be positive, got -1/);
  const nan = gwcelery('classify', 'em-bright', '--mass1', 'abc', '--mass2', '1.4');
  assert.notEqual(nan.status, 0);
  assert.match(nan.stderr, /--mass1 must be a finite number, got 'abc'/);
  const noIfos = gwcelery(
    'classify',
    'p-astro',
    '--pipeline',
    'mbta',
    '--far',
    '1e-9',
    '--snr',
    '10',
    '--mass1',
    '1.4',
    '--mass2',
    '1.3',
  );
  assert.equal(noIfos.status, 1);
  assert.match(noIfos.stderr, /--instruments: is required for mbta/);
  const png = join(dir, 'never.png');
  const oneMass = gwcelery(
    'classify',
    'p-astro',
    '--pipeline',
    'gstlal',
    '--far',
    '1e-9',
    '--snr',
    '10',
    '--mass1',
    '1.4',
    '--plot',
    png,
  );
  assert.equal(oneMass.status, 1);
  assert.match(oneMass.stderr, /--mass2: is required with the other mass/);
  assert.ok(!existsSync(png), 'nothing written on error');
});

test('classify plot draws an uploaded classification file', () => {
  const json = join(dir, 'mbta.p_astro.json');
  writeFileSync(json, '{"BNS": 0.2, "NSBH": 0.1, "BBH": 0.6, "Terrestrial": 0.1}');
  const r = gwcelery('classify', 'plot', json);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), join(dir, 'mbta.p_astro.png'));
  assert.ok(existsSync(join(dir, 'mbta.p_astro.png')));
  const other = join(dir, 'notes.json');
  writeFileSync(other, '{}');
  assert.match(
    gwcelery('classify', 'plot', other).stderr,
    /only em_bright\.json and <pipeline>\.p_astro\.json/,
  );
});
