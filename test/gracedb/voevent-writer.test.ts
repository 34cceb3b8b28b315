import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  findGroup,
  findParam,
  parseVoevent,
  readLvkVoevent,
} from '../../src/formats/voevent/index.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { coincXml } from './coinc-fixture.js';
import { startTestGraceDb, type TestGraceDb } from './helpers.js';

/**
 * The embedded GraceDB renders VOEvents with the project's LVK notice writer: every notice it
 * creates reads back with readLvkVoevent and carries the Params of notices-and-transport §2.7's
 * per-type matrix.
 */
let g: TestGraceDb;

before(async () => {
  g = await startTestGraceDb();
});
after(() => g?.close());

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
const DESCRIBED = ['Instruments', 'FAR', 'Significant', 'Group', 'Pipeline', 'Search'];

const CBC_REQUEST = {
  internal: false,
  open_alert: true,
  Significant: true,
  skymap_filename: 'bayestar.multiorder.fits',
  skymap_type: 'bayestar',
  ProbHasNS: 0.25,
  ProbHasRemnant: 0.125,
  HasMassGap: 0.0625,
  BNS: 0.5,
  NSBH: 0.25,
  BBH: 0.125,
  Terrestrial: 0.125,
};

async function cbcSuperevent(iso: string) {
  const t = unixToGps(Date.parse(iso) / 1000) + 0.654437;
  const event = await g.client.createEvent(
    coincXml({ gpstime: t, far: 9.11069936486e-14, ifos: ['H1', 'L1', 'V1'] }),
    'AllSky',
    'gstlal',
    'CBC',
  );
  const sid = (await g.client.createSuperevent(event.graceid, t, t - 1, t + 1))!;
  await g.client.upload(Buffer.from('SIMPLE'), 'bayestar.multiorder.fits', sid, 'sky map', [
    'sky_loc',
  ]);
  return { sid, t };
}

test('every notice type created through the service reads back with the per-type Params', async () => {
  const { sid } = await cbcSuperevent('2024-04-01T22:22:46Z');
  const sequence = [
    ['earlywarning', 'EarlyWarning', 163],
    ['preliminary', 'Preliminary', 150],
    ['initial', 'Initial', 151],
    ['update', 'Update', 152],
    ['retraction', 'Retraction', 164],
  ] as const;
  const ivorns: string[] = [];
  for (const [i, [request, type, packet]] of sequence.entries()) {
    const n = i + 1;
    const filename = await g.client.createVoevent(
      sid,
      request,
      type === 'Retraction' ? { internal: false, open_alert: true } : CBC_REQUEST,
    );
    assert.equal(filename, `${sid}-${n}-${type}.xml`);
    const xml = (await g.client.download(filename, sid)).toString('utf8');
    assert.ok(xml.startsWith("<?xml version='1.0' encoding='UTF-8'?>"), 'GraceDB declaration');
    const notice = readLvkVoevent(xml, filename);
    const document = parseVoevent(xml, filename);
    assert.equal(notice.ivorn, `ivo://gwnet/LVC#${sid}-${n}-${type}`);
    assert.equal(notice.type, type);
    assert.equal(notice.packetType, packet);
    assert.equal(notice.serial, n);
    assert.equal(notice.graceid, sid);
    assert.equal(notice.role, 'observation');
    assert.equal(notice.internal, false);
    assert.equal(notice.openAlert, true);
    assert.equal(notice.hardwareInj, false);
    assert.equal(
      notice.eventPage,
      `${g.service.url.replace(/api\/$/, '')}superevents/${sid}/view/`,
    );
    assert.equal(notice.isoTime, '2024-04-01T22:22:46.654437Z');
    for (const name of COMMON) assert.ok(findParam(document, name), `${type}: ${name}`);
    // Citations: every earlier notice, superseded (or retracted by the retraction).
    assert.deepEqual(
      notice.citations,
      ivorns.map((ivorn) => ({
        ivorn,
        cite: type === 'Retraction' ? 'retraction' : 'supersedes',
      })),
    );
    ivorns.push(notice.ivorn);
    if (type === 'Retraction') {
      for (const name of DESCRIBED) assert.equal(findParam(document, name), undefined, name);
      assert.equal(findGroup(document, 'GW_SKYMAP'), undefined);
      assert.equal(findGroup(document, 'Classification'), undefined);
      assert.equal(document.how, undefined, 'a retraction has no How');
      assert.equal(document.description, undefined);
      continue;
    }
    for (const name of DESCRIBED) assert.ok(findParam(document, name), `${type}: ${name}`);
    assert.deepEqual(notice.instruments, ['H1', 'L1', 'V1']);
    assert.equal(findParam(document, 'FAR')!.value, '9.11069936486e-14', 'Python float repr');
    assert.equal(notice.significant, true);
    assert.equal(notice.group, 'CBC');
    assert.equal(notice.pipeline, 'gstlal');
    assert.equal(notice.search, 'AllSky');
    assert.equal(
      notice.skymapUrl,
      `${g.service.url}superevents/${sid}/files/bayestar.multiorder.fits,0`,
    );
    assert.deepEqual(notice.classification, {
      BNS: 0.5,
      NSBH: 0.25,
      BBH: 0.125,
      Terrestrial: 0.125,
    });
    assert.deepEqual(notice.properties, { HasNS: 0.25, HasRemnant: 0.125, HasMassGap: 0.0625 });
    assert.equal(findGroup(document, 'External Coincidence'), undefined);
    assert.equal(document.how?.descriptions.length, 4, 'candidate + H1, L1, V1');
    assert.equal(
      document.description,
      type === 'EarlyWarning'
        ? 'Early warning report of a candidate gravitational wave event'
        : 'Report of a candidate gravitational wave event',
    );
  }
});

