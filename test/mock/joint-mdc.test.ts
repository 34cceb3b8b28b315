import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoUtcToGps } from '../../src/formats/time/gps.js';
import { findParam, parseVoevent } from '../../src/formats/voevent/index.js';
import { eventFromGrbVoevent } from '../../src/gracedb/service/event-from-grb-voevent.js';
import { grbMdcNotice, grbMdcNoticeXml } from '../../src/pipeline/mock/grb-notice.js';
import { chooseMissions, isJointMdc } from '../../src/pipeline/mock/joint-mdc.js';
import { seededRandom } from '../../src/pipeline/mock/random.js';

test('one superevent in joint_mdc_freq is joint, by its letters read as a number', () => {
  // With 10: j, t, ad, … as the reference documents.
  const joint = ['MS190124j', 'MS190124t', 'MS190124ad'];
  const not = ['MS190124a', 'MS190124k', 'MS190124ac'];
  for (const id of joint) assert.ok(isJointMdc(id, 10), id);
  for (const id of not) assert.ok(!isJointMdc(id, 10), id);
  assert.ok(isJointMdc('MS190124ab', 2), 'ab = 28');
  assert.ok(!isJointMdc('MS190124ac', 2), 'ac = 29');
  assert.ok(isJointMdc('MS190124a', 1), 'every one with 1');
  assert.ok(!isJointMdc('MS190124', 1), 'no letters, no number');
});

test('one to three GRBs from distinct missions, Fermi most often', () => {
  const random = seededRandom(9);
  const counts = [0, 0, 0, 0];
  const missions: Record<string, number> = {};
  const n = 3000;
  for (let i = 0; i < n; i++) {
    const chosen = chooseMissions(random);
    counts[chosen.length]!++;
    assert.equal(new Set(chosen).size, chosen.length, 'distinct missions');
    missions[chosen[0]!] = (missions[chosen[0]!] ?? 0) + 1;
  }
  // 60/30/10 % for one/two/three; σ ≤ 27 over 3000 draws, so ±150 is more than five sigma.
  assert.ok(Math.abs(counts[1]! - 0.6 * n) < 150, `${counts}`);
  assert.ok(Math.abs(counts[2]! - 0.3 * n) < 150, `${counts}`);
  assert.ok(Math.abs(counts[3]! - 0.1 * n) < 150, `${counts}`);
  assert.ok(Math.abs(missions.Fermi! - 0.6 * n) < 150, JSON.stringify(missions));
});

test('mock GRB notices carry each mission’s packet type and GraceDB reads them as MDC GRBs', () => {
  const gps = isoUtcToGps('2018-05-24T09:58:26.31Z');
  for (const [mission, packet, path] of [
    ['Fermi', '111', 'Fermi'],
    ['Swift', '61', 'SWIFT'],
    ['INTEGRAL', '53', 'INTEGRAL'],
  ] as const) {
    const xml = grbMdcNoticeXml({
      mission,
      gpstime: gps,
      ra: 140.05,
      dec: -39.05,
      errorRadius: 5.6,
    });
    const event = parseVoevent(xml, mission);
    assert.equal(event.ivorn, `ivo://lvk.internal/${path}#MDC-test_event_2018-05-24T09:58:26.310Z`);
    assert.equal(findParam(event, 'Packet_Type')?.value, packet);
    // GCN's own Fermi notice of this burst: TJD 18262, SOD 35906.31.
    assert.equal(findParam(event, 'Burst_TJD')?.value, '18262');
    assert.equal(findParam(event, 'Burst_SOD')?.value, '35906.31');
    const parsed = eventFromGrbVoevent(Buffer.from(xml));
    const grb = parsed.attributes.GRB as Record<string, unknown>;
    assert.equal(grb.ra, 140.05);
    assert.equal(grb.dec, -39.05);
    assert.equal(grb.error_radius, 5.6);
    assert.equal(grb.trigger_id, String(Math.floor(gps)));
  }
});

test('a GRB notice must be on the sky at a real time', () => {
  const ok = { mission: 'Fermi' as const, gpstime: 1e9, ra: 10, dec: 10, errorRadius: 5 };
  assert.throws(() => grbMdcNotice({ ...ok, ra: 360 }), /position RA 360/);
  assert.throws(() => grbMdcNotice({ ...ok, dec: -91 }), /Dec -91/);
  assert.throws(() => grbMdcNotice({ ...ok, errorRadius: 0 }), /error radius/);
  assert.throws(() => grbMdcNotice({ ...ok, gpstime: 0 }), /GPS time/);
  assert.throws(
    () => grbMdcNotice({ ...ok, mission: 'AGILE' as never }),
    /unknown mission 'AGILE'/,
  );
});
