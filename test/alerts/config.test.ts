import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';

test('alert presets follow the reference deployments', () => {
  const production = loadConfig({ env: {}, preset: 'production' });
  assert.deepEqual(
    Object.fromEntries(
      Object.entries(production.kafka_alert_config).map(([k, v]) => [k, [v.url, v.suffix]]),
    ),
    {
      scimma: ['kafka://kafka.scimma.org/igwn.gwalert', 'avro'],
      gcn: ['kafka://kafka.gcn.nasa.gov/igwn.gwalert', 'json'],
    },
  );
  assert.equal(production.voevent_broadcaster_address, ':5341');
  assert.deepEqual(production.voevent_broadcaster_whitelist, ['capella2.gsfc.nasa.gov']);
  const playground = loadConfig({ env: {}, preset: 'playground' });
  assert.equal(
    playground.kafka_alert_config.scimma.url,
    'kafka://kafka.scimma.org/igwn.gwalert-playground',
  );
  assert.equal(
    playground.kafka_alert_config.gcn.url,
    'kafka://kafka.test.gcn.nasa.gov/igwn.gwalert',
  );
  assert.equal(playground.voevent_receiver_address, '50.116.49.68:8094');
  const development = loadConfig({ env: {}, preset: 'development' });
  assert.deepEqual(development.kafka_alert_config, {}, 'a local run sends nowhere public');
  assert.deepEqual(development.voevent_broadcaster_whitelist, [], 'broadcasting disabled');
  assert.equal(development.alert_output_dir, 'alerts');
});

test('a Kafka destination is validated where it is configured', () => {
  const bad = (value: unknown, message: RegExp) =>
    assert.throws(
      () => loadConfig({ env: {}, overrides: { kafka_alert_config: value } }),
      (err: Error) => err instanceof ConfigError && message.test(err.message),
    );
  bad(
    { x: { url: 'http://h/t', suffix: 'avro' } },
    /kafka_alert_config.*x\.url: expected kafka:\/\/host\[:port\]\/topic/,
  );
  bad({ x: { url: 'kafka://h/t', suffix: 'xml' } }, /x\.suffix/);
  bad(
    { x: { url: 'kafka://h/t', suffix: 'json', skymap_encoder: 'raw' } },
    /skymap_encoder must be raw for avro and base64 for json/,
  );
  bad(
    { x: { url: 'kafka://h/t', suffix: 'json', auth: { mechanism: 'plain', username: 'u' } } },
    /exactly one of password_env and password_file/,
  );
  const ok = loadConfig({
    env: {},
    overrides: {
      kafka_alert_config: { local: { url: 'kafka://127.0.0.1:9092/igwn.gwalert', suffix: 'json' } },
    },
  });
  assert.deepEqual(ok.kafka_alert_config.local, {
    url: 'kafka://127.0.0.1:9092/igwn.gwalert',
    suffix: 'json',
    auth: false,
    ssl: false,
    compression: 'gzip',
  });
});
