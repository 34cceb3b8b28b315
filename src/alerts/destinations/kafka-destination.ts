import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CompressionTypes,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  logLevel,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import type { KafkaDestinationConfig } from '../../config/keys/alerts.js';
import { getLogger } from '../../log/index.js';
import {
  type AlertDestination,
  DeliveryError,
  type DestinationHealth,
  keyLabel,
  type OutgoingAlert,
} from '../destination.js';
import type { AlertKey, DeliveryReceipt } from '../ledger/ledger.js';
import { encodePayload } from '../payload.js';

const log = getLogger('alerts.kafka');

/** Header naming the alert a message carries; in-doubt checks look for it. */
export const ALERT_KEY_HEADER = 'gwcelery_alert';

export interface KafkaDestinationOptions {
  name: string;
  config: KafkaDestinationConfig;
  timeoutMs: number;
  retries: number;
  /** Seconds between "topic up" probes (0: probe only on demand). */
  probeIntervalMs?: number;
  /** Give up an in-doubt scan after this long. */
  scanTimeoutMs?: number;
  /** An in-doubt scan reads at least this many of the latest messages per partition. */
  scanWindow?: number;
  clientId?: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number, doing: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${doing}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function parseKafkaUrl(url: string): { broker: string; topic: string } {
  const match = /^kafka:\/\/([^/\s]+)\/([A-Za-z0-9._-]+)$/.exec(url);
  if (!match) throw new Error(`'${url}' is not kafka://host[:port]/topic`);
  const host = match[1];
  return { broker: /:\d+$/.test(host) ? host : `${host}:9092`, topic: match[2] };
}

function sasl(name: string, auth: KafkaDestinationConfig['auth']): SASLOptions | undefined {
  if (auth === false) return undefined;
  let password: string | undefined;
  if (auth.password_env) {
    password = process.env[auth.password_env];
    if (!password) {
      throw new Error(
        `Kafka destination ${name}: environment variable ${auth.password_env} is not set`,
      );
    }
  } else {
    try {
      password = readFileSync(auth.password_file!, 'utf8').trim();
    } catch (err) {
      throw new Error(
        `Kafka destination ${name}: cannot read ${auth.password_file}: ${(err as Error).message}`,
      );
    }
  }
  return { mechanism: auth.mechanism, username: auth.username, password } as SASLOptions;
}

/**
 * One Kafka destination (SCiMMA's Avro stream, GCN's JSON stream): its own client and
 * connection, its own timeouts, no retries inside the client (the sender retries, checking the
 * topic first). Messages carry hop's headers (`_id`, `_sender`, `_format`) plus the alert's
 * identity, which the in-doubt check looks for. A background probe keeps the "topic up" flag
 * the health check reads.
 */
export class KafkaDestination implements AlertDestination {
  readonly kind = 'kafka' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly broker: string;
  readonly topic: string;
  /** kafka://host/topic as configured: what the GraceDB packet copy names. */
  readonly url: string;
  private readonly kafka: Kafka;
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private generation = 0;
  private readonly probeTimer?: NodeJS.Timeout;
  private topicUp = false;
  private status: Omit<DestinationHealth, 'queued' | 'kind' | 'topicUp'> = {
    deliveryFailure: false,
  };
  private closed = false;
  private readonly format: 'avro' | 'json';
  private readonly sender: string;

  constructor(private readonly options: KafkaDestinationOptions) {
    this.name = options.name;
    this.timeoutMs = options.timeoutMs;
    this.retries = options.retries;
    const { broker, topic } = parseKafkaUrl(options.config.url);
    this.broker = broker;
    this.topic = topic;
    this.url = options.config.url;
    this.format = options.config.suffix;
    this.sender = options.config.auth === false ? 'gwcelery' : options.config.auth.username;
    const config: KafkaConfig = {
      clientId: options.clientId ?? `gwcelery-${options.name}`,
      brokers: [broker],
      ssl: options.config.ssl,
      connectionTimeout: options.timeoutMs,
      authenticationTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs,
      enforceRequestTimeout: true,
      retry: { retries: 0 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...extra } = entry.log;
        log.debug({ destination: this.name, namespace: entry.namespace, ...extra }, message);
      },
    };
    const credentials = sasl(options.name, options.config.auth);
    if (credentials) config.sasl = credentials;
    this.kafka = new Kafka(config);
    const interval = options.probeIntervalMs ?? 60_000;
    if (interval > 0) {
      this.probeTimer = setInterval(() => void this.probe(), interval);
      this.probeTimer.unref();
      void this.probe();
    }
  }

