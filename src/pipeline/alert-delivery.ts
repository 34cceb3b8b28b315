/**
 * The alert delivery of this process (src/alerts): one per role, started on first use and kept
 * for the life of the process. The `voevent` role owns the VOEvent broadcaster (and the echo
 * receiver); the `kafka` role owns the Kafka producers. Both write the local files of their
 * formats and share the ledger, so every (superevent, alert type, serial, destination) goes out
 * once whichever process sends it.
 */

import { AlertDelivery } from '../alerts/alert-delivery.js';
import { ECHO_DIFFERS_MESSAGE, type EchoResult } from '../alerts/echo-check.js';
import type { Config } from '../config/index.js';
import { registerBootstep } from '../engine/bootsteps.js';
import { STATS_KEYS } from '../engine/stats-keys.js';
import { getLogger } from '../log/index.js';
import { gracedbFor } from './gracedb.js';

const log = getLogger('pipeline.alert-delivery');

export type DeliveryRole = 'voevent' | 'kafka';

const deliveries = new Map<DeliveryRole, Promise<AlertDelivery>>();

/** The configuration a role starts its delivery with: only its own network destinations. */
export function roleConfig(config: Config, role: DeliveryRole): Config {
  return role === 'voevent'
    ? { ...config, kafka_alert_config: {} }
    : { ...config, voevent_broadcaster_whitelist: [], voevent_receiver_address: '' };
}

/** The echo check's verdict, written where operators look: the superevent in GraceDB. */
async function reportEcho(config: Config, result: EchoResult): Promise<void> {
  const gracedb = gracedbFor(config);
  if (result.outcome === 'identical') {
    await gracedb.createTag(result.filename, 'gcn_received', result.graceid);
  } else if (result.outcome === 'different') {
    const escaped = (result.diff ?? '')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;');
    await gracedb.upload(
      null,
      null,
      result.graceid,
      `${ECHO_DIFFERS_MESSAGE}<pre>${escaped}</pre>`,
      ['em_follow'],
    );
  } else {
    log.warn({ ivorn: result.ivorn, reason: result.reason }, 'echo check inconclusive');
  }
}

export function alertDeliveryFor(config: Config, role: DeliveryRole): Promise<AlertDelivery> {
  let delivery = deliveries.get(role);
  if (!delivery) {
    delivery = AlertDelivery.start(roleConfig(config, role), {
      echo:
        role === 'voevent'
          ? {
              fetchSent: async (graceid, filename) =>
                gracedbFor(config).download(filename, graceid),
              report: (result) => reportEcho(config, result),
            }
          : undefined,
    });
    // A failed start is not cached: the next task tries again.
    delivery.catch(() => deliveries.delete(role));
    deliveries.set(role, delivery);
  }
  return delivery;
}

/** Stops the delivery of some roles (default: every one this process started). */
export async function closeAlertDeliveries(
  roles: DeliveryRole[] = [...deliveries.keys()],
): Promise<void> {
  const started = roles.flatMap((role) => {
    const delivery = deliveries.get(role);
    deliveries.delete(role);
    return delivery ? [delivery] : [];
  });
  await Promise.all(
    started.map(async (d) => {
      try {
        await (await d).close();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'alert delivery did not close cleanly');
      }
    }),
  );
}

/**
 * What the health checks read from a worker's stats (src/engine/stats-keys.ts): the VOEvent
 * broker's and receiver's peers in the voevent worker, each Kafka stream's "topic up" and
 * "delivery failure" flags in the kafka worker.
 */
export function deliveryStats(
  delivery: AlertDelivery,
  role: DeliveryRole,
): Record<string, unknown> {
  if (role === 'voevent') {
    const health = delivery.health();
    return {
      [STATS_KEYS.voeventBrokerPeers]: health.voeventBrokerPeers.map((p) => p.peer),
      [STATS_KEYS.voeventReceiverPeers]: health.voeventReceiverPeers.map((p) => p.peer),
    };
  }
  const flags = delivery.sender.producerHealth();
  const map = (pick: (h: { topicUp: boolean; deliveryFailure: boolean }) => boolean) =>
    Object.fromEntries(Object.entries(flags).map(([name, h]) => [name, pick(h)]));
  return {
    [STATS_KEYS.kafkaTopicUp]: map((h) => h.topicUp),
    [STATS_KEYS.kafkaDeliveryFailures]: map((h) => h.deliveryFailure),
  };
}

// The workers of the voevent and kafka queues start their delivery with the worker (as the
// reference's bootsteps do), so that GCN can connect to the broadcaster before the first notice,
// and keep its health in the worker's stats for inspect, the console and Nagios.
for (const role of ['voevent', 'kafka'] as const) {
  registerBootstep({
    name: role,
    start: async ({ worker, config }) => {
      const delivery = await alertDeliveryFor(config, role);
      const report = () => {
        for (const [key, value] of Object.entries(deliveryStats(delivery, role))) {
          worker?.setStat(key, value);
        }
      };
      report();
      const timer = setInterval(report, config.worker_heartbeat_s * 1000);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await closeAlertDeliveries([role]);
      };
    },
  });
}
