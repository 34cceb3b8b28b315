import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readContainer } from '../../src/formats/alert/avro-container.js';
import {
  AlertFormatError,
  type AlertPacket,
  alertPacketProblems,
  buildAlertPacket,
  decodeAlertAvro,
  decodeAlertJson,
  encodeAlertAvro,
  encodeAlertJson,
  PIPELINE_ALERT_TYPES,
  validateAlertPacket,
} from '../../src/formats/alert/index.js';
import {
  burstSuperevent,
  cbcSuperevent,
  golden,
  grbExternalEvent,
  smallSkymap,
} from '../helpers/alert-fixtures.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const NOW = new Date('2023-05-18T13:00:07.816Z');
const EM_BRIGHT = { HasNS: 1.0, HasRemnant: 0.27, HasMassGap: 0.0 };
const P_ASTRO = { BNS: 0.0, NSBH: 0.99, BBH: 0.0, Terrestrial: 0.01 };

function roundTrips(packet: AlertPacket): void {
  validateAlertPacket(packet);
  assert.deepEqual(decodeAlertAvro(encodeAlertAvro(packet)), packet, 'Avro round trip');
  assert.deepEqual(decodeAlertJson(encodeAlertJson(packet)), packet, 'JSON round trip');
}

test('a CBC preliminary carries every field the reference fills', () => {
  const skymap = smallSkymap();
  const packet = buildAlertPacket({
    superevent: cbcSuperevent(),
    alertType: 'preliminary',
    skymap,
    emBright: EM_BRIGHT,
    pAstro: P_ASTRO,
    now: NOW,
  });
  assert.deepEqual(packet, {
    alert_type: 'PRELIMINARY',
    time_created: '2023-05-18T13:00:07Z',
    superevent_id: 'S230518h',
    urls: { gracedb: 'https://gracedb.example.org/superevents/S230518h/view/' },
    event: {
      significant: true,
      time: '2023-05-18T12:59:08.080Z',
      far: 3.168e-10,
      instruments: ['H1', 'L1'],
      group: 'CBC',
      pipeline: 'gstlal',
      search: 'AllSky',
      properties: EM_BRIGHT,
      classification: P_ASTRO,
      duration: null,
      central_frequency: null,
      skymap,
    },
    external_coinc: null,
  });
  roundTrips(packet);
});

test('every alert type maps to the packet enumeration; less-significant is a non-significant PRELIMINARY', () => {
  const expected: Record<string, [string, boolean | null]> = {
    earlywarning: ['EARLYWARNING', true],
    'less-significant': ['PRELIMINARY', false],
    preliminary: ['PRELIMINARY', true],
    initial: ['INITIAL', true],
    update: ['UPDATE', true],
    retraction: ['RETRACTION', null],
  };
  for (const type of PIPELINE_ALERT_TYPES) {
    const packet = buildAlertPacket({ superevent: cbcSuperevent(), alertType: type, now: NOW });
    assert.equal(packet.alert_type, expected[type][0], type);
    assert.equal(packet.event?.significant ?? null, expected[type][1], type);
    roundTrips(packet);
  }
});

test('a retraction has a null event and no coincidence block even when given one', () => {
  const s = cbcSuperevent();
  s.em_type = 'E412345';
  const packet = buildAlertPacket({
    superevent: s,
    alertType: 'retraction',
    skymap: smallSkymap(),
    externalEvent: grbExternalEvent(),
    now: NOW,
  });
  assert.equal(packet.event, null);
  assert.equal(packet.external_coinc, null);
  assert.equal(packet.superevent_id, 'S230518h');
  roundTrips(packet);
});

