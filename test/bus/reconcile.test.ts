import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InProcessBus } from '../../src/bus/drivers/in-process.js';
import { MemoryDedupStore } from '../../src/bus/igwn-alert/dedup-store.js';
import { listenerHealth } from '../../src/bus/igwn-alert/health.js';
import { IgwnAlertListener } from '../../src/bus/igwn-alert/listener.js';
import type { ChangedObject, GraceDbChanges } from '../../src/bus/igwn-alert/reconcile.js';
import { IgwnAlertRegistry } from '../../src/bus/igwn-alert/registry.js';
import type { Logger } from '../../src/log/index.js';
import { GRACEDB, label, logEntry, message, superevent } from './helpers/alerts.js';
import { eventually, settle, testBackoff } from './helpers/harness.js';
import { captureLogs } from './helpers/log-capture.js';
import { RecordingDispatcher } from './helpers/recording-dispatcher.js';

/** GraceDB's answer to "what changed between t1 and t2", scripted. */
class ScriptedChanges implements GraceDbChanges {
  readonly calls: { since: Date; until: Date }[] = [];
  failures = 0;
  constructor(private readonly objects: ChangedObject[]) {}
  async changedBetween(since: Date, until: Date): Promise<ChangedObject[]> {
    this.calls.push({ since, until });
    if (this.failures > 0) {
      this.failures--;
      throw new Error('GraceDB answered HTTP 503');
    }
    return this.objects;
  }
}

test('after a gap the listener asks GraceDB what changed and dispatches only what it missed', async () => {
  const now = Date.now();
  const bus = new InProcessBus({ backoff: testBackoff() });
  const dedup = new MemoryDedupStore();
  // The previous run was last alive a minute ago: the listener was down since then.
  await dedup.setMeta('last_alive', String(now - 60_000));
  const se = superevent('S1', { created: now - 30_000, labels: ['EM_READY', 'ADVREQ'] });
  const emReady = label('EM_READY', now - 25_000);
  const changes = new ScriptedChanges([
    {
      object: se,
      labels: [emReady, label('ADVREQ', now - 20_000)],
      logs: [logEntry(4, 'p_astro.json', now - 10_000)],
    },
    // Changed before the gap: nothing to replay.
    { object: superevent('S0', { created: now - 600_000 }), labels: [], logs: [] },
  ]);
  changes.failures = 1;
  const registry = new IgwnAlertRegistry();
  registry.register('superevent', 'h.superevent');
  const dispatcher = new RecordingDispatcher();
  const logs = captureLogs();
  const listener = new IgwnAlertListener({
    bus,
    gracedbUrl: GRACEDB,
    group: 'gracedb-test',
    topics: ['superevent'],
    consumerGroup: 'listener',
    dispatcher,
    dedup,
    registry,
    heartbeat: { topic: 'gracedb-test.hb', intervalMs: 100, staleMs: 1000 },
    tickMs: 100,
    dedupRetentionMs: 3_600_000,
    dedupWindowMs: 600_000,
    reconcile: { changes, gapMs: 1000 },
    log: logs.log as Logger,
  });
  try {
    await listener.start();
    // One change did arrive on the bus (the broker kept it): it must not be replayed again.
    await bus.publish('gracedb-test.superevent', message('S1', 'label_added', emReady, se));
    await eventually(() => listener.health().reconciliation.runs === 1, 'one reconciliation');
    await settle(300);
    assert.deepEqual(dispatcher.changesFor('h.superevent').sort(), [
      'S1:label_added',
      'S1:label_added',
      'S1:log',
      'S1:new',
    ]);
    const labels = dispatcher.sent
      .map((t) => t.args[0] as { alert_type: string; data: { name?: string } })
      .filter((a) => a.alert_type === 'label_added')
      .map((a) => a.data.name)
      .sort();
    assert.deepEqual(labels, ['ADVREQ', 'EM_READY']);
    const health = listenerHealth()!;
    assert.equal(health.reconciliation.lastRun?.replayed, 3);
    assert.equal(health.reconciliation.lastRun?.skipped, 1, 'EM_READY came on the bus');
    assert.equal(health.reconciliation.pending, undefined);
    assert.equal(dispatcher.refused.length, 0);
    // The first query failed (GraceDB 503) and was retried; the window starts before the gap.
    assert.equal(changes.calls.length, 2);
    assert.ok(changes.calls[1].since.getTime() <= now - 60_000);
    assert.ok(changes.calls[1].until.getTime() >= now);
    assert.ok(
      logs
        .messages()
        .some((m) =>
          /reconciliation with GraceDB failed; will try again: GraceDB answered HTTP 503/.test(m),
        ),
    );
    assert.ok(logs.messages().some((m) => /was not listening for \d+\.\d s/.test(m)));
    // Healthy ticks since then found no new gap.
    await settle(300);
    assert.equal(listener.health().reconciliation.runs, 1);
  } finally {
    await listener.stop();
    await bus.close();
  }
  assert.equal(listenerHealth(), undefined, 'no listener runs once stopped');
});

test('a gap longer than the limit is reconciled for its most recent part only', async () => {
  const now = Date.now();
  const bus = new InProcessBus({ backoff: testBackoff() });
  const dedup = new MemoryDedupStore();
  await dedup.setMeta('last_alive', String(now - 10 * 3600_000));
  const se = superevent('S2', { created: now - 5 * 3600_000 });
  const changes = new ScriptedChanges([
    {
      object: se,
      labels: [label('OLD', now - 4 * 3600_000), label('RECENT', now - 20_000)],
      logs: [],
    },
  ]);
  const registry = new IgwnAlertRegistry();
  registry.register('superevent', 'h.superevent');
  const dispatcher = new RecordingDispatcher();
  const logs = captureLogs();
  const listener = new IgwnAlertListener({
    bus,
    gracedbUrl: GRACEDB,
    group: 'gracedb-test',
    topics: ['superevent'],
    consumerGroup: 'listener',
    dispatcher,
    dedup,
    registry,
    tickMs: 100,
    dedupRetentionMs: 3_600_000,
    dedupWindowMs: 600_000,
    reconcile: { changes, gapMs: 1000, maxMs: 60_000 },
    log: logs.log as Logger,
  });
  try {
    await listener.start();
    await eventually(() => listener.health().reconciliation.runs === 1, 'one reconciliation');
    assert.deepEqual(
      dispatcher.sent.map((t) => (t.args[0] as { data: { name: string } }).data.name),
      ['RECENT'],
    );
    assert.ok(changes.calls[0].since.getTime() >= now - 61_000);
    assert.ok(
      logs
        .messages()
        .some((m) => /gap longer than 60 s: only its last 60 s are reconciled/.test(m)),
    );
  } finally {
    await listener.stop();
    await bus.close();
  }
});
