import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  type CreateLvkVoeventInput,
  createLvkVoevent,
  findGroup,
  findParam,
  LVK_NOTICE_TYPES,
  type LvkNoticeType,
  parseVoevent,
  readLvkVoevent,
  VoeventError,
  VoeventRequestError,
  writeVoevent,
} from '../../src/formats/voevent/index.js';
import {
  burstSuperevent,
  cbcSuperevent,
  golden,
  grbExternalEvent,
} from '../helpers/alert-fixtures.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const NOW = new Date('2023-05-18T13:00:41Z');
const CODES: Record<LvkNoticeType, string> = {
  EarlyWarning: 'EW',
  Preliminary: 'PR',
  Initial: 'IN',
  Update: 'UP',
  Retraction: 'RE',
};

function input(
  type: LvkNoticeType,
  overrides: Partial<CreateLvkVoeventInput> = {},
): CreateLvkVoeventInput {
  return {
    superevent: cbcSuperevent(),
    serial: 2,
    previousIvorns: ['ivo://gwnet/LVC#S230518h-1-Preliminary'],
    now: NOW,
    fileVersion: (name) => (name === 'bayestar.multiorder.fits' ? 1 : undefined),
    request: {
      voevent_type: CODES[type],
      internal: false,
      open_alert: true,
      skymap_filename: 'bayestar.multiorder.fits',
      skymap_type: 'bayestar',
      Significant: true,
      ProbHasNS: 1.0,
      ProbHasRemnant: 0.27,
      HasMassGap: 0.0,
      BNS: 0.0,
      NSBH: 0.99,
      BBH: 0.0,
      Terrestrial: 0.01,
    },
    ...overrides,
  };
}

const COMMON = [
  'Packet_Type',
  'internal',
  'Pkt_Ser_Num',
  'GraceID',
  'AlertType',
  'HardwareInj',
  'OpenAlert',
  'EventPage',
];
const EVENT_PARAMS = ['Instruments', 'FAR', 'Significant', 'Group', 'Pipeline', 'Search'];

test('each notice type carries the Params and Groups of the per-type matrix', () => {
  const packetTypes: Record<LvkNoticeType, string> = {
    EarlyWarning: '163',
    Preliminary: '150',
    Initial: '151',
    Update: '152',
    Retraction: '164',
  };
  for (const type of LVK_NOTICE_TYPES) {
    const { xml, ivorn, filename } = createLvkVoevent(input(type));
    const doc = parseVoevent(xml);
    const names = doc.what!.params.map((p) => p.name);
    assert.equal(ivorn, `ivo://gwnet/LVC#S230518h-2-${type}`);
    assert.equal(filename, `S230518h-2-${type}.xml`);
    assert.equal(doc.ivorn, ivorn);
    assert.equal(findParam(doc, 'Packet_Type')?.value, packetTypes[type]);
    assert.equal(findParam(doc, 'AlertType')?.value, type);
    assert.equal(doc.whereWhen?.isoTime, '2023-05-18T12:59:08.080078Z', type);
    assert.equal(doc.whereWhen?.observatoryLocation, 'LIGO Virgo');
    assert.equal(doc.whereWhen?.coordSystem, 'UTC-FK5-GEO');
    assert.equal(doc.who?.date, '2023-05-18T13:00:41Z');
    assert.deepEqual(doc.who?.author, [
      [
        'contactName',
        'LIGO Scientific Collaboration, Virgo Collaboration, and KAGRA Collaboration',
      ],
    ]);
    assert.deepEqual(doc.citations?.eventIvorns, [
      {
        ivorn: 'ivo://gwnet/LVC#S230518h-1-Preliminary',
        cite: type === 'Retraction' ? 'retraction' : 'supersedes',
      },
    ]);
    if (type === 'Retraction') {
      assert.deepEqual(names, COMMON);
      assert.equal(doc.what!.groups.length, 0);
      assert.equal(doc.how, undefined);
      assert.equal(doc.description, undefined);
      assert.equal(doc.citations?.description, 'Determined to not be a viable GW event candidate');
      continue;
    }
    assert.deepEqual(names, [...COMMON, ...EVENT_PARAMS], type);
    assert.deepEqual(
      doc.what!.groups.map((g) => g.name),
      ['GW_SKYMAP', 'Classification', 'Properties'],
    );
    assert.equal(
      findGroup(doc, 'GW_SKYMAP')?.params[0].value,
      'https://gracedb.example.org/api/superevents/S230518h/files/bayestar.multiorder.fits,1',
    );
    assert.deepEqual(
      findGroup(doc, 'Classification')?.params.map((p) => [p.name, p.value, p.ucd]),
      [
        ['BNS', '0.0', 'stat.probability'],
        ['NSBH', '0.99', 'stat.probability'],
        ['BBH', '0.0', 'stat.probability'],
        ['Terrestrial', '0.01', 'stat.probability'],
      ],
    );
    assert.deepEqual(
      findGroup(doc, 'Properties')?.params.map((p) => [p.name, p.value]),
      [
        ['HasNS', '1.0'],
        ['HasRemnant', '0.27'],
        ['HasMassGap', '0.0'],
      ],
    );
    assert.deepEqual(doc.how?.descriptions, [
      'Candidate gravitational wave event identified by low-latency analysis',
      'H1: LIGO Hanford 4 km gravitational wave detector',
      'L1: LIGO Livingston 4 km gravitational wave detector',
    ]);
    assert.equal(
      doc.description,
      type === 'EarlyWarning'
        ? 'Early warning report of a candidate gravitational wave event'
        : 'Report of a candidate gravitational wave event',
    );
  }
});

