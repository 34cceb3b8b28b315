import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, maskedConfig } from '../../src/config/index.js';

test('development is the default preset, with the embedded broker', () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.preset, 'development');
  assert.equal(config.broker_url, '');
  assert.equal(config.result_expires, 7200);
});

test('a preset overrides defaults; the environment overrides the preset', () => {
  const production = loadConfig({ env: { GWCELERY_CONFIG: 'production' } });
  assert.equal(production.broker_url, 'redis://127.0.0.1:6379/0');
  const overridden = loadConfig({
    env: { GWCELERY_CONFIG: 'production', GWCELERY_BROKER_URL: 'redis://other:6380/1' },
  });
  assert.equal(overridden.broker_url, 'redis://other:6380/1');
});

test('environment values are parsed by the key type', () => {
  const config = loadConfig({
    env: {
      GWCELERY_RESULT_EXPIRES: '60',
      GWCELERY_BEAT_SCHEDULE: '{"tick": {"task": "demo.tick", "every_s": 5}}',
    },
  });
  assert.equal(config.result_expires, 60);
  assert.deepEqual(config.beat_schedule.tick, {
    task: 'demo.tick',
    every_s: 5,
    args: [],
    kwargs: {},
  });
});

test('a wrong type names the key and the expected type', () => {
  assert.throws(
    () => loadConfig({ env: { GWCELERY_RESULT_EXPIRES: 'two hours' } }),
    (err: Error) =>
      err instanceof ConfigError &&
      /result_expires/.test(err.message) &&
      /expected number/.test(err.message),
  );
});

test('an unknown key stops start-up, from the environment or a file', () => {
  assert.throws(
    () => loadConfig({ env: { GWCELERY_RESULT_EXPIRE: '1' } }),
    /unknown configuration key 'result_expire'/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'gwcfg-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ no_such_key: 1 }));
  assert.throws(() => loadConfig({ env: {}, file }), /unknown configuration key 'no_such_key'/);
});

test('a configuration file sits between the preset and the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gwcfg-'));
  const file = join(dir, 'conf.json');
  writeFileSync(file, JSON.stringify({ result_expires: 10, worker_concurrency: 3 }));
  const config = loadConfig({ env: { GWCELERY_WORKER_CONCURRENCY: '4' }, file });
  assert.equal(config.result_expires, 10);
  assert.equal(config.worker_concurrency, 4);
});

test('an unknown preset is refused', () => {
  assert.throws(() => loadConfig({ env: { GWCELERY_CONFIG: 'staging' } }), /unknown preset/);
});

test('secrets are masked, URLs keep their host', () => {
  const config = loadConfig({
    env: { GWCELERY_BROKER_URL: 'redis://user:hunter2@redis.example:6379/0' },
  });
  const masked = maskedConfig(config);
  assert.equal(masked.broker_url, 'redis://****:****@redis.example:6379/0');
  assert.ok(!JSON.stringify(masked).includes('hunter2'));
});
