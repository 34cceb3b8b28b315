import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unixToGps } from '../../src/formats/time/gps.js';
import type { EventJson, LogEntry, SupereventJson } from '../../src/gracedb/client.js';
import { latencyWaterfall, parseGraceDbTime } from '../../src/pipeline/latency/waterfall.js';

const T0_UNIX = Date.parse('2026-05-18T12:00:00Z') / 1000;
const at = (s: number) =>
  new Date((T0_UNIX + s) * 1000).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';

function log(
  n: number,
  seconds: number,
  comment: string,
  filename = '',
  tags: string[] = [],
): LogEntry {
  return { N: n, comment, filename, file_version: null, tag_names: tags, created: at(seconds) };
}

const superevent = {
  superevent_id: 'MS260518a',
  category: 'MDC',
  preferred_event: 'M2',
  t_start: 0,
  t_0: unixToGps(T0_UNIX),
  t_end: 0,
  gw_events: ['M1', 'M2'],
  labels: [],
  created: at(3),
} as SupereventJson;

const events = [
  { graceid: 'M2', pipeline: 'gstlal', created: at(4) },
  { graceid: 'M1', pipeline: 'gstlal', created: at(2) },
] as unknown as EventJson[];

test('the waterfall puts every stage in time order, after t₀ and after the first upload', () => {
  const w = latencyWaterfall({
    superevent,
    events,
    log: [
      log(1, 3, 'Added label: ADVREQ'),
      log(2, 9, 'Added label: SIGNIF_LOCKED'),
      log(
        3,
        9,
        'Automated DQ check before sending significant alert. New results supersede old results.',
      ),
      log(4, 8, 'sky localization complete', 'bayestar.multiorder.fits', ['sky_loc']),
      log(5, 10, 'VOEvent', 'MS260518a-1-Preliminary.xml'),
      log(6, 11, 'Added label: GCN_PRELIM_SENT'),
      log(7, 11, 'Added label: GCN_PRELIM_SENT'),
      log(
        8,
        130,
        "Advocate signoff certified status as OK: 'fine'; label ADVREQ removed and label ADVOK applied",
      ),
    ],
    labels: [
      { name: 'SIGNIF_LOCKED', created: at(9) },
      { name: 'ADVOK', created: at(130) },
    ],
    preferredEventLabels: [
      { name: 'EMBRIGHT_READY', created: at(5) },
      { name: 'PASTRO_READY', created: at(5) },
      { name: 'SKYMAP_READY', created: at(8) },
      { name: 'DQOK', created: at(9) },
    ],
    alerts: [
      {
        alertType: 'preliminary',
        serial: 1,
        destination: 'files',
        state: 'delivered',
        deliveredAt: new Date((T0_UNIX + 10.25) * 1000).toISOString(),
      },
      {
        alertType: 'preliminary',
        serial: 1,
        destination: 'kafka:scimma',
        state: 'failed',
        deliveredAt: null,
      },
      {
        alertType: 'preliminary',
        serial: 1,
        destination: 'vtp',
        state: 'delivered',
        deliveredAt: new Date((T0_UNIX + 10.5) * 1000).toISOString(),
      },
    ],
  });
  const stages = w.steps.map((s) => s.stage);
  assert.deepEqual(stages, [
    't0',
    'first_upload',
    'superevent_created',
    'label:ADVREQ',
    'preferred_upload',
    'event_label:EMBRIGHT_READY',
    'event_label:PASTRO_READY',
    'event_label:SKYMAP_READY',
    'sky_map',
    'label:SIGNIF_LOCKED',
    'alert_decision',
    'voevent_created',
    'delivered:preliminary#1:files',
    'delivered:preliminary#1:vtp',
    'label:GCN_PRELIM_SENT',
    'signoff:Advocate',
    'label:ADVOK',
  ]);
  assert.equal(w.firstUploadMs, T0_UNIX * 1000 + 2000);
  assert.equal(w.firstAlertS, 10.25);
  assert.equal(w.firstAlertSinceUploadS, 8.25);
  const step = (stage: string) => w.steps.find((s) => s.stage === stage)!;
  assert.equal(step('delivered:preliminary#1:vtp').sinceFirstUploadS, 8.5);
  assert.equal(step('superevent_created').sinceT0S, 3);
  assert.equal(step('label:ADVOK').source, 'gracedb', 'a signoff label has no log line of its own');
  assert.equal(step('first_upload').label, 'first event uploaded (M1, gstlal)');
});

test('a superevent with nothing but its creation gives t₀ and creation, no alert figures', () => {
  const w = latencyWaterfall({ superevent, log: [] });
  assert.deepEqual(
    w.steps.map((s) => s.stage),
    ['t0', 'superevent_created'],
  );
  assert.equal(w.firstAlertS, undefined);
  assert.equal(w.firstUploadMs, undefined);
  assert.equal(w.steps[1]!.sinceFirstUploadS, undefined);
});

test('GraceDB and ISO times both parse; anything else is no time', () => {
  assert.equal(parseGraceDbTime('2023-05-18 12:59:08 UTC'), Date.parse('2023-05-18T12:59:08Z'));
  assert.equal(parseGraceDbTime('2023-05-18T12:59:08.25Z'), Date.parse('2023-05-18T12:59:08.250Z'));
  assert.equal(parseGraceDbTime('yesterday'), undefined);
  assert.equal(parseGraceDbTime(undefined), undefined);
});
