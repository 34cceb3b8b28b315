import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RedisStreamsBus } from '../../src/bus/drivers/redis-streams.js';
import { RedisDedupStore } from '../../src/bus/igwn-alert/redis-dedup-store.js';
import { PrivateRedis, uniquePrefix } from '../helpers/redis.js';
import { testBackoff } from './helpers/harness.js';
import { brokerOutageScenario } from './helpers/outage-scenario.js';

test('Redis stopped under the listener and started again: it reconnects and loses nothing', async () => {
  const redis = await PrivateRedis.start({ persistence: true });
  const prefix = uniquePrefix('outage');
  const bus = new RedisStreamsBus({
    url: redis.url,
    prefix,
    backoff: testBackoff(),
    blockMs: 200,
    claimIdleMs: 1000,
    publishTimeoutMs: 60_000,
  });
  const dedup = new RedisDedupStore(redis.url, prefix);
  try {
    await brokerOutageScenario(
      {
        bus,
        dedup,
        stop: () => redis.stop(),
        start: () => redis.restart(),
      },
      'gracedb-outage',
    );
    const status = bus.description;
    assert.match(status, /redis streams redis:\/\/127\.0\.0\.1:\d+\/0/);
  } finally {
    await bus.close();
    await dedup.close();
    await redis.destroy();
  }
});
