/**
 * The distributed shape: `superevents.process` served by two `gwcelery worker -Q superevent -c 1`
 * processes on the Redis broker. The queue's lease lets one run at a time across both, so 16
 * simultaneous candidates of one signal still make exactly one superevent.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/engine/index.js';
// Sending by name routes by the task's queue: the sender imports the pipeline, as every process does.
import '../../src/pipeline/index.js';
import type { ProcessOutcome } from '../../src/pipeline/superevents/process-candidate.js';
import { startTestGraceDb, TOKEN } from '../gracedb/helpers.js';
import { gwcelery } from '../helpers/process.js';
import { deletePrefix, SHARED_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { upload } from './gracedb-uploads.js';

test('two superevent workers on Redis: 16 simultaneous candidates, one superevent', async (t) => {
  const g = await startTestGraceDb();
  const prefix = uniquePrefix('superevents');
  const env = {
    GWCELERY_BROKER_URL: SHARED_REDIS_URL,
    GWCELERY_REDIS_PREFIX: prefix,
    GWCELERY_GRACEDB_HOST: g.service.url,
    GWCELERY_GRACEDB_TOKEN: TOKEN,
    GWCELERY_LOG_LEVEL: 'info',
  };
  const workers = [1, 2].map((i) =>
    gwcelery(['worker', '-Q', 'superevent', '-c', '1', '-n', `superevent-${i}@test`], env),
  );
  const app = createApp(
    loadConfig({
      env: { GWCELERY_CONFIG: 'test' },
      overrides: { broker_url: SHARED_REDIS_URL, redis_prefix: prefix },
    }),
  );
  t.after(async () => {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    await app.close();
    await deletePrefix(SHARED_REDIS_URL, prefix);
    await g.close();
  });
  await Promise.all(workers.map((w) => w.waitFor(/worker ready/, 60_000)));

  const pipelines = ['gstlal', 'pycbc', 'MBTA', 'spiir'];
  const events = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      upload(g.client, {
        pipeline: pipelines[i % 4]!,
        gpstime: 1400000000 + i / 1000,
        far: 1e-9,
        snr: 10 + i / 10,
      }),
    ),
  );
  const sent = await Promise.all(
    events.map((object) =>
      app.sendTask('superevents.process', [{ alert_type: 'new', object }], { priority: 1 }),
    ),
  );
  const outcomes = (await Promise.all(sent.map((r) => r.get(60_000)))) as ProcessOutcome[];

  assert.equal(outcomes.filter((o) => o.action === 'created').length, 1, 'one creation');
  assert.equal(new Set(outcomes.map((o) => o.superevent_id)).size, 1);
  const superevents = await g.client.getSuperevents('');
  assert.equal(superevents.length, 1, 'exactly one superevent in GraceDB');
  assert.equal(superevents[0]!.gw_events.length, 16);
  const loudest = events.reduce((a, b) =>
    (a.extra_attributes as { CoincInspiral: { snr: number } }).CoincInspiral.snr >=
    (b.extra_attributes as { CoincInspiral: { snr: number } }).CoincInspiral.snr
      ? a
      : b,
  );
  assert.equal(superevents[0]!.preferred_event, loudest.graceid, 'the loudest, whatever the order');
});