test('Param values, units, UCDs and data types follow GraceDB', () => {
  const doc = parseVoevent(createLvkVoevent(input('Preliminary')).xml);
  const far = findParam(doc, 'FAR')!;
  assert.deepEqual(
    { value: far.value, unit: far.unit, ucd: far.ucd, dataType: far.dataType },
    { value: '3.168e-10', unit: 'Hz', ucd: 'arith.rate;stat.falsealarm', dataType: 'float' },
  );
  assert.equal(findParam(doc, 'internal')?.value, '0');
  assert.equal(findParam(doc, 'OpenAlert')?.value, '1');
  assert.equal(findParam(doc, 'HardwareInj')?.value, '0');
  assert.equal(findParam(doc, 'Significant')?.value, '1');
  assert.equal(findParam(doc, 'Pkt_Ser_Num')?.dataType, 'int');
  assert.equal(findParam(doc, 'GraceID')?.ucd, 'meta.id');
  assert.equal(findParam(doc, 'Instruments')?.value, 'H1,L1');
  assert.equal(
    findParam(doc, 'EventPage')?.value,
    'https://gracedb.example.org/superevents/S230518h/view/',
  );
  assert.match(
    findParam(doc, 'Packet_Type')!.description!,
    /type=150 is an LVC_PRELIMINARY notice/,
  );
  assert.equal(doc.role, 'observation');
});

test('notices read back to what was written, and the XML re-serialises to the same bytes', () => {
  const variants: CreateLvkVoeventInput[] = [
    ...LVK_NOTICE_TYPES.map((t) => input(t)),
    input('Preliminary', {
      superevent: burstSuperevent('CWB'),
      request: {
        voevent_type: 'PR',
        Significant: 'False',
        skymap_filename: 'cwb.multiorder.fits,0',
        skymap_type: 'cwb',
      },
    }),
    input('Preliminary', {
      serial: 1,
      previousIvorns: [],
      request: { voevent_type: 'preliminary' },
    }),
  ];
  for (const v of variants) {
    const created = createLvkVoevent(v);
    assert.deepEqual(readLvkVoevent(created.xml), created.notice, created.ivorn);
    assert.equal(writeVoevent(parseVoevent(created.xml)), created.xml, created.ivorn);
  }
});

