import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { coincXml } from '../../../src/skymap/bayestar/coinc-xml.js';
import { condition } from '../../../src/skymap/bayestar/conditioning.js';
import { coincEventFromLigoLw } from '../../../src/skymap/bayestar/ligolw-event.js';
import { simulateCoinc } from '../../../src/skymap/bayestar/simulate.js';
import { BAYESTAR_FIXTURES, fixtureUrl } from '../../fixtures/bayestar/fixtures.js';
import { needsShared, sharedData } from '../../helpers/shared.js';

test('a simulated coinc.xml reads back as the event that was written', () => {
  const { injection, options } = BAYESTAR_FIXTURES['hlv-bns-2048'];
  const sim = simulateCoinc(injection, options);
  const read = coincEventFromLigoLw(readFileSync(fixtureUrl('hlv-bns-2048')), {
    fileName: 'hlv.xml.gz',
  });
  assert.equal(read.program, 'bayestar-realize-coincs');
  assert.deepEqual(read.template, sim.coinc.template);
  read.triggers.forEach((trigger, i) => {
    const written = sim.coinc.triggers[i];
    assert.equal(trigger.detector, written.detector);
    assert.equal(trigger.timeNs, written.timeNs);
    assert.equal(trigger.snr, written.snr);
    assert.equal(trigger.phase, written.phase);
    assert.equal(trigger.sigmasq, written.sigmasq);
    assert.deepEqual(Array.from(trigger.psd.values), Array.from(written.psd.values));
    assert.ok(trigger.snrSeries && written.snrSeries);
    assert.equal(trigger.snrSeries.epochNs, written.snrSeries.epochNs);
    // COMPLEX8 on disk: single precision.
    for (let k = 0; k < trigger.snrSeries.re.length; k++) {
      assert.ok(Math.abs(trigger.snrSeries.re[k] - written.snrSeries.re[k]) < 1e-5);
    }
  });
  // Conditioning the file gives the same arrays as conditioning the simulation.
  const fromFile = condition(read).event;
  const direct = condition(sim.coinc).event;
  assert.equal(fromFile.nSamples, direct.nSamples);
  for (let i = 0; i < direct.snrPhase.length; i++)
    assert.ok(Math.abs(fromFile.snrPhase[i] - direct.snrPhase[i]) < 1e-5);
});

test('an event with PSDs in a separate file reads them from there', () => {
  const sim = simulateCoinc(
    BAYESTAR_FIXTURES['hl-bns-1024'].injection,
    BAYESTAR_FIXTURES['hl-bns-1024'].options,
  );
  const full = coincXml(sim.coinc);
  // The same document without its PSDs, and a PSD document with them.
  const text = Buffer.from(full).toString('utf8');
  const withoutPsds = text.replace(
    /<LIGO_LW Name="REAL8FrequencySeries">[\s\S]*?<\/LIGO_LW>\s*/g,
    '',
  );
  assert.notEqual(withoutPsds, text);
  assert.throws(
    () => coincEventFromLigoLw(withoutPsds, { fileName: 'bare.xml' }),
    /bare.xml: sngl_inspiral H1 \(event_id 0\): no PSD for H1/,
  );
  const read = coincEventFromLigoLw(withoutPsds, { psd: text, psdFileName: 'psd.xml' });
  assert.equal(read.triggers[1].psd.values.length, sim.coinc.triggers[1].psd.values.length);
});

test('a coinc whose triggers disagree on the template is refused', () => {
  const sim = simulateCoinc(
    BAYESTAR_FIXTURES['hl-bns-1024'].injection,
    BAYESTAR_FIXTURES['hl-bns-1024'].options,
  );
  const text = Buffer.from(coincXml(sim.coinc)).toString('utf8');
  // mass1 of the second sngl_inspiral row (the rows repeat the mass columns in order).
  const altered = text
    .replace(/,1\.45,1\.3,/, ',1.45,1.3,')
    .replace(/(L1"[^\n]*?),1\.45,/, '$1,1.46,');
  assert.notEqual(altered, text);
  assert.throws(
    () => coincEventFromLigoLw(altered, { fileName: 'x.xml' }),
    /x.xml: sngl_inspiral mass1 differs between H1 \(1.45\) and L1 \(1.46\)/,
  );
});

test(
  "gwcelery's gstlal coinc.xml (no SNR series) conditions with synthesized series",
  needsShared('gwcelery/tests/coinc.xml'),
  () => {
    const path = sharedData('gwcelery/tests/coinc.xml') as string;
    const event = coincEventFromLigoLw(readFileSync(path), { fileName: path });
    assert.equal(event.program, 'gstlal_inspiral');
    assert.deepEqual(event.triggers.map((t) => t.detector).sort(), ['H1', 'L1']);
    const report = condition(event);
    assert.equal(report.snrSeriesSource, 'synthesized');
    // 1.73 + 1.26 M☉: TaylorF2 up to the last stable orbit (1470 Hz): synthesized at 4096 Hz.
    assert.equal(report.event.sampleRate, 4096);
    // Horizons from the embedded PSDs: ~2000 Mpc (gstlal's sigmasq, from its own PSD, says 2300).
    for (const h of report.event.horizons) assert.ok(h > 1800 && h < 2400, `horizon ${h}`);
  },
);
