import assert from 'node:assert/strict';
import type { Bus } from '../../../src/bus/bus.js';
import type { DedupStore } from '../../../src/bus/igwn-alert/dedup-store.js';
import type { ListenerHealth } from '../../../src/bus/igwn-alert/health.js';
import { IgwnAlertListener } from '../../../src/bus/igwn-alert/listener.js';
import { IgwnAlertRegistry } from '../../../src/bus/igwn-alert/registry.js';
import type { Logger } from '../../../src/log/index.js';
import { GRACEDB, logEntry, message, superevent } from './alerts.js';
import { eventually, settle } from './harness.js';
import { captureLogs } from './log-capture.js';
import { RecordingDispatcher } from './recording-dispatcher.js';

export interface Broker {
  bus: Bus;
  dedup: DedupStore;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Stops the broker under a running listener and starts it again: the listener must reconnect by
 * itself, lose no message (published before, during and after the outage), dispatch none twice,
 * and its health must show the outage while it lasts and clear afterwards.
 */
export async function brokerOutageScenario(broker: Broker, group: string): Promise<void> {
  const registry = new IgwnAlertRegistry();
  registry.register('superevent', 'h.superevent');
  const dispatcher = new RecordingDispatcher();
  const logs = captureLogs();
  const listener = new IgwnAlertListener({
    bus: broker.bus,
    gracedbUrl: GRACEDB,
    group,
    topics: ['superevent'],
    consumerGroup: `listener-${group}`,
    dispatcher,
    dedup: broker.dedup,
    registry,
    heartbeat: { topic: `${group}.gwcelery-heartbeat`, intervalMs: 200, staleMs: 1500 },
    tickMs: 200,
    dedupRetentionMs: 3_600_000,
    dedupWindowMs: 600_000,
    log: logs.log as Logger,
  });
  const topic = `${group}.superevent`;
  const publish = (n: number) =>
    broker.bus.publish(topic, message('S1', 'log', logEntry(n), superevent('S1')));
  try {
    await listener.start();
    await listener.ready();
    for (let n = 1; n <= 3; n++) await publish(n);
    await eventually(
      () => dispatcher.sent.length === 3,
      'three dispatched before the outage',
      60_000,
    );
    await eventually(() => listener.health().healthy, 'healthy before the outage', 60_000);

    await broker.stop();
    let during: ListenerHealth | undefined;
    await eventually(
      () => {
        const health = listener.health();
        if (!health.healthy && !health.heartbeat!.fresh && health.lag.error) during = health;
        return during !== undefined;
      },
      'the outage shows in health (heartbeat stale, lag unknown)',
      60_000,
    );
    // Published during the outage: the publish retries until the broker is back.
    const whileDown = [publish(4), publish(5)];
    await settle(500);
    await broker.start();
    await Promise.all(whileDown);
    await publish(6);

    await eventually(() => dispatcher.sent.length >= 6, 'every message dispatched', 90_000);
    await eventually(
      () => {
        const health = listener.health();
        return (
          health.healthy && health.lag.total === 0 && health.connection.outages.every((o) => o.end)
        );
      },
      'healthy again with lag 0 and the outage closed',
      90_000,
    );
    await settle(500);
    const numbers = dispatcher.sent.map((t) => (t.args[0] as { data: { N: number } }).data.N);
    assert.deepEqual(numbers.sort(), [1, 2, 3, 4, 5, 6], 'no message lost, none twice');
    assert.equal(dispatcher.refused.length, 0);

    assert.ok(
      during!.problems.some((p) => p.startsWith('heartbeat stale')),
      during!.problems.join('; '),
    );
    assert.ok(during!.problems.some((p) => p.startsWith('lag unknown')));
    const after = listener.health();
    assert.ok(after.connection.reconnects >= 1 || after.connection.outages.length >= 1);
    assert.ok(after.heartbeat!.fresh);
    assert.deepEqual(after.problems, []);
  } finally {
    await listener.stop();
  }
}