test('Burst notices: cWB carries CentralFreq and Duration, oLIB frequency, MLy neither; groups stay empty', () => {
  const req = { voevent_type: 'PR', Significant: true };
  const cwb = parseVoevent(
    createLvkVoevent(input('Preliminary', { superevent: burstSuperevent('CWB'), request: req }))
      .xml,
  );
  assert.deepEqual(
    ['CentralFreq', 'Duration'].map((n) => [findParam(cwb, n)?.value, findParam(cwb, n)?.unit]),
    [
      ['61.417622', 'Hz'],
      ['0.017816', 's'],
    ],
  );
  assert.equal(findParam(cwb, 'Group')?.value, 'Burst');
  assert.equal(findGroup(cwb, 'Classification')?.params.length, 0);
  assert.match(findGroup(cwb, 'Classification')!.description!, /Source classification/);
  assert.equal(findGroup(cwb, 'GW_SKYMAP'), undefined, 'no sky map given: no GW_SKYMAP group');
  const olib = parseVoevent(
    createLvkVoevent(input('Preliminary', { superevent: burstSuperevent('oLIB'), request: req }))
      .xml,
  );
  assert.equal(findParam(olib, 'frequency')?.value, '45.58331038957203');
  assert.equal(findParam(olib, 'CentralFreq'), undefined);
  const mly = parseVoevent(
    createLvkVoevent(input('Preliminary', { superevent: burstSuperevent('MLy'), request: req }))
      .xml,
  );
  assert.equal(findParam(mly, 'CentralFreq'), undefined);
  assert.equal(findParam(mly, 'Duration'), undefined);
});

test('a RAVEN notice carries the External Coincidence group first', () => {
  const s = cbcSuperevent();
  s.em_type = 'E412345';
  s.time_coinc_far = 5.2e-8;
  s.space_coinc_far = 1.3e-9;
  const base = input('Initial');
  const created = createLvkVoevent({
    ...base,
    superevent: s,
    externalEvent: grbExternalEvent(),
    fileVersion: (name) =>
      ({ 'bayestar.multiorder.fits': 1, 'combined-ext.multiorder.fits': 0 })[name],
    request: {
      ...base.request,
      raven_coinc: 'True',
      combined_skymap_filename: 'combined-ext.multiorder.fits',
      CoincComment: true,
    },
  });
  const doc = parseVoevent(created.xml);
  assert.deepEqual(
    doc.what!.groups.map((g) => g.name),
    ['External Coincidence', 'GW_SKYMAP', 'Classification', 'Properties'],
  );
  assert.deepEqual(
    findGroup(doc, 'External Coincidence')!.params.map((p) => [p.name, p.value]),
    [
      ['External_GCN_Notice_Id', '706212563'],
      [
        'External_Ivorn',
        'ivo://nasa.gsfc.gcn/Fermi#GBM_Fin_Pos2023-05-18T12:59:08.00_706212563_0-025',
      ],
      ['External_Observatory', 'Fermi'],
      ['External_Search', 'GRB'],
      ['Time_Difference', '0.42'],
      ['Time_Coincidence_FAR', '5.2e-08'],
      ['Time_Sky_Position_Coincidence_FAR', '1.3e-09'],
      [
        'joint_skymap_fits',
        'https://gracedb.example.org/api/superevents/S230518h/files/combined-ext.multiorder.fits,0',
      ],
    ],
  );
  assert.equal(
    doc.how?.descriptions.at(-1),
    'A gravitational wave trigger identified a possible counterpart GRB',
  );
  assert.deepEqual(readLvkVoevent(created.xml), created.notice);
});

