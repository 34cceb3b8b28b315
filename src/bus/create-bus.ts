import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { Backoff } from './backoff.js';
import type { Bus } from './bus.js';
import { InProcessBus } from './drivers/in-process.js';
import { KafkaBus } from './drivers/kafka.js';
import { RedisStreamsBus } from './drivers/redis-streams.js';
import { kafkaAuthFor, kafkaClientConfig } from './kafka/kafka-auth.js';
import { loadKafkaAuth } from './kafka/kafka-auth-file.js';
import { parseKafkaUrl } from './kafka/kafka-url.js';

type BusConfig = Pick<
  Config,
  | 'bus_url'
  | 'data_dir'
  | 'redis_prefix'
  | 'bus_stream_max_length'
  | 'bus_stream_max_age_s'
  | 'bus_claim_idle_s'
  | 'bus_publish_timeout_s'
  | 'bus_reconnect_initial_ms'
  | 'bus_reconnect_max_ms'
  | 'kafka_auth'
  | 'kafka_auth_file'
>;

export interface CreateBusOptions {
  /** Connect to a Kafka server without TLS or SASL whatever kafka_auth says (igwn_alert_noauth). */
  noauth?: boolean;
  /** Kafka client id (default gwcelery@host). */
  clientId?: string;
}

/** The journal file of the in-process bus inside the data directory. */
export function journalPath(dataDir: string): string {
  return join(dataDir, 'bus.sqlite');
}

/**
 * Opens the bus a URL names, with the configuration's retention, retry and authentication
 * settings: '' (in-process, journalled in data_dir when there is one), 'memory://',
 * 'redis://…', or 'kafka://host[:port][,…]'.
 */
export function createBus(url: string, config: BusConfig, options: CreateBusOptions = {}): Bus {
  const backoff = new Backoff({
    initialMs: config.bus_reconnect_initial_ms,
    maxMs: Math.max(config.bus_reconnect_initial_ms, config.bus_reconnect_max_ms),
  });
  const retention = {
    maxLength: config.bus_stream_max_length,
    maxAgeMs: config.bus_stream_max_age_s * 1000,
  };
  if (url === '' || url === 'memory://') {
    const journal = url === '' && config.data_dir ? journalPath(config.data_dir) : undefined;
    return new InProcessBus({ journal, retention, backoff });
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    return new RedisStreamsBus({
      url,
      prefix: config.redis_prefix,
      maxLength: retention.maxLength,
      maxAgeMs: retention.maxAgeMs,
      claimIdleMs: config.bus_claim_idle_s * 1000,
      publishTimeoutMs: config.bus_publish_timeout_s * 1000,
      backoff,
    });
  }
  if (url.startsWith('kafka://')) {
    const { brokers, host } = parseKafkaUrl(url);
    const auth = options.noauth
      ? undefined
      : kafkaAuthFor(host, loadKafkaAuth(config.kafka_auth, config.kafka_auth_file));
    return new KafkaBus({
      client: kafkaClientConfig({
        brokers,
        host,
        clientId: options.clientId ?? `gwcelery@${hostname()}`,
        auth,
      }),
      description: `kafka ${brokers.join(',')}${auth && auth.mechanism !== 'none' ? ` (${auth.mechanism})` : ''}`,
      publishTimeoutMs: config.bus_publish_timeout_s * 1000,
      backoff,
    });
  }
  throw new Error(
    `unsupported bus URL '${url}': expected '', 'memory://', 'redis://...' or 'kafka://host:port'`,
  );
}