  payload(alert: OutgoingAlert): { bytes: Uint8Array } | { skip: string } {
    return encodePayload(alert, this.format);
  }

  private connect(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    if (!this.connecting) {
      const generation = this.generation;
      const producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        maxInFlightRequests: 1,
        retry: { retries: 0 },
      });
      this.connecting = producer.connect().then(
        async () => {
          if (generation !== this.generation) {
            // Abandoned by a reset while it was still connecting: not ours to keep.
            await producer.disconnect().catch(() => {});
            throw new Error('connection abandoned');
          }
          this.producer = producer;
          this.connecting = undefined;
          return producer;
        },
        async (err) => {
          if (generation === this.generation) this.connecting = undefined;
          await producer.disconnect().catch(() => {});
          throw err;
        },
      );
      // A reset may abandon this promise; its rejection must not go unhandled.
      this.connecting.catch(() => {});
    }
    return this.connecting;
  }

  /** Drops the connection after a failure; the next attempt starts from a fresh one. */
  private async reset(): Promise<void> {
    this.generation++;
    this.connecting = undefined;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => {});
  }

  private headers(key: AlertKey): IHeaders {
    const id = createHash('sha256')
      .update(`${keyLabel(key)}/${this.name}`)
      .digest()
      .subarray(0, 16);
    return {
      _id: id,
      _sender: this.sender,
      _format: this.format,
      [ALERT_KEY_HEADER]: keyLabel(key),
    };
  }

  async deliver(bytes: Uint8Array, key: AlertKey, signal: AbortSignal): Promise<DeliveryReceipt> {
    // Until the produce request is written, a failure means the broker has nothing; after it, a
    // timeout leaves the outcome unknown and the sender checks the topic before trying again.
    let producing = false;
    try {
      const producer = await withTimeout(this.connect(), this.timeoutMs, 'connecting');
      if (signal.aborted) throw new Error('gave up while connecting');
      producing = true;
      const [meta] = await withTimeout(
        producer.send({
          topic: this.topic,
          acks: -1,
          timeout: this.timeoutMs,
          compression:
            this.options.config.compression === 'gzip'
              ? CompressionTypes.GZIP
              : CompressionTypes.None,
          messages: [{ value: Buffer.from(bytes), headers: this.headers(key) }],
        }),
        this.timeoutMs + 1_000,
        'waiting for the broker to acknowledge',
      );
      if (meta?.errorCode !== 0) {
        throw new Error(`broker answered error code ${meta?.errorCode ?? '(none)'}`);
      }
      const receipt: DeliveryReceipt = {
        at: new Date().toISOString(),
        detail: {
          topic: this.topic,
          partition: meta.partition,
          offset: meta.baseOffset ?? meta.offset ?? null,
        },
      };
      this.status = { deliveryFailure: false, lastDeliveryAt: receipt.at };
      this.topicUp = true;
      return receipt;
    } catch (err) {
      await this.reset();
      const text = (err as Error).message;
      const message = `Received error (${text}) when delivering ${key.superevent} ${key.alertType} alert to kafka://${this.broker}/${this.topic}`;
      this.status = { ...this.status, deliveryFailure: true, lastError: message };
      const tooLarge = /MESSAGE_TOO_LARGE|too large/i.test(text);
      throw new DeliveryError(message, { retryable: !tooLarge, ambiguous: producing && !tooLarge });
    }
  }

  /**
   * Reads the topic from shortly before `since` to its end, looking for a message carrying this
   * alert's identity header. Throws when the topic cannot be read (no read permission, broker
   * down): the sender then refuses to guess.
   */
  async findDelivery(
    key: AlertKey,
    _bytes: Uint8Array,
    since: Date,
  ): Promise<DeliveryReceipt | undefined> {
    const wanted = keyLabel(key);
    const admin = this.kafka.admin();
    let ends: { partition: number; offset: string; low: string }[];
    let starts: { partition: number; offset: string }[];
    try {
      await admin.connect();
      ends = await admin.fetchTopicOffsets(this.topic);
      // A minute of slack covers clock differences between this host and the broker.
      starts = await admin
        .fetchTopicOffsetsByTimestamp(this.topic, since.getTime() - 60_000)
        .catch(() => []);
    } finally {
      await admin.disconnect().catch(() => {});
    }
    // "Nothing at or after that time" and "no time index" both come back as the end offset, so
    // the last `scanWindow` messages of each partition are always read as well: alerts are a
    // few an hour, and an in-doubt send is minutes old.
    const window = BigInt(this.options.scanWindow ?? 500);
    const remaining = new Map<number, { from: bigint; to: bigint }>();
    for (const end of ends) {
      const to = BigInt(end.offset);
      const low = BigInt(end.low);
      const byTime = starts.find((s) => s.partition === end.partition);
      let from = to - window < low ? low : to - window;
      if (byTime && Number(byTime.offset) >= 0 && BigInt(byTime.offset) < from) {
        from = BigInt(byTime.offset);
      }
      if (from < to) remaining.set(end.partition, { from, to });
    }
    if (remaining.size === 0) return undefined;
    return this.scan(wanted, remaining);
  }

  private async scan(
    wanted: string,
    remaining: Map<number, { from: bigint; to: bigint }>,
  ): Promise<DeliveryReceipt | undefined> {
    const consumer = this.kafka.consumer({
      groupId: `gwcelery-alert-check-${randomUUID()}`,
      retry: { retries: 2 },
    });
    const timeoutMs = this.options.scanTimeoutMs ?? Math.max(30_000, this.timeoutMs * 4);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
      return await new Promise<DeliveryReceipt | undefined>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`scanning ${this.topic} for ${wanted} took longer than ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        const finish = (value: DeliveryReceipt | undefined) => {
          clearTimeout(timer);
          resolve(value);
        };
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const range = remaining.get(partition);
              if (!range) return;
              const offset = BigInt(message.offset);
              if (offset < range.from) return;
              const header = message.headers?.[ALERT_KEY_HEADER];
              if (header && header.toString() === wanted) {
                finish({
                  at: new Date(Number(message.timestamp)).toISOString(),
                  detail: {
                    topic: this.topic,
                    partition,
                    offset: message.offset,
                    foundByCheck: true,
                  },
                });
                return;
              }
              if (offset + 1n >= range.to) {
                remaining.delete(partition);
                if (remaining.size === 0) finish(undefined);
              }
            },
          })
          .then(() => {
            for (const [partition, range] of remaining) {
              consumer.seek({ topic: this.topic, partition, offset: range.from.toString() });
            }
          })
          .catch((err) => {
            clearTimeout(timer);
            reject(err);
          });
      });
    } finally {
      await consumer.disconnect().catch(() => {});
    }
  }

  /** Lists the topic's metadata within the timeout; sets the "topic up" flag. */
  async probe(): Promise<boolean> {
    if (this.closed) return false;
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const { topics } = await admin.fetchTopicMetadata({ topics: [this.topic] });
      this.topicUp = topics.some((t) => t.name === this.topic && t.partitions.length > 0);
    } catch (err) {
      if (this.topicUp)
        log.warn({ destination: this.name, err: (err as Error).message }, 'Kafka topic is down');
      this.topicUp = false;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    return this.topicUp;
  }

  health(): Omit<DestinationHealth, 'queued'> {
    return { kind: this.kind, topicUp: this.topicUp, ...this.status };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    await this.connecting?.catch(() => {});
    await this.reset();
  }
}
