import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  coincDocument,
  LigoLwContainer,
  LigoLwDocument,
  LigoLwTable,
  writeLigoLw,
} from '../../src/formats/ligolw/index.js';
import type { GraceDbError } from '../../src/gracedb/errors.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { needsShared, sharedData } from '../helpers/shared.js';
import { coincInput, coincXml } from './coinc-fixture.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from './helpers.js';

/**
 * Events as GraceDB makes them from uploads (gracedb-api.md §4): what is read from each
 * pipeline's file, the JSON shape of the fixtures, the files and log entries created, and bad
 * uploads refused with nothing stored.
 */
let g: TestGraceDb;
const fixtures = new URL('../fixtures/gracedb/', import.meta.url);

before(async () => {
  g = await startTestGraceDb();
});
after(() => g?.close());

function countRows(table: string): number {
  return (g.service.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number })
    .n;
}

function countBlobs(): number {
  const root = join(g.dir, 'blobs');
  return readdirSync(root).reduce((n, sub) => n + readdirSync(join(root, sub)).length, 0);
}

async function post(path: string, form: FormData): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(path, g.service.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: form,
  });
  return { status: response.status, text: await response.text() };
}

function eventForm(
  fields: Record<string, string>,
  file?: { name: string; data: string | Uint8Array },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('eventFile', new Blob([file.data]), file.name);
  return form;
}

/** The L1 row of gwcelery's coinc.xml, transcribed from its sngl_inspiral Stream. */
const COINC_XML_L1 = {
  ifo: 'L1',
  search: 'tmpltbank',
  channel: 'GAUSSIAN_PLUS_INJECTIONS',
  end_time: 1358062124,
  end_time_ns: 746942165,
  end_time_gmst: 53040.37385593675,
  impulse_time: 0,
  impulse_time_ns: 0,
  template_duration: 81.52145699060748,
  event_duration: 0,
  amplitude: 0,
  eff_distance: 194.37573,
  coa_phase: -2.6546483,
  mass1: 1.729741,
  mass2: 1.262401,
  mchirp: 1.2832481,
  mtotal: 2.992142,
  eta: 0.24390124,
  kappa: 0,
  chi: 0,
  tau0: 79.90181,
  tau2: 3.384877,
  tau3: 1.859551,
  tau4: 0.088927731,
  tau5: 0,
  ttotal: 81.51606,
  psi0: 1609636,
  psi3: -3746.1001,
  alpha: 0,
  alpha1: 0,
  alpha2: 0,
  alpha3: 0,
  alpha4: 0,
  alpha5: 0,
  alpha6: 0,
  beta: 0,
  f_final: 2047,
  snr: 11.841204,
  chisq: 1.6882554,
  chisq_dof: 1,
  bank_chisq: 0,
  bank_chisq_dof: 0,
  cont_chisq: 0,
  cont_chisq_dof: 0,
  sigmasq: 5297558.993982583,
  rsqveto_duration: 0,
  Gamma0: 246044.5,
  Gamma1: 16,
  Gamma2: 6761.9014,
  Gamma3: 155.34505,
  Gamma4: -212.772,
  Gamma5: 337.70007,
  Gamma6: 0,
  Gamma7: 0,
  Gamma8: 0,
  Gamma9: 0,
  spin1x: 0,
  spin1y: 0,
  spin1z: 0,
  spin2x: 0,
  spin2y: 0,
  spin2z: 0,
};

