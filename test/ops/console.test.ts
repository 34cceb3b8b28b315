import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type App, createApp, defineTask, Worker } from '../../src/engine/index.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { hashPassword } from '../../src/ops/console/auth/password-hash.js';
import { FORM_TASKS } from '../../src/ops/console/forms/form-actions.js';
import { OPERATOR_FORMS } from '../../src/ops/console/forms/operator-forms.js';
import { type RunningConsole, startConsole } from '../../src/ops/console/start-console.js';
import type { LedgerEntry } from '../../src/ops/console/superevents/alert-ledger-reader.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from '../gracedb/helpers.js';
import { eventually } from '../helpers/process.js';
import { ConsoleClient } from './helpers/console-client.js';

const SKYMAP = readFileSync(
  new URL('../fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);
const GRB_NOTICE = readFileSync(new URL('../fixtures/gracedb/grb-notice.xml', import.meta.url));

/** What the pipeline tasks the forms send received (registered here under the pipeline's names). */
interface Call {
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}
const calls: Call[] = [];
const record =
  (name: string, answer: (args: unknown[]) => unknown = () => null) =>
  (ctx: { kwargs: Record<string, unknown> }, ...args: unknown[]) => {
    calls.push({ name, args, kwargs: ctx.kwargs });
    return answer(args);
  };
for (const name of [
  FORM_TASKS.preliminaryAlert,
  FORM_TASKS.updateAlert,
  FORM_TASKS.externalSkymapFromUrl,
  FORM_TASKS.mockJointGrb,
  FORM_TASKS.localize,
  FORM_TASKS.annotateSkymap,
]) {
  defineTask({ name }, record(name));
}
defineTask(
  { name: FORM_TASKS.mockEvent },
  record(FORM_TASKS.mockEvent, () => ({ graceid: 'M100', gpstime: 1400000000 })),
);
defineTask(
  { name: FORM_TASKS.updateCircular },
  record(FORM_TASKS.updateCircular, (args) => `UPDATE CIRCULAR for ${args[0]}`),
);
defineTask(
  { name: FORM_TASKS.mediumLatencyCircular },
  record(FORM_TASKS.mediumLatencyCircular, (args) => `GRB CIRCULAR for ${args[0]}`),
);

const callsOf = (name: string) => calls.filter((c) => c.name === name);

describe('the operations console over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-console-'));
  let gracedb: TestGraceDb;
  let config: Config;
  let app: App;
  let worker: Worker;
  let running: RunningConsole;
  let sid: string;
  let g1: string;
  let g2: string;
  let extId: string;
  const ledger: LedgerEntry[] = [];

  before(async () => {
    gracedb = await startTestGraceDb();
    const t0 = unixToGps(Date.now() / 1000) - 120;
    const e1 = await gracedb.client.createEvent(olibPayload(t0, 1e-9), 'AllSky', 'oLIB', 'Burst');
    const e2 = await gracedb.client.createEvent(
      olibPayload(t0 + 0.1, 1e-8, { Omicron_SNR_Network: 12 }),
      'AllSky',
      'oLIB',
      'Burst',
    );
    g1 = e1.graceid;
    g2 = e2.graceid;
    sid = (await gracedb.client.createSuperevent(g1, t0, t0 - 1, t0 + 1))!;
    await gracedb.client.addEventToSuperevent(sid, g2);
    for (const g of [g1, g2]) await gracedb.client.createLabel('SKYMAP_READY', g);
    await gracedb.client.upload(SKYMAP, 'olib.multiorder.fits', g2, 'sky map', ['sky_loc']);
    await gracedb.client.upload(
      SKYMAP,
      'bayestar.multiorder.fits',
      sid,
      'sky localization complete',
      ['sky_loc', 'public'],
    );
    await gracedb.client.createLabel('SKYMAP_READY', sid);
    const ext = await gracedb.client.createEvent(GRB_NOTICE, 'GRB', 'Fermi', 'External');
    extId = ext.graceid;
    await gracedb.client.upload(
      JSON.stringify({ temporal_coinc_far: 1e-7, spatiotemporal_coinc_far: 1e-9 }),
      'coincidence_far.json',
      extId,
      'RAVEN: computed coincidence FAR(s)',
      ['ext_coinc'],
    );
    ledger.push({
      superevent: sid,
      alertType: 'preliminary',
      serial: 1,
      destination: 'gcn-kafka',
      state: 'delivered',
      payloadHash: 'abc',
      recordedAt: new Date().toISOString(),
      deliveredAt: new Date().toISOString(),
      attempts: 1,
      error: null,
    });

    config = loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: {
        broker_url: '',
        data_dir: join(dir, 'data'),
        gracedb_host: gracedb.service.url,
        gracedb_token: TOKEN,
        console_proxy_user_header: 'X-Proxy-Remote-User',
        console_users: {
          alice: { password_hash: await hashPassword('alice-password'), role: 'operator' },
          bob: { password_hash: await hashPassword('bob-password'), role: 'read-only' },
        },
      },
    });
    app = createApp(config);
    worker = new Worker(app, { queues: ['celery'], concurrency: 4, name: 'console-test-worker' });
    await worker.start();
    running = await startConsole({
      app,
      config,
      port: 0,
      ledger: {
        list: async (filter) =>
          ledger.filter((e) => !filter?.superevent || e.superevent === filter.superevent),
      },
    });
  });

  after(async () => {
    await running?.close();
    await worker?.stop(100);
    await app?.close();
    await gracedb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('pages need a login; a wrong password is refused; a right one opens them', async () => {
    const client = new ConsoleClient(running.url);
    const first = await client.get('/tasks');
    assert.equal(first.status, 302);
    assert.match(first.headers.get('location') ?? '', /\/login\?next=%2Ftasks/);
    const wrong = await client.login('alice', 'not-her-password');
    assert.equal(wrong.status, 303);
    assert.deepEqual(await client.flashes('/login'), ['danger: Unknown user or wrong password.']);
    const right = await client.login('alice', 'alice-password');
    assert.equal(right.status, 303);
    const page = await client.get('/tasks');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Welcome, <strong>alice<\/strong>/);
  });

  test('a POST without the session CSRF token is refused and does nothing', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const before = calls.length;
    const none = await client.post('/send_mock_event', { confirmed: 'yes' });
    assert.equal(none.status, 403);
    assert.match(await none.text(), /CSRF token/);
    // A token of another session does not work either.
    const other = new ConsoleClient(running.url);
    await other.login('alice', 'alice-password');
    const foreign = await client.post('/send_mock_event', {
      confirmed: 'yes',
      _csrf: await other.csrf('/operations'),
    });
    assert.equal(foreign.status, 403);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls.length, before);
  });

  test('a read-only user sees the forms but cannot submit them', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('bob', 'bob-password');
    const page = await (await client.get('/operations')).text();
    assert.match(page, /bob is a read-only user/);
    assert.match(page, /<button type="submit" class="danger" disabled>Issue Mock Event<\/button>/);
    const before = calls.length;
    const refused = await client.submit('/send_mock_event', {});
    assert.equal(refused.status, 403);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls.length, before);
  });

  test('the trusted proxy header logs a user in', async () => {
    const client = new ConsoleClient(running.url);
    const page = await client.get('/operations', { 'x-proxy-remote-user': 'albert.einstein' });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Welcome, <strong>albert.einstein<\/strong>/);
  });

  test('the operations page has all twelve forms with the reference fields and patterns', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const page = await (await client.get('/operations')).text();
    assert.match(page, /DANGER ZONE/);
    assert.equal(OPERATOR_FORMS.length, 12);
    for (const form of OPERATOR_FORMS) {
      assert.match(page, new RegExp(`<form method="post" action="${form.path}"`), form.id);
    }
    assert.match(page, /name="superevent_id" type="text" pattern="\(S\|MS\)\\d\+\[A-Za-z\]\+"/);
    assert.match(page, /name="skymap_filename" type="text" pattern="\\S\+,\\d\+"/);
    assert.match(page, /Node\.js<\/th><td>v20/);
  });

  test('Issue Preliminary GCN Notice: confirmation, log with the user, preferred event, alert task', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const csrf = await client.csrf('/operations');
    const ask = await client.post('/send_preliminary_gcn', {
      _csrf: csrf,
      superevent_id: sid,
      event_id: g2,
    });
    assert.equal(ask.status, 200);
    const confirmation = await ask.text();
    assert.match(confirmation, /Confirm: Issue Preliminary GCN Notice/);
    assert.match(confirmation, /name="confirmed" value="yes"/);
    assert.equal(callsOf(FORM_TASKS.preliminaryAlert).length, 0);

    const done = await client.submit('/send_preliminary_gcn', { superevent_id: sid, event_id: g2 });
    assert.equal(done.status, 303);
    const [flash] = await client.flashes();
    assert.match(flash, new RegExp(`^success: Queued preliminary alert for ${sid}\\. view$`));
    const call = await eventually(() => callsOf(FORM_TASKS.preliminaryAlert)[0]);
    const [event, alert, alertType] = call.args as [
      Record<string, unknown>,
      Record<string, unknown>,
      string,
    ];
    assert.equal(event.graceid, g2);
    assert.equal(alert.uid, sid);
    assert.equal((alert.object as Record<string, unknown>).preferred_event, g2);
    assert.equal(alertType, 'preliminary');
    assert.deepEqual(call.kwargs, { initiate_voevent: true });
    const superevent = await gracedb.client.getSuperevent(sid);
    assert.equal(superevent.preferred_event, g2);
    const log = await gracedb.client.getLog(sid);
    const entry = log.find(
      (e) => e.comment === 'User alice queued a Preliminary alert through the dashboard.',
    );
    assert.ok(entry, 'the acting user is in the superevent log');
    assert.deepEqual(entry.tag_names, ['em_follow']);
  });

  test('missing or invalid fields and unknown ids are refused with a message', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    await client.submit('/send_preliminary_gcn', { superevent_id: sid });
    assert.deepEqual(await client.flashes(), [
      'danger: No action performed. Please fill in all fields (missing: event_id).',
    ]);
    await client.submit('/send_preliminary_gcn', { superevent_id: 'X1', event_id: g1 });
    assert.deepEqual(await client.flashes(), [
      'danger: No action performed. Invalid value for: superevent_id.',
    ]);
    await client.submit('/send_preliminary_gcn', { superevent_id: sid, event_id: 'G999999' });
    assert.deepEqual(await client.flashes(), [
      'danger: No action performed. GraceDB query for G999999 returned error code 404.',
    ]);
  });

  test('Update notice, change of preferred and pipeline-preferred event send the documented tasks', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    await client.submit('/send_update_gcn', {
      superevent_id: sid,
      skymap_filename: 'bayestar.multiorder.fits,0',
      em_bright_filename: '',
      p_astro_filename: '',
    });
    const update = await eventually(() => callsOf(FORM_TASKS.updateAlert)[0]);
    assert.deepEqual(update.args, [['bayestar.multiorder.fits,0', null, null], sid]);

    await client.submit('/change_preferred_event', { superevent_id: sid, event_id: g1 });
    assert.match((await client.flashes())[0], /^success: Changed the preferred event/);
    const change = await eventually(() =>
      callsOf(FORM_TASKS.preliminaryAlert).find((c) => c.kwargs.initiate_voevent === false),
    );
    assert.equal((change.args[0] as { graceid: string }).graceid, g1);
    const log = (await gracedb.client.getLog(sid)).map((e) => e.comment);
    assert.ok(log.includes(`User alice queued a preferred event change to ${g1}.`));

    // The pipeline of the preferred event cannot get another pipeline-preferred event here.
    await client.submit('/change_pipeline_preferred_event', {
      superevent_id: sid,
      pipeline: 'oLIB',
      event_id: g2,
    });
    assert.match(
      (await client.flashes())[0],
      /^danger: No change performed\. oLIB is the pipeline of the preferred event/,
    );
    await client.submit('/change_pipeline_preferred_event', {
      superevent_id: sid,
      pipeline: 'CWB',
      event_id: g2,
    });
    assert.match(
      (await client.flashes())[0],
      /^danger: No change performed\. Event .* is from pipeline oLIB, not CWB\./,
    );
  });

  test('Designate External Coincidence writes em_type, the FARs and RAVEN_ALERT on all three', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    await client.submit('/apply_raven_labels', { superevent_id: sid, ext_id: extId, event_id: g1 });
    assert.deepEqual(await client.flashes(), [
      `success: Labeled ${sid}, ${extId} and ${g1} with RAVEN_ALERT.`,
    ]);
    const superevent = await gracedb.client.getSuperevent(sid);
    assert.equal(superevent.em_type, extId);
    assert.equal(superevent.time_coinc_far, 1e-7);
    assert.equal(superevent.space_coinc_far, 1e-9);
    for (const id of [sid, extId, g1])
      assert.ok((await gracedb.client.getLabels(id)).has('RAVEN_ALERT'), id);
  });

  test('the external sky map download is a task, not work inside the request', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const url = 'https://heasarc.gsfc.nasa.gov/FTP/fermi/data/gbm/triggers/glg_healpix_all_bn.fit';
    await client.submit('/download_upload_external_skymap', { ext_id: extId, skymap_url: url });
    const call = await eventually(() => callsOf(FORM_TASKS.externalSkymapFromUrl)[0]);
    assert.deepEqual(call.args, [{ graceid: extId, search: 'FromURL' }, url]);
    await client.submit('/download_upload_external_skymap', {
      ext_id: extId,
      skymap_url: 'file:///etc/passwd',
    });
    assert.deepEqual(await client.flashes(), [
      'danger: No action performed. Invalid value for: skymap_url.',
    ]);
  });

  test('mock event, mock joint event (chained, 5 s later), disabled detectors, sky map copy', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    await client.submit('/send_mock_event', {});
    assert.match((await client.flashes())[0], /^success: Queued a mock event\./);
    await eventually(() => callsOf(FORM_TASKS.mockEvent)[0]);

    await client.submit('/send_mock_joint_event', {});
    const grb = await eventually(() => callsOf(FORM_TASKS.mockJointGrb)[0], 20_000);
    assert.deepEqual(grb.args, [{ graceid: 'M100', gpstime: 1400000000 }]);
    assert.deepEqual(grb.kwargs, { pipeline: 'Fermi', ext_search: 'MDC' });

    await client.submit(
      '/create_skymap_with_disabled_detectors',
      { event_id: g1, detectors: ['V1', 'H1'] },
      false,
    );
    assert.deepEqual(await client.flashes(), [
      `danger: No sky map created. BAYESTAR localizes CBC events; ${g1} is a Burst event.`,
    ]);

    await client.submit(
      '/copy_sky_map_between_events',
      { superevent_id: sid, event_id: g2, skymap_filename: 'olib.multiorder.fits,0' },
      false,
    );
    assert.match(
      (await client.flashes())[0],
      /^success: Copied olib\.multiorder\.fits,0 from G\d+ to S\w+ as olib\.multiorder\.fits,0\./,
    );
    const annotate = await eventually(() => callsOf(FORM_TASKS.annotateSkymap)[0]);
    assert.deepEqual(annotate.args, ['olib.multiorder.fits,0', sid, ['sky_loc', 'public']]);
    const copied = await gracedb.client.download('olib.multiorder.fits,0', sid);
    assert.deepEqual(copied, SKYMAP);
  });

  test('the circular forms answer with the text the circular task composed', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const text = await client.submit(
      '/create_update_gcn_circular',
      { superevent_id: sid, update_types: ['em_bright', 'p_astro'] },
      false,
    );
    assert.equal(text.status, 200);
    assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await text.text(), `UPDATE CIRCULAR for ${sid}`);
    assert.deepEqual(callsOf(FORM_TASKS.updateCircular)[0].kwargs, {
      update_types: ['em_bright', 'p_astro'],
    });
    const grb = await client.submit(
      '/create_medium_latency_gcn_circular',
      { ext_event_id: extId },
      false,
    );
    assert.equal(await grb.text(), `GRB CIRCULAR for ${extId}`);
  });

  test('typeahead endpoints: superevent ids, complete events by rank, files by tag', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const ids = await (
      await client.get(`/typeahead_superevent_id?superevent_id=${sid.slice(0, 7)}`)
    ).json();
    assert.deepEqual(ids, [sid]);
    assert.deepEqual(
      await (await client.get('/typeahead_superevent_id?superevent_id=S2213')).json(),
      [],
    );
    const events = (await (
      await client.get(`/typeahead_event_id?superevent_id=${sid}`)
    ).json()) as {
      graceid: string;
      snr: number;
    }[];
    assert.deepEqual(
      events.map((e) => e.graceid),
      [g1, g2],
    );
    assert.equal(typeof events[0].snr, 'number');
    assert.deepEqual(
      await (await client.get('/typeahead_event_id?superevent_id=S000101zz')).json(),
      [],
    );
    assert.deepEqual(
      await (
        await client.get(`/typeahead_skymap_filename?superevent_id=${sid}&filename=bay`)
      ).json(),
      ['bayestar.multiorder.fits,0'],
    );
    assert.deepEqual(
      await (await client.get(`/typeahead_p_astro_filename?superevent_id=${sid}`)).json(),
      [],
    );
    assert.deepEqual(
      await (await client.get('/typeahead_em_bright_filename?superevent_id=S000101zz')).json(),
      [],
    );
  });

  test('the superevent page: events, sky map image, alerts, waterfall, labels over time', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const page = await (await client.get(`/superevents/${sid}`)).text();
    assert.match(page, new RegExp(`<h1>${sid}`));
    assert.match(page, new RegExp(`${g1}.*preferred`));
    const img = /<img id="skymap" src="([^"]+)"/.exec(page);
    assert.ok(img, 'the page shows a sky map');
    const png = await client.get(img[1].replace(/&amp;/g, '&'));
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.match(page, /preliminary #1 delivered to gcn-kafka/);
    assert.match(page, /First alert delivered [\d.]+ s after t₀/);
    assert.match(page, /superevent created/);
    assert.match(page, /\+ <span class="label">SKYMAP_READY<\/span>/);
    const missing = await client.get('/superevents/S000101zz');
    assert.equal(missing.status, 404);
  });

  test('task history pages, the live stream, health and metrics', async () => {
    const client = new ConsoleClient(running.url);
    await client.login('alice', 'alice-password');
    const mock = await eventually(() => running && callsOf(FORM_TASKS.mockEvent)[0]);
    assert.ok(mock);
    const list = await eventually(async () => {
      const text = await (await client.get(`/tasks?name=${FORM_TASKS.preliminaryAlert}`)).text();
      return text.includes('SUCCESS') ? text : undefined;
    });
    const id = /href="\/tasks\/([^"]+)">orchestrator\.earlywarning_preliminary_alert/.exec(
      list,
    )?.[1];
    assert.ok(id);
    const detail = await (await client.get(`/tasks/${id}`)).text();
    assert.match(detail, /<h2>Timeline<\/h2>/);
    assert.match(detail, /task-succeeded/);
    const bySubject = await (await client.get(`/tasks/rows?subject=${sid}`)).text();
    assert.match(bySubject, /orchestrator\.earlywarning_preliminary_alert/);

    // Live: a task sent now reaches an open stream.
    const controller = new AbortController();
    const stream = await fetch(new URL('tasks/stream', running.url), {
      headers: { cookie: (client as unknown as { cookieHeader(): string }).cookieHeader() },
      signal: controller.signal,
    });
    assert.equal(stream.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = stream.body!.getReader();
    await app.sendTask('gwcelery.ping', ['live-check']);
    let seen = '';
    const deadline = Date.now() + 10_000;
    while (!seen.includes('gwcelery.ping') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += Buffer.from(value).toString();
    }
    controller.abort();
    assert.match(seen, /event: task\ndata: <tr id="task-/);

    // A task that changed between the page's render and the stream's connection is replayed.
    const page = await (await client.get('/tasks')).text();
    const streamUrl = /data-stream="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    assert.match(streamUrl ?? '', /^\/tasks\/stream\?after=\d+$/);
    // (No worker here runs gwcelery.ping: it fails, which is a change like any other.)
    const missed = await app.sendTask('gwcelery.ping', ['while-loading']);
    await eventually(async () =>
      (await (await client.get(`/tasks/rows?id=${missed.id}`)).text()).includes('FAILURE')
        ? true
        : undefined,
    );
    const replay = new AbortController();
    const late = await fetch(new URL(streamUrl!.slice(1), running.url), {
      headers: { cookie: (client as unknown as { cookieHeader(): string }).cookieHeader() },
      signal: replay.signal,
    });
    const lateReader = late.body!.getReader();
    let replayed = '';
    const lateDeadline = Date.now() + 10_000;
    while (!replayed.includes(`task-${missed.id}`) && Date.now() < lateDeadline) {
      const { value, done } = await lateReader.read();
      if (done) break;
      replayed += Buffer.from(value).toString();
    }
    replay.abort();
    assert.match(replayed, new RegExp(`<tr id="task-${missed.id}"`));

    const health = await (await client.get('/health')).text();
    assert.match(health, /Nagios check/);
    assert.match(health, /Not all expected queues are active/);
    assert.match(health, /Disk/);
    const metrics = await (await client.get('/metrics')).text();
    assert.match(
      metrics,
      /gwcelery_tasks_total\{name="first2years.upload_event",state="succeeded"\} 2/,
    );
    assert.match(metrics, /gwcelery_broker_up 1/);
    assert.match(metrics, /gwcelery_queue_tasks\{queue="celery",state="waiting"\} \d+/);
    assert.match(metrics, /gwcelery_workers_online 1/);
  });
});
