import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isoUtcToGps } from '../../src/formats/time/gps.js';
import { findGroup, findParam, parseVoevent } from '../../src/formats/voevent/index.js';
import { eventFromGrbVoevent } from '../../src/gracedb/service/event-from-grb-voevent.js';
import {
  DEFAULT_SNEWS_DETECTORS,
  snewsMdcNotice,
  snewsMdcNoticeXml,
  snewsMiscFlags,
} from '../../src/pipeline/mock/snews-notice.js';
import { needsShared, sharedData } from '../helpers/shared.js';

const FIXTURE = 'gwcelery/tests/snews_gcn.xml';

test('a mock SNEWS notice has the fields of a GCN SNEWS notice (packet type 149)', () => {
  // The burst time of GCN's own fixture: TJD 18379, SOD 57601.00.
  const gps = isoUtcToGps('2018-09-18T16:00:01Z');
  const xml = snewsMdcNoticeXml({ gpstime: gps, noticeGpstime: gps + 9 });
  const event = parseVoevent(xml, 'mock SNEWS');
  assert.equal(event.role, 'observation');
  assert.equal(event.ivorn, 'ivo://lvk.internal/SNEWS#MDC-test_event_2018-09-18T16:00:01.000Z');
  assert.match(event.ivorn.toLowerCase(), /mdc-test_event/, 'the marker that makes search MDC');
  const value = (name: string) => findParam(event, name)?.value;
  assert.equal(value('Packet_Type'), '149');
  assert.equal(value('TrigID'), String(Math.floor(gps)));
  assert.equal(value('Event_TJD'), '18379');
  assert.equal(value('Event_SOD'), '57601.00');
  assert.equal(findParam(event, 'Event_TJD')?.unit, 'days');
  assert.equal(value('Misc_flags'), snewsMiscFlags(DEFAULT_SNEWS_DETECTORS));
  assert.equal(
    findGroup(event, 'Trigger_ID')?.params.find((p) => p.name === 'Test')?.value,
    'false',
  );
  assert.equal(findGroup(event, 'Misc_Flags')?.params.length, 32, 'A–H × four flags');
  assert.equal(event.who?.date, '2018-09-18T16:00:10');
  assert.equal(event.whereWhen?.isoTime, '2018-09-18T16:00:01.00Z');
  assert.deepEqual(event.whereWhen?.position, {
    unit: 'deg',
    name1: 'RA',
    name2: 'Dec',
    c1: 0,
    c2: 0,
    errorRadius: 360,
  });
});

test('GraceDB reads the mock notice as an external event with its trigger id and time', () => {
  const gps = 1400000123.25;
  const parsed = eventFromGrbVoevent(Buffer.from(snewsMdcNoticeXml({ gpstime: gps })));
  assert.ok(Math.abs(parsed.gpstime! - gps) < 0.01);
  const grb = parsed.attributes.GRB as Record<string, unknown>;
  assert.equal(grb.trigger_id, '1400000123');
  assert.equal(grb.author_shortname, 'SNEWS (via VO-TAN)');
  assert.equal(grb.error_radius, 360);
});

test(
  'Misc_flags packs the detector flags as GCN does (checked against its SNEWS notice)',
  needsShared(FIXTURE),
  () => {
    const notice = parseVoevent(readFileSync(sharedData(FIXTURE)!), FIXTURE);
    const flags = findGroup(notice, 'Misc_Flags')!.params;
    const flag = (letter: string, name: string) =>
      flags.find((p) => p.name === `Detector_${letter}_${name}`)?.value === 'true';
    const detectors = 'ABCDEFGH'.split('').map((letter) => ({
      participate: flag(letter, 'Participate'),
      possible: flag(letter, 'Possible'),
      good: flag(letter, 'Good'),
      override: flag(letter, 'Override'),
    }));
    assert.equal(snewsMiscFlags(detectors), findParam(notice, 'Misc_flags')?.value);
  },
);

test('a notice needs a real time', () => {
  assert.throws(() => snewsMdcNotice({ gpstime: Number.NaN }), /GPS time/);
  assert.throws(() => snewsMdcNotice({ gpstime: -1 }), /GPS time/);
});