test('a less-significant preliminary says Significant 0 and omits GW_SKYMAP without a sky map', async () => {
  const { sid } = await cbcSuperevent('2024-04-02T00:00:00Z');
  const filename = await g.client.createVoevent(sid, 'preliminary', {
    internal: false,
    open_alert: true,
    Significant: false,
  });
  const notice = readLvkVoevent((await g.client.download(filename, sid)).toString(), filename);
  assert.equal(notice.significant, false);
  assert.equal(notice.skymapUrl, undefined);
  assert.deepEqual(notice.classification, {});
});

test('a cWB notice carries CentralFreq and Duration; a RAVEN notice the External Coincidence group', async () => {
  const cwb = await g.client.createEvent(
    readFileSync(new URL('../fixtures/gracedb/cwb-trigger.txt', import.meta.url)),
    'AllSky',
    'CWB',
    'Burst',
  );
  const burst = await g.client.getEvent(cwb.graceid);
  const multi = (burst.extra_attributes as Record<string, Record<string, number>>).MultiBurst!;
  const t = burst.gpstime as number;
  const sid = (await g.client.createSuperevent(cwb.graceid, t, t - 1, t + 1))!;
  const grb = await g.client.createEvent(
    readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url)),
    'GRB',
    'Fermi',
    'External',
  );
  await g.client.addEventToSuperevent(sid, grb.graceid);
  await g.client.updateSuperevent(sid, {
    em_type: grb.graceid,
    time_coinc_far: 1e-9,
    space_coinc_far: 1e-11,
  });
  const filename = await g.client.createVoevent(sid, 'preliminary', {
    internal: false,
    open_alert: true,
    Significant: true,
    raven_coinc: true,
  });
  const notice = readLvkVoevent((await g.client.download(filename, sid)).toString(), filename);
  assert.equal(notice.group, 'Burst');
  assert.equal(notice.pipeline, 'CWB');
  assert.equal(notice.centralFreq, multi.central_freq);
  assert.equal(notice.duration, multi.duration);
  const external = (await g.client.getEvent(grb.graceid)) as Record<string, unknown>;
  const coinc = notice.externalCoincidence!;
  assert.equal(coinc.observatory, 'Fermi');
  assert.equal(coinc.search, 'GRB');
  assert.equal(coinc.timeCoincidenceFar, 1e-9);
  assert.equal(coinc.timeSkyPositionCoincidenceFar, 1e-11);
  assert.equal(coinc.timeDifference, Math.round(((external.gpstime as number) - t) * 100) / 100);
  assert.ok(coinc.gcnNoticeId, 'the trigger id of the GRB notice');
  assert.ok(coinc.ivorn?.startsWith('ivo://'), 'the IVORN of the GRB notice');
});
