import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InProcessBus } from '../../src/bus/drivers/in-process.js';
import {
  createDedupStore,
  createIgwnAlertListener,
} from '../../src/bus/igwn-alert/create-listener.js';
import { MemoryDedupStore } from '../../src/bus/igwn-alert/dedup-store.js';
import { RedisDedupStore } from '../../src/bus/igwn-alert/redis-dedup-store.js';
import { IgwnAlertRegistry } from '../../src/bus/igwn-alert/registry.js';
import { SqliteDedupStore } from '../../src/bus/igwn-alert/sqlite-dedup-store.js';
import { loadConfig } from '../../src/config/index.js';
import { GRACEDB, message, superevent } from './helpers/alerts.js';
import { eventually } from './helpers/harness.js';
import { RecordingDispatcher } from './helpers/recording-dispatcher.js';

test('the embedded pipeline: the listener reads the pipeline bus under the configured group', async () => {
  const config = loadConfig({ env: {}, preset: 'test' });
  const pipelineBus = new InProcessBus();
  const registry = new IgwnAlertRegistry();
  registry.register(['superevent', 'mdc_superevent'], 'orchestrator.handle_superevent');
  const dispatcher = new RecordingDispatcher();
  const running = createIgwnAlertListener(config, {
    dispatcher,
    gracedbUrl: GRACEDB,
    pipelineBus,
    registry,
  });
  try {
    assert.equal(running.bus, pipelineBus, "igwn_alert_server '' means the pipeline's bus");
    await running.listener.start();
    await pipelineBus.publish(
      'gracedb-test.mdc_superevent',
      message('MS1', 'new', superevent('MS1'), superevent('MS1')),
    );
    await eventually(() => dispatcher.sent.length === 1, 'dispatched');
    const health = running.listener.health();
    assert.equal(health.group, 'gracedb-test');
    assert.equal(health.topics.length, 13);
    assert.equal(health.heartbeat?.topic, 'gracedb-test.gwcelery-heartbeat');
    assert.equal(health.reconciliation.enabled, false);
  } finally {
    await running.close();
    await pipelineBus.close();
  }
});

test('the dedup memory lives in Redis when there is one, else in the data directory, else in memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwt-dedupsel-'));
  try {
    const withRedis = createDedupStore(loadConfig({ env: {}, preset: 'production' }));
    assert.ok(withRedis instanceof RedisDedupStore);
    await withRedis.close();
    const onDisk = createDedupStore(
      loadConfig({ env: {}, preset: 'test', overrides: { data_dir: dir } }),
    );
    assert.ok(onDisk instanceof SqliteDedupStore);
    await onDisk.setMeta('last_alive', '42');
    await onDisk.close();
    const reopened = createDedupStore(
      loadConfig({ env: {}, preset: 'test', overrides: { data_dir: dir } }),
    );
    assert.equal(await reopened.getMeta('last_alive'), '42');
    await reopened.close();
    assert.ok(
      createDedupStore(loadConfig({ env: {}, preset: 'test' })) instanceof MemoryDedupStore,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
