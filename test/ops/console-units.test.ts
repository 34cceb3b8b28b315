import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteLedger } from '../../src/alerts/ledger/sqlite-ledger.js';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/engine/index.js';
import type { EventJson, LogEntry, SupereventJson } from '../../src/gracedb/client.js';
import { gpsToUnix, unixToGps } from '../../src/gracedb/gps-time.js';
import { hashPassword, verifyPassword } from '../../src/ops/console/auth/password-hash.js';
import { SessionCodec } from '../../src/ops/console/auth/session.js';
import { FlashCodec } from '../../src/ops/console/flash.js';
import { formById, validateForm } from '../../src/ops/console/forms/operator-forms.js';
import { dateRange } from '../../src/ops/console/forms/typeahead.js';
import { levelOf, parseRedisInfo } from '../../src/ops/console/health/health-report.js';
import { html, raw } from '../../src/ops/console/html.js';
import { AlertLatencyTracker } from '../../src/ops/console/metrics/alert-latency.js';
import { ConsoleMetrics } from '../../src/ops/console/metrics/console-metrics.js';
import { matches } from '../../src/ops/console/routes/task-routes.js';
import {
  latencyWaterfall,
  parseGraceDbTime,
} from '../../src/ops/console/superevents/latency-waterfall.js';
import { currentSkyMap } from '../../src/ops/console/superevents/sky-map-images.js';
import type { TaskRecord } from '../../src/ops/history/task-history.js';
import { newestFrameGps } from '../../src/ops/nagios/low-latency-frames.js';
import { errorDetails } from '../../src/ops/sentry/error-details.js';
import { htcondorJobId } from '../../src/ops/sentry/htcondor-job-ad.js';
import { readStatusFile, StatusFileError } from '../../src/ops/status/status-file.js';
import { olibPayload, startTestGraceDb } from '../gracedb/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ops-units-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('html escapes every interpolated value except nested html', () => {
  const name = '<script>alert("x")</script>';
  assert.equal(
    html`<td title="${name}">${name}${html`<b>${'&'}</b>`}${raw('<i>ok</i>')}${[1, 2]}${null}${false}</td>`
      .value,
    '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<b>&amp;</b><i>ok</i>12</td>',
  );
});

test('sessions and flashes refuse tampering; CSRF tokens are bound to the session', () => {
  const codec = new SessionCodec('k'.repeat(40));
  const session = { ...codec.newSession(60_000), user: 'alice', role: 'operator' as const };
  const cookie = codec.encode(session);
  assert.deepEqual(codec.decode(cookie), session);
  const [payload, mac] = cookie.split('.');
  const forged = Buffer.from(
    JSON.stringify({ ...session, role: 'operator', user: 'mallory' }),
  ).toString('base64url');
  assert.equal(codec.decode(`${forged}.${mac}`), undefined);
  assert.equal(codec.decode(`${payload}.x${mac.slice(1)}`), undefined);
  assert.equal(codec.decode(cookie, session.exp + 1), undefined, 'expired');
  assert.equal(new SessionCodec('j'.repeat(40)).decode(cookie), undefined, 'another key');
  const token = codec.csrfToken(session);
  assert.ok(codec.checkCsrf(session, token));
  assert.equal(codec.checkCsrf(codec.newSession(60_000), token), false);
  assert.equal(codec.checkCsrf(session, ''), false);
  assert.equal(codec.checkCsrf(session, undefined), false);
  const flash = new FlashCodec('k'.repeat(40));
  const sealed = flash.encode([{ category: 'success', message: 'ok' }]);
  assert.deepEqual(flash.decode(sealed), [{ category: 'success', message: 'ok' }]);
  assert.deepEqual(flash.decode(`${sealed}x`), []);
});

