import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  gpsFromColumns,
  idValue,
  LigoLwError,
  readCoinc,
  readCoincidences,
  readLigoLw,
  readPsds,
  readRows,
  SNGL_INSPIRAL,
} from '../../../src/formats/ligolw/index.js';
import { needsShared, sharedData } from '../../helpers/shared.js';

const COINC_XML = 'gwcelery/tests/coinc.xml';
const PSD_XML = 'gwcelery/tests/psd.xml.gz';
const FIRST2YEARS = 'gwcelery/first2years/gstlal.xml.gz';

/** A minimal old-style (ilwd:char ids) gstlal upload with one SNR series. */
const OLD_STYLE = `<?xml version='1.0' encoding='utf-8'?>
<LIGO_LW>
  <Table Name="process:table">
    <Column Name="process:process_id" Type="ilwd:char"/>
    <Column Name="process:program" Type="lstring"/>
    <Stream Name="process:table" Delimiter="," Type="Local">"process:process_id:0","gstlal_inspiral"</Stream>
  </Table>
  <Table Name="sngl_inspiral:table">
    <Column Name="sngl_inspiral:process_id" Type="ilwd:char"/>
    <Column Name="sngl_inspiral:ifo" Type="lstring"/>
    <Column Name="sngl_inspiral:end_time" Type="int_4s"/>
    <Column Name="sngl_inspiral:end_time_ns" Type="int_4s"/>
    <Column Name="sngl_inspiral:snr" Type="real_4"/>
    <Column Name="sngl_inspiral:chisq" Type="real_4"/>
    <Column Name="sngl_inspiral:event_id" Type="ilwd:char"/>
    <Stream Name="sngl_inspiral:table" Delimiter="," Type="Local">
      "process:process_id:0","H1",1000000000,5,9.5,1.2,"sngl_inspiral:event_id:3",
      "process:process_id:0","V1",1000000000,900000000,4.5,,"sngl_inspiral:event_id:4"
    </Stream>
  </Table>
  <Table Name="coinc_event:table">
    <Column Name="coinc_event:coinc_event_id" Type="ilwd:char"/>
    <Column Name="coinc_event:process_id" Type="ilwd:char"/>
    <Column Name="coinc_event:nevents" Type="int_4u"/>
    <Column Name="coinc_event:likelihood" Type="real_8"/>
    <Stream Name="coinc_event:table" Delimiter="," Type="Local">"coinc_event:coinc_event_id:1","process:process_id:0",2,inf</Stream>
  </Table>
  <Table Name="coinc_inspiral:table">
    <Column Name="coinc_inspiral:coinc_event_id" Type="ilwd:char"/>
    <Column Name="coinc_inspiral:end_time" Type="int_4s"/>
    <Column Name="coinc_inspiral:end_time_ns" Type="int_4s"/>
    <Column Name="coinc_inspiral:ifos" Type="lstring"/>
    <Column Name="coinc_inspiral:combined_far" Type="real_8"/>
    <Column Name="coinc_inspiral:snr" Type="real_8"/>
    <Stream Name="coinc_inspiral:table" Delimiter="," Type="Local">"coinc_event:coinc_event_id:1",1000000000,5,"H1,V1",1e-10,nan</Stream>
  </Table>
  <LIGO_LW Name="COMPLEX8TimeSeries">
    <Time Name="epoch" Type="GPS">999999999.999</Time>
    <Param Name="f0:param" Type="real_8" Unit="s^-1">0</Param>
    <Array Name="snr:array" Type="real_8" Unit="">
      <Dim Name="Time" Unit="s" Start="0" Scale="0.0009765625">3</Dim>
      <Dim Name="Time,Real,Imaginary">3</Dim>
      <Stream Type="Local" Delimiter=" ">
        0 1 -1 0.0009765625 9.5 0 0.001953125 1 1
      </Stream>
    </Array>
    <Param Name="event_id:param" Type="ilwd:char">sngl_inspiral:event_id:3</Param>
  </LIGO_LW>
</LIGO_LW>`;