test('Burst duration and central frequency follow the pipeline rules', () => {
  const cwb = buildAlertPacket({ superevent: burstSuperevent('CWB'), alertType: 'preliminary' });
  assert.equal(cwb.event?.group, 'Burst');
  assert.equal(cwb.event?.duration, 0.017816);
  assert.equal(cwb.event?.central_frequency, 61.417622);
  const mly = buildAlertPacket({ superevent: burstSuperevent('MLy'), alertType: 'preliminary' });
  assert.equal(mly.event?.duration, 0.24281376600265503);
  assert.equal(mly.event?.central_frequency, 367.1429748535156);
  const olib = buildAlertPacket({ superevent: burstSuperevent('oLIB'), alertType: 'preliminary' });
  // duration = Q / (2π f)
  assert.equal(olib.event?.duration, 6.574701487686878 / (2 * Math.PI * 45.58331038957203));
  assert.ok(Math.abs(olib.event!.duration! - 0.022955687776427616) < 1e-15);
  assert.equal(olib.event?.central_frequency, 45.58331038957203);
  for (const p of [cwb, mly, olib]) roundTrips(p);
});

test('cWB in the BBH search is reported as CBC, without burst numbers', () => {
  const packet = buildAlertPacket({
    superevent: burstSuperevent('CWB', 'BBH'),
    alertType: 'preliminary',
    pAstro: P_ASTRO,
  });
  assert.equal(packet.event?.group, 'CBC');
  assert.equal(packet.event?.pipeline, 'CWB');
  assert.equal(packet.event?.duration, null);
  assert.equal(packet.event?.central_frequency, null);
  roundTrips(packet);
});

test('an unknown Burst pipeline is an error naming the event; nothing is built', () => {
  const s = burstSuperevent('CWB');
  s.preferred_event_data!.pipeline = 'Omicron';
  assert.throws(
    () => buildAlertPacket({ superevent: s, alertType: 'preliminary' }),
    (err: Error) =>
      err instanceof AlertFormatError &&
      /G1000123/.test(err.message) &&
      /Omicron/.test(err.message),
  );
  const olib = burstSuperevent('oLIB');
  (
    olib.preferred_event_data!.extra_attributes!.LalInferenceBurst as Record<string, unknown>
  ).frequency_mean = 0;
  assert.throws(
    () => buildAlertPacket({ superevent: olib, alertType: 'initial' }),
    /frequency_mean/,
  );
});

test('a RAVEN coincidence adds the external_coinc block', () => {
  const s = cbcSuperevent();
  s.em_type = 'E412345';
  s.time_coinc_far = 5.2e-8;
  s.space_coinc_far = 1.3e-9;
  const combined = smallSkymap();
  const packet = buildAlertPacket({
    superevent: s,
    alertType: 'initial',
    skymap: smallSkymap(),
    externalEvent: grbExternalEvent(),
    combinedSkymap: combined,
    now: NOW,
  });
  assert.deepEqual(packet.external_coinc, {
    gcn_notice_id: 706212563,
    ivorn: 'ivo://nasa.gsfc.gcn/Fermi#GBM_Fin_Pos2023-05-18T12:59:08.00_706212563_0-025',
    observatory: 'Fermi',
    search: 'GRB',
    // external − superevent t0, rounded to 0.01 s
    time_difference: 0.42,
    time_coincidence_far: 5.2e-8,
    time_sky_position_coincidence_far: 1.3e-9,
    combined_skymap: combined,
  });
  roundTrips(packet);
  const noMap = buildAlertPacket({
    superevent: s,
    alertType: 'initial',
    externalEvent: grbExternalEvent(),
  });
  assert.equal(noMap.external_coinc?.combined_skymap, null);
  roundTrips(noMap);
});

test('an external trigger id that does not fit the 32-bit field is refused', () => {
  const external = grbExternalEvent();
  external.extra_attributes!.GRB!.trigger_id = '699554499710_20512';
  assert.throws(
    () =>
      buildAlertPacket({
        superevent: cbcSuperevent(),
        alertType: 'initial',
        externalEvent: external,
      }),
    /E412345.*trigger_id.*32-bit/,
  );
  external.extra_attributes!.GRB!.trigger_id = '4294967296';
  assert.throws(
    () =>
      buildAlertPacket({
        superevent: cbcSuperevent(),
        alertType: 'initial',
        externalEvent: external,
      }),
    /32-bit/,
  );
});

