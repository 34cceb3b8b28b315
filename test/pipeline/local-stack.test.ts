import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { onIgwnAlert } from '../../src/bus/igwn-alert/registry.js';
import { loadConfig } from '../../src/config/index.js';
import { defineTask } from '../../src/engine/index.js';
import { startLocalStack } from '../../src/ops/local-stack.js';
import { eventually } from '../helpers/process.js';

const seen: { alert_type: string; uid: string }[] = [];
defineTask(
  { name: 'test.local_stack.record_alert' },
  (_ctx, alert: { alert_type: string; uid: string }) => {
    seen.push({ alert_type: alert.alert_type, uid: alert.uid });
  },
);
onIgwnAlert(['cbc_gstlal'], 'test.local_stack.record_alert');

test('the one-process pipeline: an upload to the embedded GraceDB reaches its handler task', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-stack-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'development' },
    overrides: { data_dir: dataDir, log_level: 'warn' },
  });
  const stack = await startLocalStack(config, { queues: { celery: 4, superevent: 1 } });
  t.after(() => stack.close());
  const tokenFile = join(dataDir, 'gracedb-token');
  assert.equal(
    statSync(tokenFile).mode & 0o777,
    0o600,
    'the write token is readable by its owner only',
  );
  assert.equal(readFileSync(tokenFile, 'utf8').trim(), stack.config.gracedb_token);

  const coinc = readFileSync(new URL('../fixtures/ligolw/coinc.xml', import.meta.url));
  const event = await stack.gracedb.createEvent(coinc, 'AllSky', 'gstlal', 'CBC');
  const graceid = String(event.graceid);
  await eventually(
    () => seen.find((a) => a.uid === graceid && a.alert_type === 'new'),
    15_000,
    'new alert',
  );
});
