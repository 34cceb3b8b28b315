/**
 * The console in a real browser (Debian's chromium driven by playwright-core): log in, watch
 * tasks appear live, open a superevent and its sky map, issue a mock event through its
 * confirmation, and be refused without a CSRF token. With CONSOLE_SCREENSHOTS=<dir> it also
 * saves screenshots of the main pages (docs/images/ holds the committed ones).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createBus } from '../../src/bus/create-bus.js';
import '../../src/engine/builtin-tasks.js';
import { loadConfig } from '../../src/config/index.js';
import { type App, createApp, defineTask, QUEUES, Worker } from '../../src/engine/index.js';
import { unixToGps } from '../../src/gracedb/gps-time.js';
import { hashPassword } from '../../src/ops/console/auth/password-hash.js';
import { FORM_TASKS } from '../../src/ops/console/forms/form-actions.js';
import { type RunningConsole, startConsole } from '../../src/ops/console/start-console.js';
import type { LedgerEntry } from '../../src/ops/console/superevents/alert-ledger-reader.js';
import { closeGraceDbClients } from '../../src/pipeline/gracedb.js';
import { startIgwnAlertListener } from '../../src/pipeline/igwn-alert.js';
import { olibPayload, startTestGraceDb, type TestGraceDb, TOKEN } from '../gracedb/helpers.js';
import { eventually } from '../helpers/process.js';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found (apt-get install chromium; .ci/run installs it): skipped`;
const SHOTS = process.env.CONSOLE_SCREENSHOTS
  ? resolve(process.env.CONSOLE_SCREENSHOTS)
  : undefined;
/** Evaluated in the page (this project's TypeScript has no DOM types). */
const NATURAL_WIDTH = "document.getElementById('skymap').naturalWidth";
const SKYMAP = readFileSync(
  new URL('../fixtures/skymap/gaussian-blob.multiorder.fits', import.meta.url),
);

const mockEvents: unknown[] = [];
defineTask({ name: FORM_TASKS.mockEvent }, () => {
  mockEvents.push(Date.now());
  return { graceid: 'M1', gpstime: 0 };
});
defineTask({ name: 'superevents.process' }, async (_ctx, _alert: unknown) => {
  await new Promise((r) => setTimeout(r, 30));
  return 'processed';
});
defineTask({ name: 'orchestrator.handle_superevent' }, (_ctx, alert: { uid: string }) => {
  throw new Error(`GraceDB returned 503 while annotating ${alert.uid}`);
});

