/**
 * `gwcelery mock upload` and `gwcelery latency` beside a running one-process pipeline, as a
 * newcomer uses them next to `npm start`: the commands find the embedded GraceDB's write token
 * and the alert ledger in the data directory.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { startLocalStack } from '../../src/ops/local-stack.js';
import '../../src/pipeline/index.js';
import type { LatencyWaterfall } from '../../src/pipeline/latency/waterfall.js';
import type { MockEventResult } from '../../src/pipeline/mock/upload-mock-event.js';
import type { SnewsEventResult } from '../../src/pipeline/mock/upload-snews-event.js';
import { eventually, PROJECT_ROOT } from '../helpers/process.js';

const BIN = join(PROJECT_ROOT, 'bin', 'gwcelery.js');

/** Runs the gwcelery command; stdout apart from stderr, where the logs go. */
function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, GWCELERY_CONFIG: 'test', GWCELERY_LOG_FORMAT: 'json', ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, output: `${stdout}${stderr}` });
      },
    );
  });
}

test('gwcelery mock upload and gwcelery latency against a running pipeline', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-mock-cli-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: { data_dir: dataDir, log_level: 'error', mock_events_vetting_delay_s: 3600 },
  });
  const stack = await startLocalStack(config, { queues: { celery: 4, superevent: 1 } });
  t.after(async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = {
    GWCELERY_GRACEDB_HOST: stack.service.url,
    GWCELERY_MOCK_EVENTS_SOURCE: 'generated',
    GWCELERY_MOCK_EVENTS_UPLOAD_SPREAD_S: '0.5',
    GWCELERY_LOG_LEVEL: 'error',
  };

  const upload = await run(['mock', 'upload', '--uploads', '2', '--json', '--data', dataDir], env);
  assert.equal(upload.code, 0, upload.output);
  const result = JSON.parse(upload.stdout) as MockEventResult;
  assert.equal(result.graceids.length, 2);
  assert.equal(result.origin.source, 'generated');
  const superevent = await eventually(
    async () => {
      const [found] = await stack.gracedb.getSuperevents('MDC');
      return found && found.gw_events.length === 2 ? found : undefined;
    },
    30_000,
    'the superevent of the uploaded mock event',
  );

  const text = await run(['mock', 'upload', '--uploads', '1', '--data', dataDir], env);
  assert.equal(text.code, 0, text.output);
  assert.match(
    text.stdout,
    /^mock event M\d+ uploaded to http:\/\/127\.0\.0\.1:\d+\/api\/ \(1 upload: M\d+\)/,
  );
  assert.match(text.stdout, /source: +simulated (BNS|NSBH|BBH)/);

  const snews = await run(['mock', 'upload', '--snews', '--json', '--data', dataDir], env);
  assert.equal(snews.code, 0, snews.output);
  const snewsEvent = await stack.gracedb.getEvent(
    (JSON.parse(snews.stdout) as SnewsEventResult).graceid,
  );
  assert.equal(snewsEvent.pipeline, 'SNEWS');

  const latency = await run(
    ['latency', '--superevent', superevent.superevent_id, '--json', '--data', dataDir],
    env,
  );
  assert.equal(latency.code, 0, latency.output);
  const [waterfall] = JSON.parse(latency.stdout) as LatencyWaterfall[];
  assert.equal(waterfall!.superevent, superevent.superevent_id);
  const stages = waterfall!.steps.map((s) => s.stage);
  for (const stage of ['t0', 'first_upload', 'superevent_created', 'label:ADVREQ']) {
    assert.ok(stages.includes(stage), `${stage} in ${stages.join(', ')}`);
  }
  const table = await run(['latency', '--last', '5', '--category', 'mdc', '--data', dataDir], env);
  assert.equal(table.code, 0, table.output);
  assert.match(table.output, new RegExp(`${superevent.superevent_id}: t₀ .*no alert delivered`));
  assert.match(table.output, /first event uploaded/);

  const none = await run(['latency', '--category', 'test', '--data', dataDir], env);
  assert.equal(none.code, 0, none.output);
  assert.match(none.output, /no test superevents in the last 24 h/);
});

test('bad options are errors that name the option', async () => {
  const zero = await run(['mock', 'upload', '--uploads', '0'], {});
  assert.equal(zero.code, 1);
  assert.match(zero.output, /--uploads must be a whole number ≥ 1, got '0'/);
  const both = await run(['mock', 'upload', '--snews', '--uploads', '2'], {});
  assert.equal(both.code, 1);
  assert.match(both.output, /--uploads applies to CBC events only/);
  const category = await run(['latency', '--category', 'nope'], {});
  assert.equal(category.code, 1);
  assert.match(category.output, /--category must be production, mdc, test or all, got 'nope'/);
});