test('bad input names the superevent and the field', () => {
  const s = cbcSuperevent();
  s.far = Number.NaN;
  assert.throws(
    () => buildAlertPacket({ superevent: s, alertType: 'preliminary' }),
    /S230518h: far/,
  );
  const t = cbcSuperevent();
  delete t.preferred_event_data;
  assert.throws(
    () => buildAlertPacket({ superevent: t, alertType: 'preliminary' }),
    /S230518h: preferred_event_data is missing/,
  );
  assert.throws(
    () =>
      buildAlertPacket({
        superevent: cbcSuperevent(),
        alertType: 'preliminary',
        pAstro: { BNS: '0.3' },
      }),
    /p_astro.BNS must be a finite number/,
  );
  assert.throws(
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    () => buildAlertPacket({ superevent: cbcSuperevent(), alertType: 'prelim' as any }),
    /unknown alert type 'prelim'/,
  );
  // The retraction path still needs an id and a link.
  const u = cbcSuperevent();
  u.links = { self: 'https://gracedb.example.org/superevents/S230518h/' };
  assert.throws(() => buildAlertPacket({ superevent: u, alertType: 'retraction' }), /no \/api\//);
});

test('validation reports schema violations from both schemas', () => {
  const packet = buildAlertPacket({ superevent: cbcSuperevent(), alertType: 'update', now: NOW });
  const broken = structuredClone(packet) as unknown as Record<string, Record<string, unknown>>;
  broken.event.far = 'tiny';
  broken.event.instruments = 'H1,L1';
  const problems = alertPacketProblems(broken as unknown as AlertPacket);
  assert.ok(
    problems.some((p) => p.startsWith('Avro:') && p.includes('far')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('JSON Schema:') && p.includes('/event')),
    problems.join('\n'),
  );
  assert.throws(
    () => validateAlertPacket(broken as unknown as AlertPacket),
    /S230518h UPDATE is invalid/,
  );
  const retraction = { ...packet, alert_type: 'RETRACTION' as const };
  assert.match(alertPacketProblems(retraction).join(), /RETRACTION must have event null/);
  const notTime = { ...packet, time_created: 'yesterday' };
  assert.match(alertPacketProblems(notTime).join(), /time_created/);
});

test('the Avro encoding is one container with exactly one record and the full writer schema', () => {
  const packet = buildAlertPacket({
    superevent: cbcSuperevent(),
    alertType: 'preliminary',
    skymap: smallSkymap(),
    now: NOW,
  });
  const bytes = encodeAlertAvro(packet);
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'Obj\x01');
  const container = readContainer(bytes);
  assert.equal(container.records.length, 1);
  assert.equal(container.codec, 'null');
  assert.equal((container.writerSchema as { name: string }).name, 'igwn.alerts.v1_0.Alert');
  // Two containers concatenated, or a truncated one, are refused with a clear error.
  assert.throws(() => decodeAlertAvro(bytes.subarray(0, bytes.length - 3)), /truncated/);
  assert.throws(() => decodeAlertAvro(Buffer.from('{"alert_type": 1}')), /not an Avro container/);
});

