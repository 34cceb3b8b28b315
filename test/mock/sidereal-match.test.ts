import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpsToUnix } from '../../src/formats/time/gps.js';
import {
  pickSiderealMatch,
  SIDEREAL_DAY_S,
  siderealShift,
} from '../../src/pipeline/mock/sidereal-match.js';
import { gpsToGmst } from '../../src/skymap/time.js';

/** Difference of two angles, folded into (−π, π]. */
function angleDifference(a: number, b: number): number {
  const d = (((a - b) % (2 * Math.PI)) + 3 * Math.PI) % (2 * Math.PI);
  return d - Math.PI;
}

const NOW = 1400000000.5;
/** Light crosses the Earth in 43 ms; a microsecond of sidereal phase is 7e-11 rad. */
const PHASE_TOLERANCE = 1e-9;

test('a sidereal shift keeps the sidereal time, lands before now, and spans whole sidereal days', () => {
  for (const event of [966387736.25, 971455701.75, 1000000000, 1126259462.4, NOW - 10]) {
    const shifted = siderealShift(event, NOW);
    assert.ok(shifted <= NOW, `${event}: ${shifted} is after now`);
    assert.ok(shifted > NOW - SIDEREAL_DAY_S, `${event}: more than a sidereal day before now`);
    assert.ok(
      Math.abs(angleDifference(gpsToGmst(shifted), gpsToGmst(event))) < PHASE_TOLERANCE,
      `${event}: sidereal time moved`,
    );
    // Whole days of Earth rotation, which runs on UTC: GPS time also counts the leap seconds
    // between (three from 2010 to now). The sidereal day itself drifts by far less than 0.1 s.
    const days = (gpsToUnix(shifted) - gpsToUnix(event)) / SIDEREAL_DAY_S;
    assert.ok(Math.abs(days - Math.round(days)) * SIDEREAL_DAY_S < 0.1, `${event}: ${days} days`);
  }
});

test('an event already at now stays at now', () => {
  assert.ok(Math.abs(siderealShift(NOW, NOW) - NOW) < 1e-6);
});

test('the pick is the coincidence whose sidereal time was passed most recently', async () => {
  // Three events at different sidereal phases, years before now.
  const events = [1000000000, 1000020000, 1000050000];
  const shifted = events.map((e) => siderealShift(e, NOW));
  const latest = shifted.indexOf(Math.max(...shifted));
  const pick = await pickSiderealMatch(events, NOW);
  assert.equal(pick.index, latest);
  assert.equal(pick.gps, shifted[latest]);
  assert.equal(pick.siderealDays, Math.round((NOW - events[latest]!) / SIDEREAL_DAY_S));
  assert.ok(Math.abs(pick.shiftS - (pick.gps - events[latest]!)) < 1e-6);
});

test('a time already used by an MDC superevent is skipped for the next most recent one', async () => {
  const events = [1000000000, 1000020000, 1000050000];
  const order = events
    .map((e, index) => ({ index, gps: siderealShift(e, NOW) }))
    .sort((a, b) => b.gps - a.gps);
  const asked: [number, number][] = [];
  const pick = await pickSiderealMatch(events, NOW, {
    taken: async (from, to) => {
      asked.push([from, to]);
      return [{ start: order[0]!.gps - 1, end: order[0]!.gps + 1 }];
    },
  });
  assert.equal(pick.index, order[1]!.index);
  assert.equal(asked.length, 1, 'one query covers the most recent sidereal day');
  assert.ok(asked[0]![0] <= NOW - SIDEREAL_DAY_S && asked[0]![1] >= NOW);
});

test('when the whole last sidereal day is used, the match moves back one more day', async () => {
  const events = [1000000000, 1000020000];
  const pick = await pickSiderealMatch(events, NOW, {
    taken: async (from) =>
      from > NOW - 1.5 * SIDEREAL_DAY_S ? [{ start: NOW - SIDEREAL_DAY_S, end: NOW }] : [],
  });
  assert.ok(pick.gps < NOW - SIDEREAL_DAY_S + 5 && pick.gps > NOW - 2 * SIDEREAL_DAY_S);
  assert.ok(
    Math.abs(angleDifference(gpsToGmst(pick.gps), gpsToGmst(events[pick.index]!))) <
      PHASE_TOLERANCE,
  );
});

test('no free time within the look-back is an error that says what to change', async () => {
  await assert.rejects(
    pickSiderealMatch([1000000000], NOW, {
      maxDays: 3,
      taken: async (from, to) => [{ start: from, end: to }],
    }),
    /every sidereal match of the 1 coincidences in the last 3 sidereal days.*mock_events_interval_s/,
  );
  await assert.rejects(pickSiderealMatch([], NOW), /no coincidences/);
});
