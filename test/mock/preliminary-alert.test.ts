/**
 * The acceptance path of `npm start`, end to end in one process: a mock event becomes a
 * superevent, BAYESTAR localizes it, the orchestrator sends its preliminary alert (files under
 * DIR/alerts and ledger receipts), and the mock advocate's signoff sends the initial notice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LedgerRecord } from '../../src/alerts/ledger/ledger.js';
import { openAlertLedger } from '../../src/alerts/ledger/open-ledger.js';
import { loadConfig } from '../../src/config/index.js';
import { startLocalStack } from '../../src/ops/local-stack.js';
import '../../src/pipeline/index.js';
import { collectWaterfall } from '../../src/pipeline/latency/collect-waterfall.js';
import type { MockEventResult } from '../../src/pipeline/mock/upload-mock-event.js';
import { eventually } from '../helpers/process.js';

/** The queues the alert workflow uses, one worker each beside the general queue. */
const QUEUES = {
  celery: 4,
  superevent: 1,
  'em-bright': 1,
  openmp: 1,
  highmem: 1,
  voevent: 1,
  kafka: 1,
};

test('a mock event becomes a preliminary alert under DIR/alerts, and the mock advocate’s OK an initial notice', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-mock-alert-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: {
      data_dir: dataDir,
      log_level: 'error',
      alert_output_dir: 'alerts',
      mock_events_source: 'generated',
      mock_events_simulate_multiple_uploads: 1,
      // Vetting is sent by hand below, once the preliminary is out.
      mock_events_vetting_delay_s: 3600,
      mock_events_vetting_ok_probability: 1,
      joint_mdc_freq: 1000,
      // Localize on worker threads: in the calling thread BAYESTAR would hold up the embedded
      // GraceDB in this same process for seconds.
      bayestar_threads: 2,
    },
  });
  const stack = await startLocalStack(config, { queues: QUEUES });
  const ledger = openAlertLedger(stack.config);
  t.after(async () => {
    await ledger.close();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const delivered = async (sid: string, alertType: string): Promise<LedgerRecord[] | undefined> => {
    const records = (await ledger.list({ superevent: sid })).filter(
      (r) => r.alertType === alertType && r.state === 'delivered',
    );
    return records.length ? records : undefined;
  };

  const result = (await (
    await stack.app.sendTask('first2years.upload_event', [])
  ).get(60_000)) as MockEventResult;
  const superevent = await eventually(
    async () => (await stack.gracedb.getSuperevents(`MDC event: ${result.graceid}`))[0],
    30_000,
    'the mock event’s superevent',
  );
  const sid = superevent.superevent_id;
  const preliminary = await eventually(
    () => delivered(sid, 'preliminary'),
    180_000,
    `the preliminary alert of ${sid}`,
  );
  // The VOEvent (voevent queue) and the Kafka packets (kafka queue) are written apart.
  const expected = ['json', 'avro', 'xml'].map((format) => `${sid}-1-preliminary.${format}`);
  await eventually(
    () => {
      const files = readdirSync(join(dataDir, 'alerts'));
      return expected.every((name) => files.includes(name)) ? true : undefined;
    },
    60_000,
    `${expected.join(', ')} under DIR/alerts`,
  );
  assert.ok(preliminary.some((r) => r.destination.startsWith('file')));
  const labels = await stack.gracedb.getLabels(sid);
  for (const label of ['SIGNIF_LOCKED', 'GCN_PRELIM_SENT', 'ADVREQ']) {
    assert.ok(labels.has(label), `${label} on ${sid}: ${[...labels].join(' ')}`);
  }

  // The waterfall sees every stage up to the receipts.
  const waterfall = await collectWaterfall(stack.gracedb, ledger, sid);
  const stages = waterfall.steps.map((s) => s.stage);
  for (const stage of [
    'first_upload',
    'superevent_created',
    'event_label:SKYMAP_READY',
    'label:SIGNIF_LOCKED',
    'voevent_created',
  ]) {
    assert.ok(stages.includes(stage), `${stage} in ${stages.join(', ')}`);
  }
  assert.ok(stages.some((s) => s.startsWith('delivered:preliminary#1:')));
  assert.ok(
    waterfall.firstAlertSinceUploadS !== undefined && waterfall.firstAlertSinceUploadS >= 0,
  );

  await (await stack.app.sendTask('first2years.vet_event', [sid])).get(30_000);
  await eventually(() => delivered(sid, 'initial'), 60_000, `the initial notice of ${sid}`);
  assert.ok(
    readdirSync(join(dataDir, 'alerts')).some(
      (f) => f.startsWith(`${sid}-`) && f.includes('initial'),
    ),
  );
});