test('the JSON encoding matches the reference layout byte for byte (golden file)', () => {
  const s = cbcSuperevent();
  s.em_type = 'E412345';
  s.time_coinc_far = 5.2e-8;
  s.space_coinc_far = null;
  const packet = buildAlertPacket({
    superevent: s,
    alertType: 'initial',
    skymap: Buffer.from('SIMPLE  =                    T'),
    emBright: EM_BRIGHT,
    pAstro: P_ASTRO,
    externalEvent: grbExternalEvent(),
    now: NOW,
  });
  const text = encodeAlertJson(packet).toString('utf8');
  assert.equal(text, golden('S230518h-initial.json', text).toString('utf8'));
  // Python's separators and float layout, base64 sky map.
  assert.match(text, /"properties": \{"HasNS": 1\.0, "HasRemnant": 0\.27, "HasMassGap": 0\.0\}/);
  assert.match(text, /"skymap": "U0lNUExF/);
  assert.match(text, /"time_sky_position_coincidence_far": null/);
  // A fixed sync marker gives reproducible Avro bytes.
  const avro = encodeAlertAvro(packet, { syncMarker: new Uint8Array(16).fill(7) });
  assert.deepEqual(avro, golden('S230518h-initial.avro', avro));
  assert.deepEqual(decodeAlertAvro(golden('S230518h-initial.avro', avro)), packet);
});

test('JSON decoding refuses bad base64 and schema violations', () => {
  const packet = buildAlertPacket({
    superevent: cbcSuperevent(),
    alertType: 'preliminary',
    skymap: smallSkymap(),
    now: NOW,
  });
  const value = JSON.parse(encodeAlertJson(packet).toString());
  value.event.skymap = 'not*base64';
  assert.throws(
    () => decodeAlertJson(JSON.stringify(value), 'S230518h-preliminary.json'),
    /S230518h-preliminary.json.*event.skymap is not standard base64/,
  );
  delete value.urls;
  assert.throws(() => decodeAlertJson(JSON.stringify(value)), /must have required property 'urls'/);
  assert.throws(() => decodeAlertJson('{"alert_type": '), /not JSON/);
});

test(
  'the reference fixtures build valid packets: MS220722v with its BAYESTAR map, and the S230413 bursts',
  needsShared(
    'gwcelery/tests/MS220722v.json',
    'gwcelery/tests/MS220722v_bayestar.multiorder.fits',
    'gwcelery/tests/S230413b.json',
    'gwcelery/tests/S230413g.json',
    'gwcelery/tests/S230413h.json',
  ),
  () => {
    const superevent = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/MS220722v.json')!, 'utf8'),
    );
    const skymap = readFileSync(sharedData('gwcelery/tests/MS220722v_bayestar.multiorder.fits')!);
    const packet = buildAlertPacket({
      superevent,
      alertType: 'less-significant',
      skymap,
      emBright: EM_BRIGHT,
      pAstro: P_ASTRO,
      now: NOW,
    });
    assert.equal(packet.urls.gracedb, 'https://gracedb-test.ligo.org/superevents/MS220722v/view/');
    assert.equal(packet.event?.time, '2022-07-22T21:57:12.382Z');
    assert.equal(packet.event?.search, 'MDC');
    assert.equal(packet.event?.significant, false);
    roundTrips(packet);
    // base64 grows the 777 600-byte map by 4/3.
    assert.ok(
      encodeAlertJson(packet)
        .toString()
        .includes(`"skymap": "${skymap.toString('base64')}"`),
    );
    assert.equal(skymap.toString('base64').length, 1036800);

    const expected: Record<string, [number, number, string[]]> = {
      'S230413b.json': [0.017816, 61.417622, ['H1', 'L1']],
      'S230413g.json': [0.24281376600265503, 367.1429748535156, ['H1', 'L1', 'V1']],
      'S230413h.json': [0.022955687776427616, 45.58331038957203, ['H1', 'L1']],
    };
    for (const [file, [duration, frequency, instruments]] of Object.entries(expected)) {
      const s = JSON.parse(readFileSync(sharedData(`gwcelery/tests/${file}`)!, 'utf8'));
      const p = buildAlertPacket({ superevent: s, alertType: 'preliminary', now: NOW });
      assert.ok(Math.abs(p.event!.duration! - duration) < 1e-15, file);
      assert.equal(p.event?.central_frequency, frequency, file);
      // MLy uploads its instruments as a Python list text; the packet still gets a clean list.
      assert.deepEqual(p.event?.instruments, instruments, file);
      roundTrips(p);
    }
  },
);
