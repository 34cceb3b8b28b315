import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { getBootstep } from '../../src/engine/bootsteps.js';
import {
  alertDeliveryFor,
  closeAlertDeliveries,
  deliveryStats,
  roleConfig,
} from '../../src/pipeline/alert-delivery.js';

test('each role owns its network destinations: the broadcaster in voevent, Kafka in kafka', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-delivery-'));
  t.after(async () => {
    await closeAlertDeliveries();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: {
      data_dir: dataDir,
      voevent_broadcaster_whitelist: ['127.0.0.1'],
      kafka_alert_config: { gcn: { url: 'kafka://127.0.0.1:1/igwn.gwalert', suffix: 'json' } },
      alert_output_dir: 'alerts',
    },
  });
  assert.deepEqual(roleConfig(config, 'voevent').kafka_alert_config, {});
  assert.deepEqual(roleConfig(config, 'kafka').voevent_broadcaster_whitelist, []);

  // The worker of the voevent queue starts the broadcaster with itself and reports its peers.
  const stats: Record<string, unknown> = {};
  const worker = { setStat: (key: string, value: unknown) => (stats[key] = value) };
  const stop = await getBootstep('voevent')!.start({
    app: undefined as never,
    worker: worker as never,
    config,
  });
  assert.deepEqual(stats, { 'voevent-broker-peers': [], 'voevent-receiver-peers': [] });
  const voevent = await alertDeliveryFor(config, 'voevent');
  assert.ok(voevent.broadcaster, 'listening for GCN');
  assert.ok(voevent.broadcaster.address().port > 0);
  assert.deepEqual(voevent.sender.destinations.map((d) => d.name).sort(), [
    'file-avro',
    'file-json',
    'file-xml',
    'gcn-voevent',
  ]);
  assert.equal(await alertDeliveryFor(config, 'voevent'), voevent, 'one per process and role');
  const kafka = await alertDeliveryFor(config, 'kafka');
  assert.equal(kafka.broadcaster, undefined);
  assert.ok(kafka.sender.destinations.some((d) => d.name === 'gcn' && d.kind === 'kafka'));
  assert.deepEqual(deliveryStats(kafka, 'kafka'), {
    kafka_topic_up: { gcn: false },
    kafka_delivery_failures: { gcn: false },
  });
  await stop();
  assert.notEqual(await alertDeliveryFor(config, 'voevent'), voevent, 'stopped with the worker');
});