test('MDC and Test superevents are role test; MS ids keep their prefix', () => {
  const s = cbcSuperevent();
  s.superevent_id = 'MS230518h';
  s.links.self = 'https://gracedb.example.org/api/superevents/MS230518h/';
  s.preferred_event_data!.search = 'MDC';
  const created = createLvkVoevent(input('Preliminary', { superevent: s, previousIvorns: [] }));
  assert.equal(parseVoevent(created.xml).role, 'test');
  assert.equal(created.filename, 'MS230518h-2-Preliminary.xml');
  assert.equal(parseVoevent(created.xml).citations, undefined, 'nothing earlier to cite');
});

test('requests GraceDB refuses are refused with its messages', () => {
  const refuse = (overrides: Partial<CreateLvkVoeventInput>, message: string | RegExp) =>
    assert.throws(
      () => createLvkVoevent({ ...input('Initial'), ...overrides }),
      (err: Error) => {
        assert.ok(err instanceof VoeventRequestError, err.message);
        if (typeof message === 'string') assert.equal(err.message, message);
        else assert.match(err.message, message);
        return true;
      },
    );
  refuse({ request: { voevent_type: 'XX' } }, 'You must provide a valid voevent_type.');
  refuse(
    { request: { voevent_type: 'IN' } },
    'Skymap filename is required for initial and update VOEvents.',
  );
  refuse(
    { request: { voevent_type: 'PR', skymap_filename: 'bayestar.multiorder.fits' } },
    'Skymap type is required for VOEvents that include a skymap.',
  );
  refuse(
    { request: { voevent_type: 'PR', skymap_filename: 'nope.fits', skymap_type: 'nope' } },
    'Skymap file nope.fits not found for this superevent.',
  );
  refuse(
    { request: { voevent_type: 'PR', MassGap: 0.1 } },
    'MassGap has been replaced with HasMassGap',
  );
  refuse(
    { request: { voevent_type: 'PR', raven_coinc: true } },
    'em_type for superevent S230518h not set (is None)',
  );
  refuse({ request: { voevent_type: 'PR', BNS: 1.5 } }, /BNS must be between 0 and 1/);
  refuse(
    { request: { voevent_type: 'PR', Significant: 'maybe' } },
    /Significant must be a boolean/,
  );
  const s = cbcSuperevent();
  s.preferred_event_data!.gpstime = null;
  refuse(
    { superevent: s, request: { voevent_type: 'PR' } },
    'Cannot build a VOEvent because preferred event does not have a gpstime.',
  );
  const e = cbcSuperevent();
  e.em_type = 'E999';
  refuse(
    {
      superevent: e,
      request: { voevent_type: 'PR', raven_coinc: true },
      externalEvent: grbExternalEvent(),
    },
    'event for em_type=E999 not found',
  );
});

test('a second preliminary matches the committed golden notice byte for byte', () => {
  const { xml } = createLvkVoevent(input('Preliminary'));
  assert.equal(xml, golden('S230518h-2-Preliminary.xml', xml).toString('utf8'));
  assert.ok(xml.startsWith("<?xml version='1.0' encoding='UTF-8'?>\n<voe:VOEvent xmlns:xsi="));
});

test('the parser refuses entity declarations, foreign namespaces and broken XML with the source named', () => {
  const good = createLvkVoevent(input('Preliminary')).xml;
  const bomb = good.replace('<voe:VOEvent', '<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<voe:VOEvent');
  assert.throws(
    () => parseVoevent(bomb, 'evil.xml'),
    (err: Error) => err instanceof VoeventError && /evil.xml: a DOCTYPE/.test(err.message),
  );
  assert.throws(
    () => parseVoevent(good.replace('/view/', '/view/&bogus;')),
    /undeclared entity &bogus;/,
  );
  const v11 = good.replace(
    'http://www.ivoa.net/xml/VOEvent/v2.0"',
    'http://www.ivoa.net/xml/VOEvent/v1.1"',
  );
  assert.throws(
    () => parseVoevent(v11, 'old.xml'),
    /old.xml: VOEvent namespace is 'http:\/\/www.ivoa.net\/xml\/VOEvent\/v1.1'/,
  );
  assert.throws(() => parseVoevent(good.slice(0, 500), 'cut.xml'), /cut.xml: not well-formed XML/);
  assert.throws(
    () => parseVoevent('<Transport role="ack"/>', 'peer'),
    /root element is <Transport>/,
  );
  assert.throws(
    () => readLvkVoevent(good.replace(/<Param name="AlertType"[\s\S]*?<\/Param>/, '')),
    /Param AlertType is missing/,
  );
  // Escaped characters come back decoded.
  const amp = parseVoevent(good.replace('/view/', '/view/?a=1&amp;b=&#x32;'));
  assert.equal(
    findParam(amp, 'EventPage')?.value,
    'https://gracedb.example.org/superevents/S230518h/view/?a=1&b=2',
  );
});