interface CbcAttributes {
  CoincInspiral: Record<string, unknown>;
  SingleInspiral: Record<string, unknown>[];
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

test(
  "an event from gwcelery's coinc.xml has the attributes and JSON shape of the fixtures",
  needsShared('gwcelery/tests/coinc.xml', 'gwcelery/tests/lvalert_event_creation.json'),
  async () => {
    const xml = readFileSync(sharedData('gwcelery/tests/coinc.xml')!);
    const fixture = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/lvalert_event_creation.json')!, 'utf8'),
    ).data;
    const created = await g.client.createEvent(xml, 'AllSky', 'gstlal', 'CBC');
    assert.deepEqual(created.warnings, []);
    const event = await g.client.getEvent(created.graceid);

    // Shape: the same keys as GraceDB's event JSON in the fixture, each with the same type
    // (null where the fixture has a number is allowed only for minimum_duration-like fields).
    assert.deepEqual(Object.keys(event).sort(), Object.keys(fixture).sort());
    for (const key of Object.keys(fixture)) {
      if (['search', 'superevent'].includes(key)) continue;
      assert.equal(typeOf(event[key]), typeOf(fixture[key]), `type of ${key}`);
    }
    assert.deepEqual(Object.keys(event.links as object).sort(), Object.keys(fixture.links).sort());
    const attrs = event.extra_attributes as CbcAttributes;
    assert.deepEqual(Object.keys(attrs).sort(), ['CoincInspiral', 'SingleInspiral']);
    assert.deepEqual(
      Object.keys(attrs.CoincInspiral),
      Object.keys(fixture.extra_attributes.CoincInspiral),
    );
    for (const row of attrs.SingleInspiral) {
      assert.deepEqual(
        Object.keys(row).sort(),
        Object.keys(fixture.extra_attributes.SingleInspiral[0]).sort(),
      );
    }

    // Values: field by field from the file's coinc_inspiral, coinc_event and sngl_inspiral rows.
    assert.equal(event.group, 'CBC');
    assert.equal(event.pipeline, 'gstlal');
    assert.equal(event.search, 'AllSky');
    assert.equal(event.gpstime, 1358062124.742337); // end_time + end_time_ns, 6 decimals
    assert.equal(event.instruments, 'H1,L1');
    assert.equal(event.nevents, 2);
    assert.equal(event.offline, false);
    assert.equal(event.far, 9.110699364861297e-14);
    assert.equal(event.far_is_upper_limit, false);
    assert.equal(event.likelihood, 66.35558148790746);
    assert.deepEqual(event.labels, []);
    assert.equal(event.superevent, null);
    assert.deepEqual(event.superevent_neighbours, {});
    assert.deepEqual(attrs.CoincInspiral, {
      ifos: 'H1,L1',
      end_time: 1358062124,
      end_time_ns: 742337371,
      mass: 2.992141962051392,
      mchirp: 1.283248066902161,
      minimum_duration: null,
      snr: 16.79430175912027,
      false_alarm_rate: 2.528806224914281e-7,
      combined_far: 9.110699364861297e-14,
    });
    assert.equal(attrs.SingleInspiral.length, 2);
    assert.deepEqual(attrs.SingleInspiral[0], COINC_XML_L1);
    assert.equal(attrs.SingleInspiral[1].ifo, 'H1');
    assert.equal(attrs.SingleInspiral[1].end_time_ns, 742337371);
    assert.equal(attrs.SingleInspiral[1].snr, 11.909428);
    assert.equal(attrs.SingleInspiral[1].chisq, 1.3992257);
    assert.equal(attrs.SingleInspiral[1].coa_phase, 0.75794524);

    // What cannot match the fixture: the id (allocated here), who and when (this upload), and
    // therefore reporting_latency = GPS(created) − gpstime; the links point at this service.
    assert.match(event.graceid, /^G\d{4,}$/);
    assert.equal(event.submitter, 'emfollow');
    assert.match(event.created as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const createdGps = unixToGps(
      Date.parse((event.created as string).replace(' UTC', 'Z').replace(' ', 'T')) / 1000,
    );
    assert.ok(
      Math.abs((event.reporting_latency as number) - (createdGps - 1358062124.742337)) < 1.001,
    );
    assert.equal(
      (event.links as Record<string, string>).self,
      `${g.service.url}events/${event.graceid}`,
    );

    // The upload, the event.log summary and coinc.xml, each with GraceDB's log entry.
    const log = await g.client.getLog(event.graceid);
    assert.deepEqual(
      log.map((e) => [e.N, e.comment, e.filename, e.file_version]),
      [
        [1, 'Original Data', 'initial.data', 0],
        [2, 'Log File Created', 'event.log', 0],
        [3, 'Coinc Table Created', 'coinc.xml', 0],
      ],
    );
    assert.deepEqual(await g.client.download('coinc.xml', event.graceid), xml);
    const summary = (await g.client.download('event.log', event.graceid)).toString();
    assert.match(
      summary,
      /^Pipeline: gstlal\nSearch: AllSky\nMChirp: 1\.283\nMTot: 2\.992\nEnd Time: 1358062124\.742337371\nSNR: 16\.794\nIFOs: H1,L1\nFAR: 9\.111e-14\n$/,
    );
  },
);

test('a coinc.xml written by the project: values, nulls for missing columns, NaN SNR', async () => {
  const input = coincInput({
    gpstime: 1300000000.5,
    far: 2.5e-9,
    snr: 10,
    ifos: ['H1', 'L1', 'V1'],
    likelihood: 12,
  });
  // V1 contributed data but not to the ranking statistic: no chisq.
  input.snglInspirals[2]!.chisq = null;
  input.coincInspiral.snr = Number.NaN;
  const event = await g.client.createEvent(
    writeLigoLw(coincDocument(input)),
    'AllSky',
    'pycbc',
    'CBC',
  );
  assert.equal(event.gpstime, 1300000000.5);
  assert.equal(event.far, 2.5e-9);
  assert.equal(event.instruments, 'H1,L1,V1');
  assert.equal(event.nevents, 3);
  assert.equal(event.likelihood, 12);
  const attrs = event.extra_attributes as CbcAttributes;
  assert.equal(attrs.CoincInspiral.snr, null);
  assert.deepEqual(
    attrs.SingleInspiral.map((r) => [r.ifo, r.chisq, r.tau0]),
    [
      ['H1', 1, null],
      ['L1', 1.1, null],
      ['V1', null, null],
    ],
  );
  assert.equal(Object.keys(attrs.SingleInspiral[0]).length, 62);
});

test('a coinc.xml without coinc_inspiral still makes an event, with the warning GraceDB gives', async () => {
  const doc = coincDocument(coincInput({ gpstime: 1300000100 }));
  const text = writeLigoLw(doc)
    .toString()
    .replace(/<Table Name="coinc_inspiral:table">[\s\S]*?<\/Table>/, '');
  const event = await g.client.createEvent(text, 'AllSky', 'gstlal', 'CBC');
  assert.deepEqual(event.warnings, ['Could not extract coinc inspiral table.']);
  assert.equal(event.gpstime, null);
  assert.equal(event.far, null);
  assert.equal(event.nevents, 2);
  assert.equal((event.extra_attributes as Record<string, unknown>).CoincInspiral, undefined);
});

test('a malformed upload is a 400 that says what is wrong, and nothing is stored', async () => {
  const events = countRows('events');
  const logs = countRows('logs');
  const blobs = countBlobs();
  const outbox = g.publisher.messages.length;
  const broken = coincXml({ gpstime: 1300000200 }).toString().replace('</LIGO_LW>', '');
  const answer = await post(
    'events/',
    eventForm(
      { group: 'CBC', pipeline: 'gstlal', search: 'AllSky' },
      { name: 'coinc.xml', data: broken },
    ),
  );
  assert.equal(answer.status, 400);
  assert.match(
    JSON.parse(answer.text).error,
    /^Could not read data from 'coinc\.xml' \(gstlal\): line \d+: .*LIGO_LW/,
  );

  const olib = await post(
    'events/',
    eventForm(
      { group: 'Burst', pipeline: 'oLIB', search: 'AllSky' },
      { name: 'olib.json', data: '{"gpstime": 12' },
    ),
  );
  assert.equal(olib.status, 400);
  assert.match(
    JSON.parse(olib.text).error,
    /^Could not read data from 'olib\.json' \(oLIB\): not valid JSON/,
  );

  const noTime = await post(
    'events/',
    eventForm(
      { group: 'Burst', pipeline: 'MLy', search: 'AllSky' },
      { name: 'mly.json', data: '{"far": 1}' },
    ),
  );
  assert.equal(
    JSON.parse(noTime.text).error,
    "Could not read data from 'mly.json' (MLy): gpstime: missing",
  );

  const badGrb = await post(
    'events/',
    eventForm(
      { group: 'External', pipeline: 'Fermi', search: 'GRB' },
      { name: 'n.xml', data: '<VOEvent><Who></VOEvent>' },
    ),
  );
  assert.equal(badGrb.status, 400);
  assert.match(JSON.parse(badGrb.text).error, /malformed XML at line 1/);

  assert.equal(countRows('events'), events);
  assert.equal(countRows('logs'), logs);
  assert.equal(countBlobs(), blobs);
  assert.equal(g.publisher.messages.length, outbox);
});

test('form errors use the real service bodies; unknown ids are 404', async () => {
  const missing = await post('events/', eventForm({ pipeline: 'gstlal' }));
  assert.deepEqual(JSON.parse(missing.text), {
    errors: ['eventFile: * This field is required.', 'group: * This field is required.'],
  });
  const badGroup = await post(
    'events/',
    eventForm({ group: 'Nope', pipeline: 'gstlal' }, { name: 'x', data: 'x' }),
  );
  assert.deepEqual(JSON.parse(badGroup.text), {
    errors: ['group: * Select a valid choice. That choice is not one of the available choices.'],
  });
  const badLabel = await post(
    'events/',
    eventForm({ group: 'CBC', pipeline: 'gstlal', labels: 'NOPE' }, { name: 'x', data: 'x' }),
  );
  assert.deepEqual(JSON.parse(badLabel.text), {
    errors: ['labels: * Select a valid choice. NOPE is not one of the available choices.'],
  });
  const badPipeline = await post(
    'events/',
    eventForm({ group: 'CBC', pipeline: 'nope' }, { name: 'x', data: 'x' }),
  );
  assert.deepEqual(JSON.parse(badPipeline.text), { error: 'Please provide a valid pipeline.' });
  const retired = await post(
    'events/',
    eventForm({ group: 'Burst', pipeline: 'Omega' }, { name: 'x', data: 'x' }),
  );
  assert.equal(retired.status, 400);
  assert.equal(
    retired.text,
    'The Omega pipeline is no longer supported in GraceDB. Please contact an administrator to re-enable support.',
  );
  const unknown = await fetch(new URL('events/G999999', g.service.url), {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(unknown.status, 404);
  assert.equal(await unknown.text(), 'Event not found.');
  await assert.rejects(
    g.client.createEvent('x', null, 'gstlal', 'CBC', ['ADVOK']),
    (err: GraceDbError) => err.status === 400,
  );
});

test('oLIB and MLy JSON uploads fill LalInferenceBurst and MLyBurst', async () => {
  const olib = await g.client.createEvent(
    olibPayload(1078515565.0, 3.021362523404484e-10),
    'AllSky',
    'oLIB',
    'Burst',
  );
  assert.equal(olib.gpstime, 1078515565);
  assert.equal(olib.far, 3.021362523404484e-10);
  assert.equal(olib.nevents, 1);
  assert.deepEqual(olib.extra_attributes, {
    LalInferenceBurst: {
      bci: 7,
      quality_mean: 100,
      quality_median: 100,
      bsn: 20,
      omicron_snr_network: 8,
      omicron_snr_H1: 20,
      omicron_snr_L1: 26,
      omicron_snr_V1: null,
      hrss_mean: 5,
      hrss_median: 5e-23,
      frequency_mean: 100,
      frequency_median: 100,
    },
  });
  const mly = await g.client.createEvent(
    JSON.stringify({
      gpstime: 1392456472.379048,
      far: 1.2e-8,
      ifos: ['H1', 'L1'],
      central_freq: 309.246308659392,
      bandwidth: 64.0,
      duration: 0.1875,
      central_time: 1392456472.379048,
      SNR: 6.015912207824155,
      scores: {
        coherency: 0.0799756646156311,
        coincidence: 0.2124568223953247,
        combined: 0.016991375573191192,
      },
    }),
    'AllSky',
    'MLy',
    'Burst',
  );
  assert.equal(mly.instruments, 'H1,L1');
  assert.deepEqual(mly.extra_attributes, {
    MLyBurst: {
      ifos: 'H1,L1',
      central_freq: 309.246308659392,
      bandwidth: 64,
      duration: 0.1875,
      central_time: 1392456472.379048,
      detection_statistic: null,
      SNR: 6.015912207824155,
      bbh: null,
      sglf: null,
      sghf: null,
      background: null,
      glitch: null,
      freq_correlation: null,
      channels: null,
      scores: {
        coherency: 0.0799756646156311,
        coincidence: 0.2124568223953247,
        combined: 0.016991375573191192,
      },
    },
  });
});

test("a cWB trigger file gives S230413b's MultiBurst attributes, event.log and the CED links", async () => {
  const text = readFileSync(new URL('cwb-trigger.txt', fixtures));
  const event = await g.client.createEvent(text, 'AllSky', 'CWB', 'Burst');
  assert.equal(event.gpstime, 1365450831.8996);
  assert.equal(event.far, 6.94635e-10);
  assert.equal(event.likelihood, 303.1611);
  assert.equal(event.instruments, 'H1,L1');
  const expected = {
    ifos: 'H1,L1',
    single_ifo_times: '1365450831.9004,1365450831.8996',
    start_time: 1365450831,
    start_time_ns: 747700000,
    duration: 0.017816,
    peak_time: null,
    peak_time_ns: null,
    central_freq: 61.417622,
    bandwidth: 14.25636,
    amplitude: 17.919914,
    snr: 17.411522047196218,
    confidence: null,
    false_alarm_rate: null,
    ligo_axis_ra: 347.116089,
    ligo_axis_dec: 37.1689,
    ligo_angle: null,
    ligo_angle_sig: null,
  };
  assert.deepEqual((event.extra_attributes as Record<string, unknown>).MultiBurst, expected);
  const fixture = sharedData('gwcelery/tests/S230413b.json');
  if (fixture) {
    const s = JSON.parse(readFileSync(fixture, 'utf8'));
    assert.deepEqual(expected, s.preferred_event_data.extra_attributes.MultiBurst);
  }
  const log = await g.client.getLog(event.graceid);
  assert.deepEqual(log.map((e) => e.comment).slice(0, 2), ['Original Data', 'Log File Created']);
  assert.match(log[2]!.comment, /^Coherent Event Display: <a href="https:\/\/ldas-jobs/);
  assert.match(log[3]!.comment, /^Skymap FITS file: <a href=".*skyprobcc\.fits">/);
});

test('a GCN VOEvent notice makes an External event with GRB attributes (E prefix)', async () => {
  const notice = readFileSync(new URL('grb-notice.xml', fixtures));
  const event = await g.client.createEvent(notice, 'GRB', 'Fermi', 'External');
  assert.match(event.graceid, /^E\d{4,}$/);
  assert.equal(event.instruments, '');
  assert.equal(event.far, null);
  assert.equal(event.gpstime, unixToGps(Date.parse('2023-04-13T19:53:30Z') / 1000) + 0.25);
  assert.deepEqual(event.extra_attributes, {
    GRB: {
      ivorn: 'ivo://nasa.gsfc.gcn/Fermi#GBM_Gnd_Pos_2023-04-13T19:53:30.00_702763955_0-042',
      author_ivorn: 'ivo://nasa.gsfc.tan/gcn',
      author_shortname: 'Fermi (via VO-GCN)',
      observatory_location_id: 'GEOLUN',
      coord_system: 'UTC-FK5-GEO',
      ra: 235.58,
      dec: 72.18,
      error_radius: 7.84,
      how_description: 'Fermi Satellite, GBM Instrument',
      how_reference_url: 'http://gcn.gsfc.nasa.gov/fermi.html',
      T90: null,
      trigger_duration: 1.024,
      designation: null,
      redshift: null,
      trigger_id: '702763955',
    },
  });
  const found = await g.client.getEvents(
    'group: External pipeline: Fermi grbevent.trigger_id = "702763955"',
  );
  assert.deepEqual(
    found.map((e) => e.graceid),
    [event.graceid],
  );
});

test(
  "gwcelery's Fermi notice fixture parses",
  needsShared('gwcelery/tests/fermi_grb_gcn.xml'),
  async () => {
    const event = await g.client.createEvent(
      readFileSync(sharedData('gwcelery/tests/fermi_grb_gcn.xml')!),
      'GRB',
      'Fermi',
      'External',
    );
    const grb = (event.extra_attributes as Record<string, Record<string, unknown>>).GRB!;
    assert.equal(grb.trigger_id, '548848711');
    assert.equal(grb.ra, 140.05);
    assert.equal(grb.dec, -39.0499);
    assert.equal(grb.error_radius, 5.6);
    assert.equal(grb.trigger_duration, null); // Data_Integ is 0, which GraceDB skips
    assert.equal(event.gpstime, unixToGps(Date.parse('2018-05-24T09:58:26Z') / 1000) + 0.31);
  },
);

test('replacing an event file: new version, attributes parsed again, 202, alert update', async () => {
  const first = await g.client.createEvent(
    readFileSync(new URL('grb-notice.xml', fixtures)),
    'GRB',
    'Swift',
    'External',
  );
  const newer = readFileSync(new URL('grb-notice.xml', fixtures))
    .toString()
    .replace('<C1>235.5800</C1>', '<C1>236.0000</C1>');
  await g.client.replaceEvent(first.graceid, newer);
  const event = await g.client.getEvent(first.graceid);
  assert.equal((event.extra_attributes as Record<string, Record<string, unknown>>).GRB!.ra, 236);
  const files = await g.client.getSupereventFileList(first.graceid);
  assert.deepEqual(Object.keys(files), ['initial.data', 'initial.data,0', 'initial.data,1']);
  assert.equal((await g.client.download('initial.data', first.graceid)).toString(), newer);
  const updates = g
    .alerts()
    .filter((a) => a.message.uid === first.graceid && a.message.alert_type === 'update');
  assert.deepEqual(
    updates.map((a) => a.topic),
    ['gracedb-test.external_swift', 'gracedb-test.external_swift_grb'],
  );
  const stranger = g.newClient({ token: undefined });
  await assert.rejects(stranger.replaceEvent(first.graceid, newer), /HTTP 401/);
});

test('test and MDC events get T and M ids', async () => {
  const t = await g.client.createEvent(
    coincXml({ gpstime: 1300000300 }),
    'AllSky',
    'gstlal',
    'Test',
  );
  const m = await g.client.createEvent(coincXml({ gpstime: 1300000300 }), 'MDC', 'gstlal', 'CBC');
  assert.match(t.graceid, /^T\d{4,}$/);
  assert.match(m.graceid, /^M\d{4,}$/);
  assert.equal(
    Number(m.graceid.slice(1)),
    Number(t.graceid.slice(1)) + 1,
    'one id sequence for all events',
  );
});

test('a hardware injection: the first sim_inspiral row, the channels from the form (H prefix)', async () => {
  const columns = [
    ['process:process_id', 'int_8s'],
    ['sim_inspiral:simulation_id', 'int_8s'],
    ['sim_inspiral:geocent_end_time', 'int_4s'],
    ['sim_inspiral:geocent_end_time_ns', 'int_4s'],
    ['sim_inspiral:mass1', 'real_4'],
    ['sim_inspiral:mass2', 'real_4'],
    ['sim_inspiral:distance', 'real_4'],
    ['sim_inspiral:waveform', 'lstring'],
  ].map(([xmlName, type]) => ({
    name: xmlName!.split(':').at(-1)!,
    xmlName: xmlName!,
    type: type as 'int_8s',
  }));
  const table = new LigoLwTable('sim_inspiral', columns, [
    [0, 0, 1300000500, 250000000, 1.4, 1.3, 40, 'TaylorT4threePointFivePN'],
  ]);
  const xml = writeLigoLw(new LigoLwDocument(new LigoLwContainer(null, [table])));
  const form = eventForm(
    {
      group: 'CBC',
      pipeline: 'HardwareInjection',
      instrument: 'H1',
      source_channel: 'H1:CAL-INJ',
      destination_channel: 'H1:CAL-PINJX',
    },
    { name: 'injection.xml', data: xml },
  );
  const answer = await post('events/', form);
  assert.equal(answer.status, 201, answer.text);
  const event = JSON.parse(answer.text);
  assert.match(event.graceid, /^H\d{4,}$/);
  assert.equal(event.gpstime, 1300000500.25);
  assert.equal(event.instruments, 'H1');
  assert.deepEqual(event.extra_attributes, {
    SimInspiral: {
      geocent_end_time: 1300000500,
      geocent_end_time_ns: 250000000,
      mass1: 1.4,
      mass2: 1.3,
      distance: 40,
      waveform: 'TaylorT4threePointFivePN',
      source_channel: 'H1:CAL-INJ',
      destination_channel: 'H1:CAL-PINJX',
    },
  });
});
