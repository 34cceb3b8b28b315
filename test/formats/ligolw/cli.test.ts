import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIXTURE_COINC, FIXTURE_PSD } from './fixture-coinc.js';

const BIN = fileURLToPath(new URL('../../../bin/gwcelery.js', import.meta.url));

function gwcelery(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GWCELERY_CONFIG: 'test' },
  });
}

test('gwcelery ligolw show --json summarizes a coinc upload as GraceDB reads it', () => {
  const run = gwcelery('ligolw', 'show', '--json', FIXTURE_COINC);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout);
  assert.deepEqual(
    summary.coinc.triggers.map((t: { ifo: string }) => t.ifo),
    ['H1', 'L1', 'V1'],
  );
  assert.equal(summary.coinc.gpstime, '1300000000.123456789');
  assert.equal(summary.coinc.far, 1.5e-12);
  assert.equal(summary.coinc.program, 'gstlal_inspiral');
  assert.deepEqual(
    summary.psds.map((p: { instrument: string }) => p.instrument),
    ['H1', 'L1', 'V1'],
  );
  assert.equal(summary.snrSeries.length, 3);
});

test('gwcelery ligolw show prints PSD files and rejects bad input with the reader message', () => {
  const psd = gwcelery('ligolw', 'show', FIXTURE_PSD);
  assert.equal(psd.status, 0, psd.stderr);
  assert.match(psd.stdout, /tables: none\nPSDs:\n {2}H1 {2}129 bins, Δf = 16 Hz from 0 Hz/);
  const dir = mkdtempSync(join(tmpdir(), 'ligolw-cli-'));
  const bad = join(dir, 'upload.xml');
  writeFileSync(bad, '<LIGO_LW><Table Name="x:table"><Column Name="x:y" Type="int_4s"/>');
  const run = gwcelery('ligolw', 'show', bad);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(run.status, 1);
  assert.match(
    run.stderr,
    /gwcelery: upload\.xml, line 1: truncated document: <Table> opened at line 1 is never closed/,
  );
});
