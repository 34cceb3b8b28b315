import { join } from 'node:path';
import { type Config, ConfigError } from '../config/index.js';
import { App } from './app.js';
import type { Broker } from './broker.js';
import { EmbeddedBroker } from './brokers/embedded.js';
import { RedisBroker } from './brokers/redis.js';

export function isEmbedded(config: Config): boolean {
  return config.broker_url === '' || config.broker_url.startsWith('memory:');
}

/** The broker the configuration names: embedded (journal in data_dir) or Redis. */
export function createBroker(config: Config): Broker {
  if (isEmbedded(config)) {
    return new EmbeddedBroker({
      journalPath: config.data_dir ? join(config.data_dir, 'engine.sqlite') : undefined,
    });
  }
  if (/^rediss?:\/\//.test(config.broker_url)) {
    return new RedisBroker({
      url: config.broker_url,
      prefix: config.redis_prefix,
      lockMs: config.task_lock_ms,
      maxRedeliveries: config.task_max_redeliveries,
      eventsMaxAgeMs: config.task_events_history_s * 1000,
      eventsMaxCount: config.task_events_max,
    });
  }
  throw new ConfigError(
    `configuration key 'broker_url' is invalid: expected '' (embedded), memory:// or redis://, got ${config.broker_url}`,
  );
}

/** An app on the configured broker, made current for `task.delay()`. */
export function createApp(config: Config, broker: Broker = createBroker(config)): App {
  return new App(config, broker).makeCurrent();
}
