import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { LigoLwError, parseGpsTime, readLigoLw } from '../../../src/formats/ligolw/index.js';
import { needsShared, sharedData } from '../../helpers/shared.js';

const HEADER = `<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE LIGO_LW SYSTEM "http://ldas-sw.ligo.caltech.edu/doc/ligolwAPI/html/ligolw_dtd.txt">
`;

const SMALL = `${HEADER}<LIGO_LW>
	<!-- a comment the reader skips -->
	<Table Name="coinc_definer:table">
		<Column Name="coinc_definer:search" Type="lstring"/>
		<Column Name="coinc_definer:description" Type="lstring"/>
		<Column Name="coinc_definer:coinc_def_id" Type="int_8s"/>
		<Column Name="coinc_definer:search_coinc_type" Type="int_4u"/>
		<Stream Delimiter="," Name="coinc_definer:table" Type="Local">
			"inspiral","sngl_inspiral&lt;--&gt;sngl_inspiral coincidences",0,0,
			"inspiral",,1,,
		</Stream>
	</Table>
	<LIGO_LW Name="REAL8FrequencySeries">
		<Time Name="epoch" Type="GPS">1000071999.971191406</Time>
		<Param Name="f0:param" Type="real_8" Unit="s^-1">
0
		</Param>
		<Array Name="PSD:array" Type="real_8" Unit="s strain^2">
			<Dim Name="Frequency" Scale="0.5" Start="0" Unit="s^-1">3</Dim>
			<Dim Name="Frequency,Real">2</Dim>
			<Stream Delimiter=" " Type="Local">
				0 1e-40 
				0.5 inf 
				1 -2.5e-41
			</Stream>
		</Array>
		<Param Name="instrument:param" Type="lstring">
H1
		</Param>
	</LIGO_LW>
</LIGO_LW>
`;

test('tables: short names, columns with types, typed cells, NULL and entities', () => {
  const doc = readLigoLw(Buffer.from(SMALL), { fileName: 'small.xml' });
  assert.equal(doc.source, 'small.xml');
  const table = doc.table('coinc_definer');
  assert.deepEqual(
    table.columns.map((c) => [c.name, c.xmlName, c.type]),
    [
      ['search', 'coinc_definer:search', 'lstring'],
      ['description', 'coinc_definer:description', 'lstring'],
      ['coinc_def_id', 'coinc_definer:coinc_def_id', 'int_8s'],
      ['search_coinc_type', 'coinc_definer:search_coinc_type', 'int_4u'],
    ],
  );
  assert.deepEqual(table.rows, [
    ['inspiral', 'sngl_inspiral<-->sngl_inspiral coincidences', 0, 0],
    ['inspiral', null, 1, null],
  ]);
  assert.deepEqual(table.column('coinc_def_id'), [0, 1]);
  assert.deepEqual(table.records()[1], {
    search: 'inspiral',
    description: null,
    coinc_def_id: 1,
    search_coinc_type: null,
  });
});

test('series containers: Time, Params with units, and an Array in text order', () => {
  const doc = readLigoLw(SMALL);
  const [series] = doc.containers('REAL8FrequencySeries');
  assert.ok(series);
  assert.deepEqual(
    series.children.map((c) => c.kind),
    ['Time', 'Param', 'Array', 'Param'],
  );
  assert.deepEqual(series.time('epoch')!.gps(), {
    gpsSeconds: 1000071999,
    gpsNanoSeconds: 971191406,
  });
  assert.equal(series.param('f0')!.value, 0);
  assert.equal(series.param('f0')!.unit, 's^-1');
  assert.equal(series.param('instrument')!.value, 'H1');
  const array = series.array('PSD')!;
  assert.equal(array.type, 'real_8');
  assert.equal(array.unit, 's strain^2');
  assert.deepEqual(
    array.dims.map((d) => [d.name, d.n, d.start, d.scale, d.unit]),
    [
      ['Frequency', 3, 0, 0.5, 's^-1'],
      ['Frequency,Real', 2, null, null, null],
    ],
  );
  assert.deepEqual([...array.data], [0, 1e-40, 0.5, Number.POSITIVE_INFINITY, 1, -2.5e-41]);
});

test('gzip is detected by its magic bytes, not by the file name', () => {
  const doc = readLigoLw(gzipSync(Buffer.from(SMALL)), { fileName: 'looks-plain.xml' });
  assert.equal(doc.table('coinc_definer').rows.length, 2);
});

