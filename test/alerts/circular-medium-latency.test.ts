import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CircularError,
  composeGrbMediumLatency,
  DETECTION_FAP,
  type MediumLatencyInput,
} from '../../src/formats/circular/index.js';

const BASE: MediumLatencyInput = {
  graceid: 'E1234',
  eventUrl: 'https://gracedb.example/events/E1234/view/',
  observatory: 'Fermi',
  triggerId: '702763955',
  gpsTime: 1365450828.25,
};

test('no candidate from either search: upper limits with every exclusion distance', () => {
  const draft = composeGrbMediumLatency({
    ...BASE,
    xpipeline: { fap: 0.4, burstExclusionMpc: 71.4 },
    pygrb: { fap: 0.2, nsnsExclusionMpc: 120.6, nsbhExclusionMpc: 205.2 },
  });
  assert.equal(
    draft.subject,
    'Fermi trigger 702763955: Upper limits from LIGO/Virgo/KAGRA targeted searches',
  );
  assert.deepEqual(draft.detections, []);
  assert.deepEqual(draft.exclusions, ['CBC', 'Burst']);
  assert.ok(draft.text.startsWith(`SUBJECT: ${draft.subject}\n\n`));
  assert.match(draft.body, /2023-04-13 19:53:30\.25 UTC, GPS time 1365450828\.25; GraceDB E1234/);
  assert.match(
    draft.body,
    /binary neutron star progenitor, we exclude a merger closer than 121 Mpc/,
  );
  assert.match(draft.body, /neutron star–black hole progenitor, closer than 205 Mpc/);
  assert.match(draft.body, /we exclude a source closer than 71 Mpc/);
  assert.match(draft.body, /No significant gravitational-wave candidate was found/);
});

test('each search reports a candidate strictly below its own threshold', () => {
  const at = composeGrbMediumLatency({
    ...BASE,
    xpipeline: { fap: DETECTION_FAP.xpipeline, burstExclusionMpc: 50 },
    pygrb: { fap: DETECTION_FAP.pygrb, nsnsExclusionMpc: 100, nsbhExclusionMpc: 150 },
  });
  assert.deepEqual(at.detections, []);
  const below = composeGrbMediumLatency({
    ...BASE,
    xpipeline: { fap: DETECTION_FAP.xpipeline * 0.99 },
    pygrb: { fap: DETECTION_FAP.pygrb * 0.99 },
  });
  assert.deepEqual(below.detections, ['CBC', 'Burst']);
  assert.match(below.subject, /candidate from targeted searches$/);
  assert.doesNotMatch(below.body, /exclude/);
});

test('one search alone: a PyGRB candidate while X-pipeline did not run', () => {
  const draft = composeGrbMediumLatency({ ...BASE, pygrb: { fap: 0.001 } });
  assert.deepEqual(draft.detections, ['CBC']);
  assert.deepEqual(draft.exclusions, []);
  assert.match(draft.body, /modelled search for compact binary mergers \(PyGRB\)\./);
  assert.doesNotMatch(draft.body, /X-pipeline/);
});

test('bad input is refused naming the event and the file', () => {
  assert.throws(
    () => composeGrbMediumLatency(BASE),
    (err: Error) =>
      err instanceof CircularError &&
      /E1234: no targeted-search results \(false_alarm_probability_x\.json/.test(err.message),
  );
  assert.throws(
    () => composeGrbMediumLatency({ ...BASE, xpipeline: { fap: 0.5 } }),
    /E1234: no Burst exclusion distance in distances_x\.json/,
  );
  assert.throws(
    () => composeGrbMediumLatency({ ...BASE, pygrb: { fap: 0.5, nsnsExclusionMpc: 100 } }),
    /E1234: no NSBH exclusion distance in distances_pygrb\.json/,
  );
  assert.throws(
    () => composeGrbMediumLatency({ ...BASE, pygrb: { fap: Number.NaN } }),
    /false_alarm_probability_pygrb\.json holds a false alarm probability of NaN/,
  );
});