test(
  'the reference notices read: the O2-era G298048 Initial and the embedded 2017 Preliminary',
  needsShared('gwcelery/tests/G298048-1-Initial.xml', 'gwcelery/tests/igwn_alert_voevent.json'),
  () => {
    const legacy = readLvkVoevent(
      readFileSync(sharedData('gwcelery/tests/G298048-1-Initial.xml')!),
      'G298048-1-Initial.xml',
    );
    assert.equal(legacy.graceid, 'G298048');
    assert.equal(legacy.type, 'Initial');
    assert.equal(legacy.packetType, 151);
    assert.equal(legacy.serial, 1);
    assert.equal(legacy.isoTime, '2017-08-17T12:41:04.445710Z');
    assert.equal(legacy.far, 3.47773444765e-12);
    assert.deepEqual(legacy.instruments, ['H1']);
    assert.deepEqual(legacy.properties, { HasNS: 1, HasRemnant: 1 });
    assert.equal(
      legacy.skymapUrl,
      'https://gracedb.ligo.org/events/G298048/files/bayestar.fits.gz',
    );
    const alert = JSON.parse(
      readFileSync(sharedData('gwcelery/tests/igwn_alert_voevent.json')!, 'utf8'),
    );
    const preliminary = readLvkVoevent(alert.object.text, alert.object.file);
    assert.equal(preliminary.graceid, 'M297123');
    assert.equal(preliminary.type, 'Preliminary');
    assert.equal(preliminary.role, 'test');
    assert.equal(preliminary.far, 9.11069936486e-14);
  },
);

test(
  'our Initial carries every Param of the reference Initial that the current layout kept',
  needsShared('gwcelery/tests/G298048-1-Initial.xml'),
  () => {
    const reference = parseVoevent(
      readFileSync(sharedData('gwcelery/tests/G298048-1-Initial.xml')!),
    );
    const ours = parseVoevent(createLvkVoevent(input('Initial')).xml);
    const names = (doc: typeof ours) =>
      new Set(
        [...doc.what!.params, ...doc.what!.groups.flatMap((g) => g.params)].map((p) => p.name),
      );
    // Dropped or renamed since O3 (notices-and-transport §2.8): Retraction → type 164, Vetted
    // removed, ProbHasNS/ProbHasRemnant → Properties HasNS/HasRemnant, per-protocol sky-map URLs →
    // skymap_fits.
    const renamed: Record<string, string | null> = {
      Retraction: null,
      Vetted: null,
      ProbHasNS: 'HasNS',
      ProbHasRemnant: 'HasRemnant',
      skymap_fits_shib: 'skymap_fits',
      skymap_fits_x509: 'skymap_fits',
      skymap_fits_basic: 'skymap_fits',
      skymap_png_shib: null,
      skymap_png_x509: null,
      skymap_png_basic: null,
    };
    const have = names(ours);
    for (const name of names(reference)) {
      const current = name in renamed ? renamed[name] : name;
      if (current !== null)
        assert.ok(have.has(current), `reference Param ${name} (now ${current}) is missing`);
    }
  },
);
