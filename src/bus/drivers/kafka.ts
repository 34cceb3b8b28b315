import { hostname } from 'node:os';
import {
  type Admin,
  type Consumer,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { getLogger } from '../../log/index.js';
import { Backoff, sleep } from '../backoff.js';
import type { Bus, SubscribeOptions, Subscription, SubscriptionStatus } from '../bus.js';
import { deliverUntilHandled } from '../deliver.js';
import { assertOffset, type BusMessage, type StartPosition } from '../message.js';
import { publishWithRetry } from '../publish-retry.js';
import type { Published, PublishOptions } from '../publisher.js';
import { describeError, SubscriptionState } from '../subscription-state.js';
import { validateTopicName } from '../topic-name.js';

const log = getLogger('bus');
const kafkaLog = getLogger('kafkajs');

export interface KafkaBusOptions {
  /** kafkajs client options (brokers, TLS, SASL): see kafka/kafka-auth.ts kafkaClientConfig. */
  client: KafkaConfig;
  /** For logs and the console: the broker list, never credentials. */
  description?: string;
  publishTimeoutMs?: number;
  /** How often handled offsets are committed (ms); a crash redelivers at most this much. */
  commitIntervalMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  backoff?: Backoff;
}

// kafkajs logs every failed attempt of every client (producer, admin, consumer) as an error,
// dozens of lines per blip. The bus reports what matters once, with its reason: a subscription
// that lost its brokers (status, watchdog, rebuilds), a publish that failed, a lag query that
// failed. The library's own lines stay available at debug.
function kafkajsLogCreator() {
  return ({ namespace, log: entry }: { namespace: string; log: { message: string } }) => {
    const {
      message,
      timestamp: _t,
      logger: _l,
      ...rest
    } = entry as {
      message: string;
    } & Record<string, unknown>;
    kafkaLog.debug({ namespace, ...rest }, `kafkajs: ${message}`);
  };
}

/** Kafka headers are bytes; ours are strings. Non-UTF-8 values (hop's `_id`) become hex. */
function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    if (typeof value === 'string') {
      out[name] = value;
      continue;
    }
    const text = value.toString('utf8');
    out[name] = Buffer.from(text, 'utf8').equals(value) ? text : `hex:${value.toString('hex')}`;
  }
  return out;
}

/**
 * The Kafka driver (kafkajs): SCiMMA's IGWN Alert, GCN's notices, or a deployment's own cluster.
 * A consumer that loses its brokers is rebuilt by this driver (kafkajs's own restart is
 * switched off) so that every reconnection is logged with its reason and shows in status().
 */
export class KafkaBus implements Bus {
  readonly driver = 'kafka' as const;
  readonly description: string;
  readonly kafka: Kafka;
  readonly options: Required<Omit<KafkaBusOptions, 'client' | 'description'>>;
  private producer?: Producer;
  private producerReady?: Promise<void>;
  private adminClient?: Admin;
  private adminReady?: Promise<void>;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private closed = false;

