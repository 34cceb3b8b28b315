import type { Logger } from '../log/index.js';
import type { BusDriverName, Outage, SubscriptionStatus, TopicState } from './bus.js';
import type { BusMessage } from './message.js';

const KEPT_OUTAGES = 10;

/**
 * The bookkeeping every driver's subscription shares: connection state with its outages,
 * reconnection count, last error, and per-topic progress. It also writes the log lines an
 * operator reads after a blip: one warning per failed attempt with its reason, one info line
 * when the connection is back with the outage's length.
 */
export class SubscriptionState {
  private connected = false;
  private since = Date.now();
  private reconnects = 0;
  private redeliveries = 0;
  private lastError?: { message: string; at: number };
  private readonly outages: Outage[] = [];
  private readonly perTopic: Record<string, TopicState> = {};
  private everConnected = false;

  constructor(
    private readonly driver: BusDriverName,
    private readonly group: string,
    private readonly consumer: string,
    private readonly topics: readonly string[],
    private readonly log: Logger,
  ) {
    for (const topic of topics) this.perTopic[topic] = { handled: 0 };
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** The connection works (again). */
  up(): void {
    if (this.connected) return;
    const now = Date.now();
    const open = this.outages.at(-1);
    if (open && open.end === undefined) {
      open.end = now;
      this.log.info(
        { group: this.group, consumer: this.consumer, outage_s: (now - open.start) / 1000 },
        `bus subscription reconnected after ${((now - open.start) / 1000).toFixed(1)} s (${open.reason})`,
      );
    } else if (this.everConnected) {
      this.log.info({ group: this.group }, 'bus subscription reconnected');
    }
    this.everConnected = true;
    this.connected = true;
    this.since = now;
  }

  /**
   * The connection failed; the caller retries after `retryInMs` (or the client library retries
   * by itself when it is not given). Opens an outage on the first
   * failure and logs every attempt, so a listener never goes quiet while it is not listening.
   */
  down(error: unknown, retryInMs?: number): void {
    const now = Date.now();
    const message = describeError(error);
    this.lastError = { message, at: now };
    this.reconnects++;
    const open = this.outages.at(-1);
    if (!open || open.end !== undefined) {
      this.outages.push({ start: now, reason: message });
      if (this.outages.length > KEPT_OUTAGES) this.outages.shift();
    }
    if (this.connected) this.since = now;
    this.connected = false;
    this.log.warn(
      {
        driver: this.driver,
        group: this.group,
        consumer: this.consumer,
        attempt: this.reconnects,
        retry_in_ms: retryInMs,
        err: message,
      },
      retryInMs === undefined
        ? `bus subscription lost its connection (${message}); the client is reconnecting`
        : `bus subscription lost its connection (${message}); reconnecting in ${retryInMs} ms`,
    );
  }

  /** A handler failed on a message that will be delivered again. */
  handlerFailed(message: BusMessage, error: unknown, retryInMs: number): void {
    this.redeliveries++;
    this.log.error(
      {
        group: this.group,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        retry_in_ms: retryInMs,
        err: error,
      },
      `handling message ${message.topic}@${message.offset} failed; delivering it again in ${retryInMs} ms`,
    );
  }

  handled(message: BusMessage): void {
    const state = this.perTopic[message.topic] ?? { handled: 0 };
    state.lastOffset = message.offset;
    state.lastMessageTimestamp = message.timestamp;
    state.lastHandledAt = Date.now();
    state.handled++;
    this.perTopic[message.topic] = state;
  }

  snapshot(): SubscriptionStatus {
    return {
      driver: this.driver,
      group: this.group,
      consumer: this.consumer,
      topics: [...this.topics],
      connected: this.connected,
      since: this.since,
      reconnects: this.reconnects,
      lastError: this.lastError ? { ...this.lastError } : undefined,
      outages: this.outages.map((o) => ({ ...o })),
      redeliveries: this.redeliveries,
      perTopic: Object.fromEntries(
        Object.entries(this.perTopic).map(([topic, state]) => [topic, { ...state }]),
      ),
    };
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
