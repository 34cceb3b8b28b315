import type { Backoff } from './backoff.js';
import type { BusMessage, StartPosition } from './message.js';
import type { Publisher } from './publisher.js';

export type BusDriverName = 'in-process' | 'redis' | 'kafka';

/**
 * Called once per message, in order within a partition. The message is committed (acknowledged)
 * only when the promise resolves; a rejection is logged and the same message is delivered again
 * after a back-off, so a handler that cannot finish its work (its own broker is down) simply
 * throws and nothing is lost.
 */
export type MessageHandler = (message: BusMessage) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: members of a group share the messages, each group sees every message. */
  group: string;
  topics: string[];
  /** Name of this member inside the group (Redis pending entries are kept per consumer). */
  consumer?: string;
  /** Where a group with no committed offset starts (default 'latest', like a new listener). */
  initial?: 'earliest' | 'latest';
  /**
   * Replay: moves the group to this position on every topic before the first delivery,
   * whatever it had committed.
   */
  from?: StartPosition;
  handler: MessageHandler;
  /** Delays between reconnection attempts and redeliveries (default: the bus's). */
  backoff?: Backoff;
}

export interface Outage {
  /** Milliseconds since the epoch. */
  start: number;
  end?: number;
  reason: string;
}

export interface TopicState {
  /** Offset of the last message delivered and committed. */
  lastOffset?: string;
  /** Broker timestamp of that message (ms). */
  lastMessageTimestamp?: number;
  /** Local time at which it was handled (ms). */
  lastHandledAt?: number;
  handled: number;
}

export interface SubscriptionStatus {
  driver: BusDriverName;
  group: string;
  consumer: string;
  topics: string[];
  connected: boolean;
  /** Since when `connected` has had its current value (ms since the epoch). */
  since: number;
  /** Reconnection attempts since the subscription started. */
  reconnects: number;
  lastError?: { message: string; at: number };
  /** The most recent outages, oldest first (an open one has no `end`). */
  outages: Outage[];
  /** Handler failures that led to a redelivery. */
  redeliveries: number;
  perTopic: Record<string, TopicState>;
}

export interface Subscription {
  readonly group: string;
  readonly topics: readonly string[];
  /** Resolves once the subscription is connected and positioned (first time only). */
  ready(): Promise<void>;
  /**
   * Moves this group's position on a topic (all partitions unless the position names one):
   * later deliveries continue from there. Going back replays; going forward skips.
   */
  seek(topic: string, position: StartPosition): Promise<void>;
  /**
   * Messages not yet handled by this group, per topic (undelivered plus delivered but not
   * committed). Asks the broker, so it fails while the broker is unreachable.
   */
  lag(): Promise<Record<string, number>>;
  status(): SubscriptionStatus;
  /** Stops delivering; a message being handled is finished first. Idempotent. */
  close(): Promise<void>;
}

/** The notification bus: a Publisher plus consumer-group subscriptions with durable offsets. */
export interface Bus extends Publisher {
  readonly driver: BusDriverName;
  /** Where the bus is, for logs and the console (never with credentials). */
  readonly description: string;
  subscribe(options: SubscribeOptions): Subscription;
  /** Topics that exist on the broker. */
  listTopics(): Promise<string[]>;
  /**
   * Moves a consumer group that is not running (an operator's replay): its next member starts
   * at `position` on `topic`. Kafka refuses while the group has active members.
   */
  seekGroup(group: string, topic: string, position: StartPosition): Promise<void>;
  /** Closes every subscription, then the connections. Idempotent. */
  close(): Promise<void>;
}