test('passwords: scrypt hashes verify, wrong ones and malformed hashes do not', async () => {
  const hash = await hashPassword('correct horse');
  assert.match(hash, /^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.equal(await verifyPassword('correct horse', hash), true);
  assert.equal(await verifyPassword('correct horsE', hash), false);
  assert.equal(await verifyPassword('x', 'scrypt$1$1$1$AA$AA'), false);
  assert.equal(await verifyPassword('x', 'plain'), false);
  await assert.rejects(hashPassword('short'), /at least 8 characters/);
});

test('the superevent typeahead turns partial dates into t0 ranges', () => {
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
  assert.deepEqual(dateRange('230518'), { start: day('2023-05-18'), end: day('2023-05-19') });
  assert.deepEqual(dateRange('2305'), { start: day('2023-05-01'), end: day('2023-06-01') });
  assert.deepEqual(dateRange('231'), { start: day('2023-10-01'), end: day('2024-01-01') });
  assert.deepEqual(dateRange('2302'), { start: day('2023-02-01'), end: day('2023-03-01') });
  assert.deepEqual(dateRange('2'), { start: day('2020-01-01'), end: day('2030-01-01') });
  assert.equal(dateRange('2313'), undefined);
  assert.equal(dateRange('230231'), undefined);
  assert.equal(dateRange('23x'), undefined);
});

test('form validation: required fields, anchored patterns, options, http(s) URLs', () => {
  const prelim = formById('send_preliminary_gcn')!;
  assert.deepEqual(validateForm(prelim, { superevent_id: 'S230518h', event_id: 'G1' }), {
    missing: [],
    invalid: [],
  });
  assert.deepEqual(validateForm(prelim, { superevent_id: 'xS230518h', event_id: '' }), {
    missing: ['event_id'],
    invalid: ['superevent_id'],
  });
  const detectors = formById('create_skymap_with_disabled_detectors')!;
  assert.deepEqual(validateForm(detectors, { event_id: 'G1', detectors: ['H1', 'Q9'] }).invalid, [
    'detectors',
  ]);
  const url = formById('download_upload_external_skymap')!;
  assert.deepEqual(validateForm(url, { ext_id: 'E1', skymap_url: 'ftp://x/y' }).invalid, [
    'skymap_url',
  ]);
});

test('the live-stream filter agrees with the history search', () => {
  const record = {
    id: 'abcdef12-0000',
    name: 'orchestrator.handle_superevent',
    state: 'FAILURE',
    queue: 'celery',
    subjects: ['S230518h', 'G1'],
    firstAt: 1000,
  } as TaskRecord;
  assert.ok(matches(record, { subject: 'S230518h', state: 'FAILURE', name: 'handle', id: 'abcd' }));
  assert.equal(matches(record, { subject: 'S230518i' }), false);
  assert.equal(matches(record, { queue: 'superevent' }), false);
  assert.equal(matches(record, { since: 2000 }), false);
});

test('the latency waterfall orders uploads, labels and deliveries from t0', () => {
  const t0 = 1368449966.0;
  const t0Ms = gpsToUnix(t0) * 1000;
  const at = (s: number) => new Date(t0Ms + s * 1000);
  const graceTime = (s: number) => at(s).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  const superevent = {
    superevent_id: 'S230518h',
    t_0: t0,
    created: graceTime(9),
    preferred_event: 'G2',
    gw_events: ['G1', 'G2'],
  } as unknown as SupereventJson;
  const events = [
    { graceid: 'G2', pipeline: 'gstlal', created: graceTime(8) },
    { graceid: 'G1', pipeline: 'pycbc', created: graceTime(7) },
  ] as unknown as EventJson[];
  const log = [
    { comment: 'Added label: SKYMAP_READY', created: graceTime(15), tag_names: [], filename: '' },
    {
      comment: 'sky localization complete',
      created: graceTime(15),
      filename: 'bayestar.multiorder.fits',
      file_version: 0,
      tag_names: ['sky_loc', 'public'],
    },
    { comment: 'Added label: SKYMAP_READY', created: graceTime(40), tag_names: [], filename: '' },
    {
      comment: 'Added label: GCN_PRELIM_SENT',
      created: graceTime(30),
      tag_names: [],
      filename: '',
    },
  ] as unknown as LogEntry[];
  const w = latencyWaterfall({
    superevent,
    log,
    events,
    alerts: [
      {
        superevent: 'S230518h',
        alertType: 'preliminary',
        serial: 1,
        destination: 'scimma',
        state: 'delivered',
        payloadHash: 'h',
        recordedAt: at(28).toISOString(),
        deliveredAt: at(29.25).toISOString(),
        attempts: 1,
        error: null,
      },
    ],
  });
  assert.deepEqual(
    w.steps.map((s) => [s.label, Math.round(s.sinceT0S * 100) / 100]),
    [
      ['t₀ (signal at the detectors)', 0],
      ['first event uploaded (G1, pycbc)', 7],
      ['preferred event uploaded (G2, gstlal)', 8],
      ['superevent created', 9],
      ['label SKYMAP_READY', 15],
      ['sky map on the superevent (bayestar.multiorder.fits)', 15],
      ['preliminary #1 delivered to scimma', 29.25],
      ['label GCN_PRELIM_SENT', 30],
    ],
  );
  assert.equal(w.firstAlertS, 29.25);
  assert.equal(parseGraceDbTime('2023-05-18 12:59:08 UTC'), Date.parse('2023-05-18T12:59:08Z'));
  assert.equal(parseGraceDbTime('garbage'), undefined);
  assert.equal(currentSkyMap(log), 'bayestar.multiorder.fits,0');
});

test('the alert-latency histogram counts deliveries from the ledger once each', async () => {
  const gracedb = await startTestGraceDb();
  const ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const app = createApp(
    loadConfig({ env: { GWCELERY_CONFIG: 'test' }, overrides: { broker_url: '' } }),
  );
  try {
    const t0 = unixToGps(Date.now() / 1000) - 30;
    const event = await gracedb.client.createEvent(olibPayload(t0), 'AllSky', 'oLIB', 'Burst');
    const sid = (await gracedb.client.createSuperevent(event.graceid, t0, t0 - 1, t0 + 1))!;
    const metrics = new ConsoleMetrics({ app });
    const tracker = new AlertLatencyTracker(ledger, gracedb.client, metrics, 3600_000);
    const key = (destination: string) => ({
      superevent: sid,
      alertType: 'preliminary' as const,
      serial: 1,
      destination,
    });
    // Delivered before the console started: not counted (a restart must not count it again).
    await ledger.claim(key('old'), 'h', 'me', 10_000);
    await ledger.markDelivered(key('old'), 'me', { at: new Date().toISOString(), detail: {} });
    await tracker.poll();
    await ledger.claim(key('scimma'), 'h', 'me', 10_000);
    await ledger.markDelivered(key('scimma'), 'me', { at: new Date().toISOString(), detail: {} });
    await tracker.poll();
    await tracker.poll();
    const text = (await metrics.text()).body;
    const count =
      /gwcelery_alert_latency_seconds_count\{alert_type="preliminary",destination="scimma"\} (\d+)/.exec(
        text,
      );
    assert.equal(count?.[1], '1');
    assert.doesNotMatch(text, /destination="old"/);
    const sum = Number(
      /gwcelery_alert_latency_seconds_sum\{alert_type="preliminary",destination="scimma"\} ([\d.]+)/.exec(
        text,
      )?.[1],
    );
    assert.ok(sum > 29 && sum < 60, `latency ${sum} s from t0`);
    await tracker.stop();
  } finally {
    await ledger.close();
    await app.close();
    await gracedb.close();
  }
});

test('health helpers: INFO parsing and threshold levels', () => {
  assert.deepEqual(parseRedisInfo('# Memory\r\nused_memory:1024\r\nmaxmemory:0\r\n'), {
    used_memory: '1024',
    maxmemory: '0',
  });
  assert.equal(levelOf(50, 80, 90), 'ok');
  assert.equal(levelOf(85, 80, 90), 'warning');
  assert.equal(levelOf(95, 80, 90), 'critical');
  assert.equal(levelOf(95, 0, 0), 'ok');
});

test('frames, job ads, status files and error details fail clearly on bad input', () => {
  const frames = join(dir, 'kafka', 'H1');
  mkdirSync(frames, { recursive: true });
  for (const name of [
    'H-H1_llhoft-1400000000-1.gwf',
    'H-H1_llhoft-1400000002-1.gwf',
    'junk.gwf',
    'H-H1_llhoft-1400000009-1.txt',
  ]) {
    writeFileSync(join(frames, name), '');
  }
  assert.equal(newestFrameGps(join(dir, 'kafka', '{detector}', '*.gwf'), 'H1'), 1400000002);
  assert.equal(newestFrameGps(join(dir, 'kafka', '{detector}', '*.gwf'), 'L1'), undefined);
  assert.throws(
    () => newestFrameGps(join(dir, '*', '{detector}', '*.gwf'), 'H1'),
    /only supported in the file name/,
  );

  const ad = join(dir, 'job.ad');
  writeFileSync(ad, 'ClusterId = 12\n');
  assert.equal(htcondorJobId({ _CONDOR_JOB_AD: ad }), '12');
  assert.equal(htcondorJobId({ _CONDOR_JOB_AD: join(dir, 'missing') }), undefined);
  assert.equal(htcondorJobId({}), undefined);

  const statusDir = join(dir, 'status');
  mkdirSync(statusDir);
  assert.throws(
    () => readStatusFile(statusDir),
    (e: Error) =>
      e instanceof StatusFileError && /no status file at .*status\.json/.test(e.message),
  );
  writeFileSync(join(statusDir, 'status.json'), '{"format":"gwcelery-status/1"');
  assert.throws(() => readStatusFile(statusDir), /status\.json is not JSON/);
  writeFileSync(
    join(statusDir, 'status.json'),
    '{"format":"gwcelery-status/1","written_at":"soon"}',
  );
  assert.throws(
    () => readStatusFile(statusDir),
    /status\.json is not a gwcelery status file: written_at/,
  );

  assert.deepEqual(
    errorDetails({ status: 400, body: 'Request would not modify', operation: 'update_superevent' }),
    {
      http: { status: 400, operation: 'update_superevent', body: 'Request would not modify' },
    },
  );
  assert.deepEqual(errorDetails({ cmd: 'condor_submit x', code: 1, stdout: '', stderr: 'ERROR' }), {
    subprocess: { command: 'condor_submit x', exitCode: 1, stdout: '', stderr: 'ERROR' },
  });
  assert.deepEqual(errorDetails('plain'), {});
});