test('readCoinc: ilwd:char ids become numbers, absent columns null, SNR series linked', () => {
  const coinc = readCoinc(Buffer.from(OLD_STYLE), { fileName: 'old.xml' });
  assert.equal(coinc.coincInspiral.coinc_event_id, 1);
  assert.equal(coinc.coincInspiral.ifos, 'H1,V1');
  assert.ok(Number.isNaN(coinc.coincInspiral.snr));
  assert.equal(coinc.coincInspiral.mchirp, null);
  assert.equal(coinc.coincEvent.likelihood, Number.POSITIVE_INFINITY);
  assert.equal(coinc.coincEvent.process_id, 0);
  assert.equal(coinc.process?.program, 'gstlal_inspiral');
  assert.deepEqual(
    coinc.snglInspirals.map((s) => [s.ifo, s.event_id, s.process_id, s.snr, s.chisq, s.mass1]),
    [
      ['H1', 3, 0, 9.5, 1.2, null],
      ['V1', 4, 0, 4.5, null, null],
    ],
  );
  assert.deepEqual(
    gpsFromColumns(coinc.snglInspirals[1]!.end_time, coinc.snglInspirals[1]!.end_time_ns),
    {
      gpsSeconds: 1000000000,
      gpsNanoSeconds: 900000000,
    },
  );
  assert.equal(coinc.snrSeries.length, 1);
  const series = coinc.snrSeries[0]!;
  assert.equal(series.ifo, 'H1');
  assert.equal(series.eventId, 3);
  assert.equal(series.deltaT, 1 / 1024);
  assert.deepEqual(series.epoch, { gpsSeconds: 999999999, gpsNanoSeconds: 999000000 });
  assert.deepEqual([...series.real], [1, 9.5, 1]);
  assert.deepEqual([...series.imag], [-1, 0, 1]);
  assert.deepEqual(coinc.psds, {});
  assert.deepEqual(coinc.offsets, {});
});

test('int_8 values beyond ±2^53 stay exact as bigints; views that need a number refuse them', () => {
  const huge = OLD_STYLE.replace(
    '<Column Name="process:process_id" Type="ilwd:char"/>',
    '<Column Name="process:process_id" Type="int_8s"/>',
  ).replace('"process:process_id:0","gstlal_inspiral"', '9223372036854775807,"gstlal_inspiral"');
  const document = readLigoLw(huge, { fileName: 'huge.xml' });
  assert.equal(document.table('process').rows[0]![0], 9223372036854775807n);
  assert.throws(
    () => readCoinc(document),
    /huge\.xml: table process, row 1: process_id 9223372036854775807 is beyond ±2\^53/,
  );
  assert.throws(
    () => readLigoLw(huge.replace('9223372036854775807,', '9223372036854775808,')),
    /int_8s value 9223372036854775808 is out of range/,
  );
});

test('readCoinc: a missing required table is an error naming the file and table', () => {
  const withoutCoincInspiral = OLD_STYLE.replace(
    /<Table Name="coinc_inspiral:table">[\s\S]*?<\/Table>/,
    '',
  );
  assert.throws(
    () => readCoinc(Buffer.from(withoutCoincInspiral), { fileName: 'upload.xml' }),
    (e: unknown) =>
      e instanceof LigoLwError && e.message === 'upload.xml: missing required table coinc_inspiral',
  );
});

test('readCoinc: an SNR series for an unknown trigger is an error', () => {
  const orphan = OLD_STYLE.replace(
    'sngl_inspiral:event_id:3</Param>',
    'sngl_inspiral:event_id:9</Param>',
  );
  assert.throws(
    () => readCoinc(orphan, { fileName: 'orphan.xml' }),
    /event_id 9 matches no sngl_inspiral row/,
  );
});

test('typed views reject a required column that is NULL or of the wrong type', () => {
  const nullSnr = readLigoLw(OLD_STYLE.replace(',9.5,1.2,', ',,1.2,'), { fileName: 'n.xml' });
  assert.throws(
    () => readRows(nullSnr.table('sngl_inspiral'), SNGL_INSPIRAL, 'n.xml'),
    /n\.xml: table sngl_inspiral, row 1: required snr is NULL/,
  );
  const stringSnr = readLigoLw(
    OLD_STYLE.replace(
      '<Column Name="sngl_inspiral:snr" Type="real_4"/>',
      '<Column Name="sngl_inspiral:snr" Type="lstring"/>',
    ),
  );
  assert.throws(
    () => readRows(stringSnr.table('sngl_inspiral'), SNGL_INSPIRAL),
    /column sngl_inspiral\.snr has type lstring; expected a numeric type/,
  );
});