  constructor(options: KafkaBusOptions) {
    this.options = {
      publishTimeoutMs: 30_000,
      commitIntervalMs: 1000,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      backoff: new Backoff({ initialMs: 200, maxMs: 10_000 }),
      ...Object.fromEntries(
        Object.entries(options).filter(([k, v]) => k !== 'client' && v !== undefined),
      ),
    } as KafkaBus['options'];
    const brokers = Array.isArray(options.client.brokers) ? options.client.brokers : [];
    this.description = options.description ?? `kafka ${brokers.join(',')}`;
    this.kafka = new Kafka({
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator,
      ...options.client,
    });
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      });
    }
    const producer = this.producer;
    this.producerReady ??= producer.connect().catch((err) => {
      this.producerReady = undefined;
      throw err;
    });
    await this.producerReady;
    return producer;
  }

  /** @internal An admin client, connected on first use and again after a failure. */
  async admin(): Promise<Admin> {
    this.adminClient ??= this.kafka.admin({ retry: { retries: 2, maxRetryTime: 1000 } });
    const admin = this.adminClient;
    this.adminReady ??= admin.connect().catch((err) => {
      this.adminReady = undefined;
      throw err;
    });
    await this.adminReady;
    return admin;
  }

  async publish(
    topic: string,
    value: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<Published> {
    if (this.closed) throw new Error(`cannot publish to topic '${topic}': the bus is closed`);
    validateTopicName(topic);
    const [result] = await publishWithRetry(
      topic,
      this.options.publishTimeoutMs,
      this.options.backoff,
      async () => {
        const producer = await this.connectedProducer();
        return producer.send({
          topic,
          acks: -1,
          messages: [
            { key: options.key ?? null, value: Buffer.from(value), headers: options.headers },
          ],
        });
      },
    );
    return {
      offset: String(result.baseOffset ?? result.offset ?? '0'),
      partition: result.partition,
    };
  }

  subscribe(options: SubscribeOptions): Subscription {
    if (this.closed) throw new Error('cannot subscribe: the bus is closed');
    for (const topic of options.topics) validateTopicName(topic);
    const subscription = new KafkaSubscription(this, options);
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async listTopics(): Promise<string[]> {
    const admin = await this.admin();
    return (await admin.listTopics()).sort();
  }

  async seekGroup(group: string, topic: string, position: StartPosition): Promise<void> {
    validateTopicName(topic);
    const offsets = await this.resolve(topic, position);
    const admin = await this.admin();
    try {
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [...offsets].map(([partition, offset]) => ({ partition, offset })),
      });
    } catch (err) {
      throw new Error(
        `cannot move Kafka group '${group}' on '${topic}' (stop its consumers first): ${describeError(err)}`,
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.producer?.disconnect().catch(() => undefined);
    await this.adminClient?.disconnect().catch(() => undefined);
  }

  /** @internal */
  forget(subscription: KafkaSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** @internal Partition → offset for a position on a topic. */
  async resolve(topic: string, position: StartPosition): Promise<Map<number, string>> {
    const admin = await this.admin();
    const partitions = await admin.fetchTopicOffsets(topic);
    const out = new Map<number, string>();
    if (typeof position === 'object' && 'timestamp' in position) {
      for (const p of await admin.fetchTopicOffsetsByTimestamp(topic, position.timestamp)) {
        out.set(p.partition, p.offset);
      }
      return out;
    }
    for (const p of partitions) {
      if (position === 'earliest') out.set(p.partition, p.low);
      else if (position === 'latest') out.set(p.partition, p.high);
      else if (position.partition === undefined || position.partition === p.partition) {
        assertOffset(position.offset);
        const wanted = BigInt(position.offset);
        const clamped =
          wanted < BigInt(p.low) ? p.low : wanted > BigInt(p.high) ? p.high : position.offset;
        out.set(p.partition, clamped);
      }
    }
    if (typeof position === 'object' && position.partition !== undefined && !out.size) {
      throw new Error(`topic '${topic}' has no partition ${position.partition}`);
    }
    return out;
  }
}

class KafkaSubscription implements Subscription {
  readonly group: string;
  readonly topics: readonly string[];
  private readonly consumerName: string;
  private readonly state: SubscriptionState;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private running?: Promise<void>;
  private consumer?: Consumer;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;
  /** Seeks (partition → offset) waiting for the consumer to join the group. */
  private readonly pendingSeeks = new Map<string, Map<number, string>>();
  /** topic → partition → offset of the last message handled, for lag between commits. */
  private readonly handledOffsets = new Map<string, Map<number, bigint>>();
  private startPositioned = false;
  private lastBeat = 0;
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly bus: KafkaBus,
    private readonly options: SubscribeOptions,
  ) {
    this.group = options.group;
    this.topics = [...options.topics];
    this.consumerName = options.consumer ?? `${hostname()}:${process.pid}`;
    this.state = new SubscriptionState('kafka', this.group, this.consumerName, this.topics, log);
    this.backoff = options.backoff ?? bus.options.backoff;
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  start(): void {
    // kafkajs retries quietly for tens of seconds before it gives up; the group heartbeat shows
    // much sooner that the consumer is cut off, so status() and the logs say so at once.
    const stallMs = Math.max(5000, 4 * this.bus.options.heartbeatIntervalMs);
    this.watchdog = setInterval(() => {
      if (this.state.isConnected() && Date.now() - this.lastBeat > stallMs) {
        this.state.down(
          new Error(`no heartbeat from the Kafka group coordinator for ${stallMs / 1000} s`),
        );
      }
    }, 1000);
    this.watchdog.unref();
    this.running = this.supervise();
  }

  /**
   * Where the group starts: where `from` says (replay), or, for a group that never committed,
   * where `initial` says. Resolved to concrete offsets now and applied by seeking as soon as the
   * consumer has joined; kafkajs commits a seek at once, so a restart before the first message
   * does not skip what was published in between.
   */
  private async positionGroup(): Promise<void> {
    if (this.startPositioned) return;
    const admin = await this.bus.admin();
    for (const topic of this.topics) {
      let position = this.options.from;
      if (!position) {
        const [committed] = await admin.fetchOffsets({ groupId: this.group, topics: [topic] });
        const none = !committed || committed.partitions.every((p) => Number(p.offset) < 0);
        if (!none) continue;
        position = this.options.initial ?? 'latest';
      }
      this.pendingSeeks.set(topic, await this.bus.resolve(topic, position));
    }
    this.startPositioned = true;
  }

  private async supervise(): Promise<void> {
    const signal = this.abort.signal;
    const retry = this.backoff.clone();
    while (!signal.aborted) {
      const consumer = this.bus.kafka.consumer({
        groupId: this.group,
        sessionTimeout: this.bus.options.sessionTimeoutMs,
        heartbeatInterval: this.bus.options.heartbeatIntervalMs,
        // Shorter rebalance timeouts let a second member's join race the first member's rejoin
        // forever on some brokers (librdkafka's mock among them).
        rebalanceTimeout: Math.max(10_000, this.bus.options.sessionTimeoutMs),
        allowAutoTopicCreation: true,
        maxWaitTimeInMs: 500,
        // Generous in-place retries ride out rebalances and short blips; a crash after them
        // (or a non-retriable one, such as failed authentication) rebuilds the consumer here.
        retry: {
          retries: 10,
          initialRetryTime: 300,
          maxRetryTime: 5000,
          restartOnFailure: async () => false,
        },
      });
      this.consumer = consumer;
      let failure: unknown;
      const crashed = new Promise<unknown>((resolve) => {
        consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error));
        signal.addEventListener('abort', () => resolve(undefined), { once: true });
      });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        this.lastBeat = Date.now();
        this.state.up();
        retry.reset();
        this.resolveReady();
        void this.applyPendingSeeks();
      });
      consumer.on(consumer.events.HEARTBEAT, () => {
        this.lastBeat = Date.now();
        if (!this.state.isConnected()) this.state.up();
      });
      try {
        await consumer.connect();
        await this.positionGroup();
        await consumer.subscribe({
          topics: [...this.topics],
          fromBeginning: this.options.initial === 'earliest',
        });
        await consumer.run({
          autoCommit: true,
          autoCommitInterval: this.bus.options.commitIntervalMs,
          eachMessage: async ({ topic, partition, message, heartbeat }) => {
            const busMessage: BusMessage = {
              topic,
              partition,
              offset: message.offset,
              key: message.key ? message.key.toString() : undefined,
              value: message.value ?? Buffer.alloc(0),
              headers: decodeHeaders(message.headers),
              timestamp: Number(message.timestamp),
            };
            const ok = await deliverUntilHandled(
              busMessage,
              this.options.handler,
              this.state,
              this.backoff,
              signal,
              heartbeat,
            );
            // Throwing keeps kafkajs from committing a message we did not handle.
            if (!ok) throw new Error('subscription closing');
            const perTopic = this.handledOffsets.get(topic) ?? new Map<number, bigint>();
            perTopic.set(partition, BigInt(message.offset));
            this.handledOffsets.set(topic, perTopic);
          },
        });
        failure = await crashed;
      } catch (err) {
        failure = err;
      }
      if (signal.aborted) break;
      await consumer.disconnect().catch(() => undefined);
      const delay = retry.next();
      this.state.down(failure ?? new Error('consumer stopped'), delay);
      await sleep(delay, signal);
    }
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async applyPendingSeeks(): Promise<void> {
    for (const [topic, offsets] of [...this.pendingSeeks]) {
      try {
        this.seekTo(topic, offsets);
        this.pendingSeeks.delete(topic);
      } catch (err) {
        log.warn(
          { group: this.group, topic, err: describeError(err) },
          `seek of '${topic}' failed; will retry at the next join`,
        );
      }
    }
  }

  private seekTo(topic: string, offsets: Map<number, string>): void {
    const consumer = this.consumer;
    if (!consumer || !this.state.isConnected()) throw new Error('not connected');
    this.handledOffsets.delete(topic);
    for (const [partition, offset] of offsets) consumer.seek({ topic, partition, offset });
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  async seek(topic: string, position: StartPosition): Promise<void> {
    if (!this.topics.includes(topic)) {
      throw new Error(`cannot seek topic '${topic}': the subscription does not read it`);
    }
    const offsets = await this.bus.resolve(topic, position);
    if (this.state.isConnected()) this.seekTo(topic, offsets);
    else this.pendingSeeks.set(topic, offsets);
  }

  async lag(): Promise<Record<string, number>> {
    const admin = await this.bus.admin();
    const out: Record<string, number> = {};
    for (const topic of this.topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: this.group, topics: [topic] });
      const handled = this.handledOffsets.get(topic);
      let lag = 0;
      for (const p of ends) {
        const commit = committed?.partitions.find((c) => c.partition === p.partition);
        let position = commit && Number(commit.offset) >= 0 ? BigInt(commit.offset) : BigInt(p.low);
        const last = handled?.get(p.partition);
        if (last !== undefined && last + 1n > position) position = last + 1n;
        const behind = BigInt(p.high) - position;
        if (behind > 0n) lag += Number(behind);
      }
      out[topic] = lag;
    }
    return out;
  }

  status(): SubscriptionStatus {
    return this.state.snapshot();
  }

  async close(): Promise<void> {
    this.abort.abort();
    clearInterval(this.watchdog);
    await this.running;
    this.resolveReady();
    this.bus.forget(this);
  }
}