test('old ilwd:char ids are kept as strings by the generic reader', () => {
  const doc = readLigoLw(`<LIGO_LW><Table Name="process:table">
    <Column Name="process:process_id" Type="ilwd:char"/>
    <Column Name="process:program" Type="lstring"/>
    <Stream Name="process:table" Delimiter="," Type="Local">"process:process_id:7","gstlal_inspiral"</Stream>
  </Table></LIGO_LW>`);
  assert.deepEqual(doc.table('process').rows, [['process:process_id:7', 'gstlal_inspiral']]);
});

test('base64 arrays (first Dim fastest in binary) read into text order', () => {
  // 2 samples × (time, real, imag): binary order is t0 t1 re0 re1 im0 im1.
  const binary = Buffer.from(new Float64Array([0, 0.5, 1, 2, -1, -2]).buffer).toString('base64');
  const doc = readLigoLw(`<LIGO_LW><LIGO_LW Name="COMPLEX8TimeSeries">
    <Array Name="snr:array" Type="real_8">
      <Dim Name="Time" Scale="0.5">2</Dim><Dim Name="Time,Real,Imaginary">3</Dim>
      <Stream Type="Local" Delimiter=" " Encoding="base64,LittleEndian">${binary}</Stream>
    </Array></LIGO_LW></LIGO_LW>`);
  const array = doc.containers('COMPLEX8TimeSeries')[0]!.array('snr')!;
  assert.equal(array.encoding, 'base64,LittleEndian');
  assert.deepEqual([...array.data], [0, 1, -1, 0.5, 2, -2]);
});

test('GPS times parse exactly into seconds and nanoseconds', () => {
  assert.deepEqual(parseGpsTime('967264162'), { gpsSeconds: 967264162, gpsNanoSeconds: 0 });
  assert.deepEqual(parseGpsTime(' 1.5 '), { gpsSeconds: 1, gpsNanoSeconds: 500000000 });
  assert.deepEqual(parseGpsTime('-0.25'), { gpsSeconds: -1, gpsNanoSeconds: 750000000 });
  assert.throws(() => parseGpsTime('soon'), /not a GPS time/);
});

test(
  'gwcelery coinc.xml: every table, with the values it holds',
  needsShared('gwcelery/tests/coinc.xml'),
  () => {
    const path = sharedData('gwcelery/tests/coinc.xml')!;
    const doc = readLigoLw(readFileSync(path), { fileName: 'coinc.xml' });
    assert.deepEqual(
      doc.tables().map((t) => [t.name, t.rows.length]),
      [
        ['process', 9],
        ['process_params', 243],
        ['search_summary', 9],
        ['sngl_inspiral', 2],
        ['coinc_definer', 4],
        ['coinc_event', 1],
        ['coinc_event_map', 2],
        ['time_slide', 9],
        ['coinc_inspiral', 1],
      ],
    );
    const sngl = doc.table('sngl_inspiral').records();
    assert.equal(sngl[0]!.ifo, 'L1');
    assert.equal(sngl[0]!.snr, 11.841204);
    assert.equal(sngl[0]!.event_id, 435);
    assert.equal(doc.table('coinc_event').records()[0]!.likelihood, 66.35558148790746);
    assert.equal(doc.containers('REAL8FrequencySeries').length, 3);
  },
);

test(
  'first-two-years file: old ilwd:char documents read, inf values included',
  needsShared('gwcelery/first2years/gstlal.xml.gz'),
  () => {
    const path = sharedData('gwcelery/first2years/gstlal.xml.gz')!;
    const doc = readLigoLw(readFileSync(path), { fileName: 'gstlal.xml.gz' });
    assert.equal(doc.table('coinc_inspiral').rows.length, 250);
    assert.equal(doc.table('sngl_inspiral').rows.length, 542);
    assert.equal(doc.table('process_params').rows.length, 44982);
    const likelihoods = doc.table('coinc_event').column('likelihood');
    assert.ok(likelihoods.includes(Number.POSITIVE_INFINITY));
  },
);

test('errors are LigoLwErrors naming the file', () => {
  assert.throws(
    () => readLigoLw('<LIGO_LW><Table/></LIGO_LW>', { fileName: 'x.xml' }),
    (e: unknown) =>
      e instanceof LigoLwError && e.file === 'x.xml' && /^x\.xml, line 1: /.test(e.message),
  );
});