describe('the console in chromium', { skip: SKIP }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-browser-'));
  let gracedb: TestGraceDb;
  let app: App;
  let workers: Worker[] = [];
  let running: RunningConsole;
  let context: BrowserContext;
  let page: Page;
  let sid: string;
  let stopListener: () => Promise<void> = async () => undefined;
  let bus: ReturnType<typeof createBus> | undefined;

  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: false });
  };

  before(async () => {
    gracedb = await startTestGraceDb();
    const t0 = unixToGps(Date.now() / 1000) - 14;
    const events = [];
    for (const [dt, far, snr] of [
      [0, 2e-10, 15],
      [0.02, 5e-9, 11],
    ] as const) {
      events.push(
        await gracedb.client.createEvent(
          olibPayload(t0 + dt, far, { Omicron_SNR_Network: snr }),
          'AllSky',
          'oLIB',
          'Burst',
        ),
      );
    }
    sid = (await gracedb.client.createSuperevent(events[0].graceid, t0, t0 - 1, t0 + 1))!;
    await gracedb.client.addEventToSuperevent(sid, events[1].graceid);
    for (const e of events) await gracedb.client.createLabel('SKYMAP_READY', e.graceid);
    await gracedb.client.upload(
      SKYMAP,
      'olib.multiorder.fits',
      sid,
      'Localization copied from G1',
      ['sky_loc', 'public'],
    );
    for (const label of [
      'SKYMAP_READY',
      'EM_READY',
      'ADVREQ',
      'SIGNIF_LOCKED',
      'GCN_PRELIM_SENT',
    ]) {
      await gracedb.client.createLabel(label, sid);
    }
    const now = Date.now();
    const ledger: LedgerEntry[] = ['scimma', 'gcn', 'gcn-voevent'].map((destination, i) => ({
      superevent: sid,
      alertType: 'preliminary',
      serial: 1,
      destination,
      state: 'delivered',
      payloadHash: `h${i}`,
      recordedAt: new Date(now + 1000).toISOString(),
      deliveredAt: new Date(now + 1400 + 250 * i).toISOString(),
      attempts: 1,
      error: null,
    }));

    const config = loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: {
        broker_url: '',
        data_dir: join(dir, 'data'),
        gracedb_host: gracedb.service.url,
        gracedb_token: TOKEN,
        kafka_consumer_config: {},
        llhoft_glob: join(dir, 'none', 'kafka', '{detector}', '*.gwf'),
        nagios_check_mdc: false,
        console_users: {
          'albert.einstein': { password_hash: await hashPassword('relativity'), role: 'operator' },
        },
      },
    });
    app = createApp(config);
    workers = Object.entries(QUEUES).map(
      ([queue, concurrency]) =>
        new Worker(app, {
          queues: [queue],
          concurrency,
          name: `gwcelery-${queue}-worker@emfollow`,
        }),
    );
    for (const w of workers) await w.start();
    bus = createBus('memory://', config);
    const listener = await startIgwnAlertListener(
      app,
      workers.find((w) => w.options.queues.includes('celery')),
      config,
      bus,
    );
    stopListener = () => listener.stop();
    running = await startConsole({
      app,
      config,
      port: 0,
      ledger: { list: async () => ledger },
    });
    context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close();
    await stopListener();
    await bus?.close();
    closeGraceDbClients();
    await running?.close();
    for (const w of workers) await w.stop(100);
    await app?.close();
    await gracedb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('logs in', async () => {
    await page.goto(running.url);
    assert.match(page.url(), /\/login\?next=/);
    await shot('login');
    await page.fill('input[name=username]', 'albert.einstein');
    await page.fill('input[name=password]', 'relativity');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Welcome,');
    assert.match((await page.textContent('.who')) ?? '', /albert\.einstein/);
  });

  test('watches tasks appear live', async () => {
    for (let i = 0; i < 6; i++) {
      await app.sendTask('superevents.process', [{ uid: `G${1000 + i}`, alert_type: 'new' }]);
    }
    await app.sendTask('orchestrator.handle_superevent', [{ uid: sid, alert_type: 'label_added' }]);
    await page.goto(`${running.url}tasks`);
    await page.waitForSelector('#live-status.on');
    const before = await page.locator('#task-rows tr').count();
    // Sent after the page loaded: only the live stream can show it.
    await app.sendTask('superevents.process', [{ uid: sid, alert_type: 'label_added' }], {
      countdown: 0,
    });
    const sent = await app.sendTask('gwcelery.sleep', [0.2]);
    await page.waitForSelector(`#task-${sent.id}`, { timeout: 10_000 });
    await page.waitForSelector(`#task-${sent.id} .state.success`, { timeout: 10_000 });
    assert.ok((await page.locator('#task-rows tr').count()) > before);
    await shot('tasks');
    await page.click(`text=orchestrator.handle_superevent`);
    await page.waitForSelector('text=Traceback');
    assert.match((await page.textContent('pre.traceback')) ?? '', /GraceDB returned 503/);
    await shot('task-detail');
  });

  test('opens a superevent and its sky map', async () => {
    await page.goto(`${running.url}superevents`);
    await page.click(`a:text("${sid}")`);
    await page.waitForSelector('#skymap');
    await eventually(
      async () => ((await page.evaluate<number>(NATURAL_WIDTH)) > 0 ? true : undefined),
      30_000,
      'the sky-map image to load',
    );
    const width = await page.evaluate<number>(NATURAL_WIDTH);
    assert.equal(width, 1200);
    assert.match(
      (await page.textContent('table.waterfall')) ?? '',
      /preliminary #1 delivered to scimma/,
    );
    await shot('superevent');
  });

  test('workers, health and operations pages render', async () => {
    await page.goto(`${running.url}workers`);
    await page.waitForSelector('text=gwcelery-celery-worker@emfollow');
    await shot('workers');
    await page.goto(`${running.url}health`);
    await page.waitForSelector('text=Nagios check');
    await shot('health');
  });

  test('issues a mock event through its confirmation', async () => {
    await page.goto(`${running.url}operations`);
    await shot('operations');
    await page.click('#form-send_mock_event button[type=submit]');
    await page.waitForSelector('text=Confirm: Issue Mock Event');
    assert.equal(mockEvents.length, 0, 'nothing happens before the confirmation');
    await shot('confirm');
    await page.click('#confirm-send_mock_event button[type=submit]');
    await page.waitForSelector('.flash.success');
    assert.match((await page.textContent('.flash.success')) ?? '', /Queued a mock event\./);
    await eventually(() => (mockEvents.length === 1 ? true : undefined));
  });

  test('is refused without a CSRF token', async () => {
    await page.goto(`${running.url}operations`);
    await page.evaluate(
      "for (const input of document.querySelectorAll('#form-send_mock_event input[name=_csrf]')) input.remove();",
    );
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/send_mock_event')),
      page.click('#form-send_mock_event button[type=submit]'),
    ]);
    assert.equal(response.status(), 403);
    assert.match((await page.textContent('body')) ?? '', /did not carry a valid CSRF token/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mockEvents.length, 1);
  });
});
