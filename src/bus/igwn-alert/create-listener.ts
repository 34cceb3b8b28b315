import { join } from 'node:path';
import type { Config } from '../../config/index.js';
import type { Bus } from '../bus.js';
import { createBus } from '../create-bus.js';
import { type DedupStore, MemoryDedupStore } from './dedup-store.js';
import type { TaskDispatcher } from './dispatcher.js';
import { IgwnAlertListener } from './listener.js';
import type { GraceDbChanges } from './reconcile.js';
import { RedisDedupStore } from './redis-dedup-store.js';
import type { IgwnAlertRegistry } from './registry.js';
import { SqliteDedupStore } from './sqlite-dedup-store.js';

export interface IgwnAlertListenerDeps {
  dispatcher: TaskDispatcher;
  /** The GraceDB API URL of this deployment (`https://host/api/`). */
  gracedbUrl: string;
  /** GraceDB queries for reconciliation after a gap; without it there is none. */
  changes?: GraceDbChanges;
  /** The pipeline's own bus, used when igwn_alert_server is '' (embedded GraceDB). */
  pipelineBus?: Bus;
  registry?: IgwnAlertRegistry;
}

export interface RunningIgwnAlertListener {
  listener: IgwnAlertListener;
  bus: Bus;
  dedup: DedupStore;
  /** Stops the listener and closes what this factory opened. */
  close(): Promise<void>;
}

const isRedis = (url: string) => url.startsWith('redis://') || url.startsWith('rediss://');

/**
 * Where the listener remembers what it dispatched: Redis when the deployment has one (shared
 * by every host that may run the listener), else a SQLite file in the data directory, else
 * memory (tests, journal-less embedded mode).
 */
export function createDedupStore(config: Config): DedupStore {
  const redisUrl = [config.igwn_alert_server, config.bus_url, config.broker_url].find(isRedis);
  if (redisUrl) return new RedisDedupStore(redisUrl, config.redis_prefix);
  if (config.data_dir) return new SqliteDedupStore(join(config.data_dir, 'igwn-alert.sqlite'));
  return new MemoryDedupStore();
}

/** The listener a worker started with `--igwn-alert` (or the one-command pipeline) runs. */
export function createIgwnAlertListener(
  config: Config,
  deps: IgwnAlertListenerDeps,
): RunningIgwnAlertListener {
  const shared = config.igwn_alert_server === '' ? deps.pipelineBus : undefined;
  const bus =
    shared ??
    createBus(config.igwn_alert_server === '' ? config.bus_url : config.igwn_alert_server, config, {
      noauth: config.igwn_alert_noauth,
    });
  const dedup = createDedupStore(config);
  const heartbeatTopic = config.igwn_alert_heartbeat_topic.replaceAll(
    '{group}',
    config.igwn_alert_group,
  );
  const listener = new IgwnAlertListener({
    bus,
    gracedbUrl: deps.gracedbUrl,
    group: config.igwn_alert_group,
    topics: config.igwn_alert_topics,
    consumerGroup: config.igwn_alert_consumer_group,
    dispatcher: deps.dispatcher,
    dedup,
    registry: deps.registry,
    heartbeat: heartbeatTopic
      ? {
          topic: heartbeatTopic,
          intervalMs: config.igwn_alert_heartbeat_s * 1000,
          staleMs: config.igwn_alert_heartbeat_stale_s * 1000,
        }
      : undefined,
    dedupRetentionMs: config.igwn_alert_dedup_retention_s * 1000,
    dedupWindowMs: config.igwn_alert_dedup_window_s * 1000,
    reconcile: deps.changes
      ? {
          changes: deps.changes,
          gapMs: config.igwn_alert_reconcile_gap_s * 1000,
          maxMs: config.igwn_alert_reconcile_max_s * 1000,
        }
      : undefined,
  });
  return {
    listener,
    bus,
    dedup,
    async close() {
      await listener.stop();
      if (!shared) await bus.close();
      await dedup.close();
    },
  };
}
