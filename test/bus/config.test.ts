import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBus } from '../../src/bus/create-bus.js';
import { IGWN_ALERT_TOPICS } from '../../src/bus/igwn-alert/topics.js';
import { loadConfig, maskedConfig } from '../../src/config/index.js';

test('IGWN Alert presets follow gwcelery-spec §9.1', () => {
  const group = (preset: string) => loadConfig({ env: {}, preset }).igwn_alert_group;
  assert.equal(group('production'), 'gracedb');
  assert.equal(group('playground'), 'gracedb-playground');
  assert.equal(group('test'), 'gracedb-test');
  assert.equal(group('development'), 'gracedb-local');
  const production = loadConfig({ env: {}, preset: 'production' });
  assert.equal(production.igwn_alert_server, 'kafka://kafka.scimma.org');
  assert.deepEqual(production.igwn_alert_topics, [...IGWN_ALERT_TOPICS]);
  assert.equal(production.igwn_alert_topics.length, 13);
  assert.equal(
    production.kafka_consumer_config.fermi_targeted.url,
    'kafka://kafka.gcn.nasa.gov/fermi.gbm.targeted.private.igwn',
  );
  assert.equal(Object.keys(production.kafka_consumer_config).length, 12);
  assert.equal(
    loadConfig({ env: {}, preset: 'playground' }).kafka_consumer_config.fermi_targeted.url,
    'kafka://kafka.test.gcn.nasa.gov/fermi.gbm.targeted.private.igwn',
  );
  assert.equal(loadConfig({ env: {}, preset: 'development' }).igwn_alert_server, '');
});

test('gwcelery config masks Kafka credentials but shows servers, users and file names', () => {
  const config = loadConfig({
    env: {
      GWCELERY_KAFKA_AUTH: JSON.stringify({
        'kafka.scimma.org': { mechanism: 'scram-sha-512', username: 'robot', password: 'hunter2' },
        '*.gcn.nasa.gov': {
          mechanism: 'oauthbearer',
          client_id: 'cid',
          client_secret: 'shh',
          client_secret_file: '/etc/s',
        },
      }),
      GWCELERY_BUS_URL: 'redis://:pw@redis.example:6379/0',
    },
  });
  const masked = maskedConfig(config) as Record<string, Record<string, Record<string, unknown>>>;
  const text = JSON.stringify(masked);
  assert.ok(!text.includes('hunter2') && !text.includes('shh') && !text.includes(':pw@'), text);
  assert.equal(masked.kafka_auth['kafka.scimma.org'].username, 'robot');
  assert.equal(masked.kafka_auth['kafka.scimma.org'].password, '****');
  assert.equal(masked.kafka_auth['*.gcn.nasa.gov'].client_id, 'cid');
  assert.equal(masked.kafka_auth['*.gcn.nasa.gov'].client_secret_file, '/etc/s');
});

test('bad bus settings are configuration errors naming the key', () => {
  assert.throws(() => loadConfig({ env: { GWCELERY_BUS_URL: 'amqp://x' } }), /bus_url/);
  assert.throws(
    () => loadConfig({ env: { GWCELERY_KAFKA_AUTH: '{"h": {"mechanism": "gssapi"}}' } }),
    /kafka_auth/,
  );
  assert.throws(
    () =>
      loadConfig({
        env: { GWCELERY_KAFKA_CONSUMER_CONFIG: '{"x": {"url": "http://a/b", "suffix": "xml"}}' },
      }),
    /kafka_consumer_config.*expected kafka:\/\/host\/topic/,
  );
});

test('createBus picks the driver from the URL; the in-process journal lives in data_dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwt-busconf-'));
  try {
    const config = loadConfig({ env: {}, preset: 'test', overrides: { data_dir: dir } });
    const journalled = createBus('', config);
    assert.equal(journalled.driver, 'in-process');
    assert.match(journalled.description, /bus\.sqlite/);
    await journalled.close();
    const memory = createBus('memory://', config);
    assert.equal(memory.description, 'in-process');
    await memory.close();
    const redis = createBus('redis://127.0.0.1:6379/0', config);
    assert.equal(redis.driver, 'redis');
    await redis.close();
    const kafka = createBus('kafka://127.0.0.1:1', config);
    assert.equal(kafka.driver, 'kafka');
    await kafka.close();
    assert.throws(() => createBus('nats://x', config), /unsupported bus URL 'nats:\/\/x'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
