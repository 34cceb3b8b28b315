/**
 * A loud binary black hole makes every pipeline instance upload within seconds: many uploads of
 * one candidate must give one superevent and no error. The default suite runs 20 uploads in two
 * seconds; `npm run bench:burst` runs the full 100 in ten.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { type LocalStack, startLocalStack } from '../../src/ops/local-stack.js';
import '../../src/pipeline/index.js';
import type { MockEventResult } from '../../src/pipeline/mock/upload-mock-event.js';
import { eventually } from '../helpers/process.js';

const UPLOADS = 20;
/** The queues the superevent path runs on; the annotations' queues have no worker here. */
const SERVED = ['celery', 'superevent'];

/** Every task that failed, once the queues have been idle for half a second (the vetting countdown stays scheduled). */
async function failedTasks(stack: LocalStack): Promise<string[]> {
  let quiet = 0;
  await eventually(
    async () => {
      const stats = await stack.app.broker.queueStats(SERVED);
      // The stats also list queues nobody serves here (BAYESTAR, em_bright): not ours to wait on.
      const busy = SERVED.some(
        (name) => (stats[name]?.waiting ?? 0) + (stats[name]?.active ?? 0) > 0,
      );
      quiet = busy ? 0 : quiet + 1;
      return quiet >= 20 ? true : undefined;
    },
    60_000,
    'the queues to settle',
  );
  await stack.app.events.flush();
  const events = await stack.app.broker.readEvents(undefined, 100_000);
  assert.ok(
    events.some((e) => e.event.type === 'task-succeeded'),
    'task events are recorded',
  );
  return events
    .filter((e) => e.event.type === 'task-failed')
    .map((e) => `${e.event.name}: ${e.event.error}`);
}

test(`a burst of ${UPLOADS} uploads of one candidate within 2 s: one superevent, every upload in it, no failed task`, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-mock-burst-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: {
      data_dir: dataDir,
      log_level: 'error',
      mock_events_source: 'generated',
      mock_events_upload_spread_s: 2,
      mock_events_vetting_delay_s: 3600,
    },
  });
  const stack = await startLocalStack(config, { queues: { celery: 4, superevent: 1 } });
  t.after(async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const result = (await (
    await stack.app.sendTask('first2years.upload_event', [], { kwargs: { uploads: UPLOADS } })
  ).get(60_000)) as MockEventResult;
  assert.equal(new Set(result.graceids).size, UPLOADS);
  const superevent = await eventually(
    async () => {
      const all = await stack.gracedb.getSuperevents('MDC');
      return all.length === 1 && all[0]!.gw_events.length === UPLOADS ? all[0] : undefined;
    },
    60_000,
    `one superevent holding all ${UPLOADS} uploads`,
  );
  assert.deepEqual([...superevent.gw_events].sort(), [...result.graceids].sort());
  const events = await Promise.all(result.graceids.map((g) => stack.gracedb.getEvent(g)));
  assert.ok(events.every((e) => e.superevent === superevent.superevent_id));
  assert.equal((await stack.gracedb.getSuperevents('MDC')).length, 1);
  assert.deepEqual(await failedTasks(stack), []);
});
