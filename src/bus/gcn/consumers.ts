import type { GcnStream } from '../../config/keys/bus.js';
import { getLogger, type Logger } from '../../log/index.js';
import type { Bus, Subscription } from '../bus.js';
import type { DedupStore } from '../igwn-alert/dedup-store.js';
import { PermanentDispatchError, type TaskDispatcher } from '../igwn-alert/dispatcher.js';
import { parseKafkaUrl } from '../kafka/kafka-url.js';
import type { BusMessage } from '../message.js';
import { type GcnNoticeRegistry, gcnNoticeRegistry } from './registry.js';

export interface GcnConsumersOptions {
  /** kafka_consumer_config: stream key → {url: kafka://host/topic, suffix}. */
  streams: Record<string, GcnStream>;
  /** Consumer group (gcn_kafka_consumer_group): committed offsets survive restarts. */
  group: string;
  dispatcher: TaskDispatcher;
  dedup: DedupStore;
  /** Opens the bus of one server, given `kafka://host[:port]` (createBus with kafka_auth). */
  busFor: (serverUrl: string) => Bus;
  registry?: GcnNoticeRegistry;
  dedupRetentionMs: number;
  /** Where a group that never committed starts (default 'latest', as the reference). */
  initial?: 'earliest' | 'latest';
  log?: Logger;
}

export interface GcnStreamHealth {
  topic: string;
  server: string;
  suffix: 'xml' | 'json';
  handlers: string[];
  connected: boolean;
  handled: number;
  lastOffset?: string;
  lastMessageAt?: number;
}

export interface GcnConsumersHealth {
  /** Keys whose consumer is connected (the `active_kafka_consumers` inspect key). */
  active: string[];
  streams: Record<string, GcnStreamHealth>;
  counts: {
    received: number;
    dispatched: number;
    duplicates: number;
    invalid: number;
    test: number;
  };
}

interface Server {
  url: string;
  bus: Bus;
  keysByTopic: Map<string, string[]>;
  subscription?: Subscription;
}

/**
 * The GCN Kafka consumers of the external-trigger work: one subscription per GCN server (a
 * shared consumer group, so a restart resumes where it stopped instead of losing notices sent
 * meanwhile), records decoded by their stream's suffix (XML text, or parsed JSON) and sent to
 * every handler registered for the stream key, once per record.
 */
export class GcnConsumers {
  private readonly log: Logger;
  private readonly registry: GcnNoticeRegistry;
  private readonly servers = new Map<string, Server>();
  private readonly counts = { received: 0, dispatched: 0, duplicates: 0, invalid: 0, test: 0 };

  constructor(private readonly options: GcnConsumersOptions) {
    this.log = options.log ?? getLogger('gcn-kafka');
    this.registry = options.registry ?? gcnNoticeRegistry;
    for (const [key, stream] of Object.entries(options.streams)) {
      const { brokers, topic } = parseKafkaUrl(stream.url);
      if (!topic) throw new Error(`kafka_consumer_config.${key}.url names no topic: ${stream.url}`);
      const url = `kafka://${brokers.join(',')}`;
      const server = this.servers.get(url) ?? { url, bus: undefined!, keysByTopic: new Map() };
      server.keysByTopic.set(topic, [...(server.keysByTopic.get(topic) ?? []), key]);
      this.servers.set(url, server);
    }
  }

  async start(): Promise<void> {
    for (const key of Object.keys(this.options.streams)) {
      if (this.registry.handlersFor(key).length === 0) {
        this.log.warn(
          { key },
          `no handler is registered for GCN stream '${key}': its notices are read and dropped`,
        );
      }
    }
    for (const server of this.servers.values()) {
      server.bus = this.options.busFor(server.url);
      server.subscription = server.bus.subscribe({
        group: this.options.group,
        topics: [...server.keysByTopic.keys()],
        initial: this.options.initial ?? 'latest',
        handler: (message) => this.handle(server, message),
      });
      this.log.info(
        { server: server.bus.description, topics: [...server.keysByTopic.keys()] },
        `GCN Kafka consumer subscribed to ${server.keysByTopic.size} topic(s) on ${server.bus.description}`,
      );
    }
  }

  async ready(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.subscription?.ready()));
  }

  async stop(): Promise<void> {
    for (const server of this.servers.values()) {
      await server.subscription?.close();
      await server.bus?.close();
      server.subscription = undefined;
    }
  }

  private decode(
    key: string,
    message: BusMessage,
  ): { ok: true; payload: unknown } | { ok: false; reason: string } {
    const suffix = this.options.streams[key].suffix;
    const text = message.value.toString('utf8');
    if (suffix === 'json') {
      try {
        return { ok: true, payload: JSON.parse(text) };
      } catch (err) {
        return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
      }
    }
    if (!text.trimStart().startsWith('<')) return { ok: false, reason: 'not an XML document' };
    return { ok: true, payload: text };
  }

  private async handle(server: Server, message: BusMessage): Promise<void> {
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    this.counts.received++;
    // hop drops test messages by default; so do we.
    if (message.headers._test === 'true') {
      this.counts.test++;
      return;
    }
    for (const key of server.keysByTopic.get(message.topic) ?? []) {
      const handlers = this.registry.handlersFor(key);
      if (handlers.length === 0) continue;
      const decoded = this.decode(key, message);
      if (!decoded.ok) {
        this.counts.invalid++;
        this.log.error(
          { ...where, key },
          `ignoring GCN notice on ${message.topic} at offset ${message.offset}: ${decoded.reason}`,
        );
        continue;
      }
      for (const handler of handlers) {
        const id = `gcn:${server.url}:${message.topic}:${message.partition}:${message.offset}:${handler}`;
        if (await this.options.dedup.has([id])) {
          this.counts.duplicates++;
          continue;
        }
        try {
          await this.options.dispatcher.send(handler, [decoded.payload], {
            taskId: `gcn:${handler}:${message.topic}:${message.partition}:${message.offset}`,
          });
          this.counts.dispatched++;
        } catch (err) {
          if (!(err instanceof PermanentDispatchError)) throw err;
          this.log.error(
            { ...where, key, handler, err: err.message },
            `cannot dispatch GCN notice ${message.topic}@${message.offset} to ${handler}: ${err.message}`,
          );
        }
        await this.options.dedup.remember([{ key: id, ttlMs: this.options.dedupRetentionMs }]);
      }
    }
  }

  health(): GcnConsumersHealth {
    const streams: Record<string, GcnStreamHealth> = {};
    const active: string[] = [];
    for (const server of this.servers.values()) {
      const status = server.subscription?.status();
      for (const [topic, keys] of server.keysByTopic) {
        const state = status?.perTopic[topic];
        for (const key of keys) {
          const connected = status?.connected ?? false;
          if (connected) active.push(key);
          streams[key] = {
            topic,
            server: server.bus?.description ?? server.url,
            suffix: this.options.streams[key].suffix,
            handlers: this.registry.handlersFor(key),
            connected,
            handled: state?.handled ?? 0,
            lastOffset: state?.lastOffset,
            lastMessageAt: state?.lastMessageTimestamp,
          };
        }
      }
    }
    return { active: active.sort(), streams, counts: { ...this.counts } };
  }
}
