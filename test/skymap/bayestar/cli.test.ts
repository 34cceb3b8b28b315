import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { addLocalizeCommand } from '../../../src/cli/skymap-localize.js';
import { readSkyMapPath } from '../../../src/skymap/io.js';
import { fixtureUrl } from '../../fixtures/bayestar/fixtures.js';

function program(defaults = {}): Command {
  const quiet = { writeErr: () => {}, writeOut: () => {} };
  const root = new Command('gwcelery').exitOverride().configureOutput(quiet);
  const group = root.command('skymap').exitOverride().configureOutput(quiet);
  addLocalizeCommand(group, () => defaults)
    .exitOverride()
    .configureOutput(quiet);
  return root;
}

async function captureStdout(run: () => Promise<unknown>): Promise<string> {
  const write = process.stdout.write;
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

test('gwcelery skymap localize writes a sky map; configured defaults apply, flags win', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bayestar-cli-'));
  try {
    const output = join(dir, 'bayestar.multiorder.fits');
    const coinc = fileURLToPath(fixtureUrl('hl-bns-1024'));
    // The configured defaults disable L1 and ask for two threads: a one-detector localization.
    const text = await captureStdout(() =>
      program({ disabledDetectors: ['L1'], threads: 2 }).parseAsync(
        ['skymap', 'localize', coinc, '-o', output, '--object-id', 'S1', '--f-low', '20'],
        { from: 'user' },
      ),
    );
    assert.match(
      text,
      /bayestar.multiorder.fits: H1 in [\d.]+ s on 2 threads; distance [\d.]+ ± [\d.]+ Mpc/,
    );
    const map = readSkyMapPath(output);
    assert.equal(map.uniq.length, 19200);
    assert.deepEqual(map.meta.instruments, ['H1']);
    assert.equal(map.meta.objectId, 'S1');
    assert.ok(map.meta.history?.some((line) => line.includes('f_low=20')));
    assert.ok(map.meta.history?.some((line) => line.includes('disabled_detectors=[L1]')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing input or a bad flag is an error and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bayestar-cli-'));
  try {
    const output = join(dir, 'out.fits');
    await assert.rejects(
      program().parseAsync(['skymap', 'localize', join(dir, 'missing.xml'), '-o', output], {
        from: 'user',
      }),
      /ENOENT.*missing\.xml/,
    );
    await assert.rejects(
      program().parseAsync(['skymap', 'localize', 'x.xml', '--disable-detector', 'virgo'], {
        from: 'user',
      }),
      /not a detector prefix: virgo/,
    );
    await assert.rejects(
      program().parseAsync(['skymap', 'localize', 'x.xml', '-j', '-1'], { from: 'user' }),
      /expected an integer ≥ 0/,
    );
    assert.equal(existsSync(output), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