test('gwcelery coinc.xml: the fields GraceDB and BAYESTAR read', needsShared(COINC_XML), () => {
  const coinc = readCoinc(readFileSync(sharedData(COINC_XML)!), { fileName: 'coinc.xml' });
  assert.deepEqual(coinc.coincInspiral, {
    coinc_event_id: 199,
    combined_far: 9.110699364861297e-14,
    end_time: 1358062124,
    end_time_ns: 742337371,
    false_alarm_rate: 2.528806224914281e-7,
    ifos: 'H1,L1',
    mass: 2.992141962051392,
    mchirp: 1.283248066902161,
    minimum_duration: null,
    snr: 16.79430175912027,
  });
  assert.deepEqual(coinc.coincEvent, {
    coinc_event_id: 199,
    coinc_def_id: 0,
    instruments: 'H1,L1',
    likelihood: 66.35558148790746,
    nevents: 2,
    process_id: 819,
    time_slide_id: 1,
  });
  assert.equal(coinc.process?.program, 'gstlal_inspiral');
  assert.deepEqual(
    coinc.snglInspirals.map((s) => [
      s.ifo,
      s.event_id,
      s.snr,
      s.coa_phase,
      s.mass1,
      s.mass2,
      s.f_final,
    ]),
    [
      ['L1', 435, 11.841204, -2.6546483, 1.729741, 1.262401, 2047],
      ['H1', 436, 11.909428, 0.75794524, 1.729741, 1.262401, 2047],
    ],
  );
  // eff_distance = √sigmasq / snr (science-spec §1.1: L1's √sigmasq ≈ 2301.5 Mpc).
  const l1 = coinc.snglInspirals[0]!;
  assert.ok(Math.abs(Math.sqrt(l1.sigmasq!) - l1.eff_distance! * l1.snr) < 0.5);
  assert.equal(l1.end_time_gmst, 53040.37385593675);
  assert.deepEqual(
    coinc.coincEventMap.map((m) => [m.event_id, m.table_name, m.coinc_event_id]),
    [
      [436, 'sngl_inspiral', 199],
      [435, 'sngl_inspiral', 199],
    ],
  );
  assert.equal(coinc.processParams.length, 243);
  assert.deepEqual(coinc.offsets, { H1: 0, L1: 0, V1: 0 });
  assert.equal(coinc.timeSlides.length, 9);
  assert.deepEqual(Object.keys(coinc.psds).sort(), ['H1', 'L1', 'V1']);
  const h1 = coinc.psds['H1']!;
  assert.equal(h1.deltaF, 0.25);
  assert.equal(h1.f0, 0);
  assert.equal(h1.data.length, 8095);
  assert.equal(h1.data[0], 2.065285390988419e-43);
  assert.equal(h1.sampleUnits, 's strain^2');
  assert.deepEqual(h1.epoch, { gpsSeconds: 967264162, gpsNanoSeconds: 0 });
  assert.deepEqual(coinc.snrSeries, []);
});

test('psd.xml.gz: one PSD per detector, 8193 bins at 1 Hz', needsShared(PSD_XML), () => {
  const psds = readPsds(readFileSync(sharedData(PSD_XML)!), { fileName: 'psd.xml.gz' });
  assert.deepEqual(Object.keys(psds), ['V1', 'H1', 'L1']);
  for (const psd of Object.values(psds)) {
    assert.equal(psd.deltaF, 1);
    assert.equal(psd.data.length, 8193);
    assert.equal(psd.name, 'PSD');
  }
  assert.equal(psds['V1']!.data[0], 1.545007446278731e-41);
  assert.equal(psds['V1']!.data[1], 2.493323637493771e-40);
});

test('readPsds: a document without PSDs is an error', () => {
  assert.throws(() => readPsds(OLD_STYLE, { fileName: 'coinc.xml' }), /coinc\.xml: no PSD found/);
});

test(
  'first-two-years file: 250 coincidences with their triggers and time slides',
  needsShared(FIRST2YEARS),
  () => {
    const { coincidences, psds, tables } = readCoincidences(
      readFileSync(sharedData(FIRST2YEARS)!),
      {
        fileName: 'gstlal.xml.gz',
      },
    );
    assert.equal(coincidences.length, 250);
    assert.equal(tables.snglInspirals.length, 542);
    assert.deepEqual(Object.keys(psds).sort(), ['H1', 'L1', 'V1']);
    for (const c of coincidences) {
      // Every coincidence's triggers are exactly the detectors coinc_inspiral lists.
      assert.deepEqual(
        c.snglInspirals.map((s) => s.ifo).sort(),
        c.coincInspiral.ifos!.split(',').sort(),
      );
      assert.equal(c.process?.program, 'gstlal_inspiral');
      for (const ifo of Object.keys(c.offsets)) assert.equal(c.offsets[ifo], 0);
    }
    const first = coincidences[0]!;
    assert.equal(first.coincEvent.coinc_event_id, 0);
    assert.deepEqual(
      first.snglInspirals.map((s) => s.event_id),
      [2, 1],
    );
    assert.deepEqual(first.offsets, { V1: 0, H1: 0 });
  },
);

test('row ids: int_8s numbers, ilwd:char strings and digit strings; anything else is not an id', () => {
  assert.equal(idValue(7), 7);
  assert.equal(idValue('sngl_inspiral:event_id:7'), 7);
  assert.equal(idValue('7'), 7);
  assert.equal(idValue('event seven'), null);
  assert.equal(idValue(7.5), null);
  assert.equal(idValue(null), null);
});
