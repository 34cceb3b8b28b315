import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { getLogger, type Logger } from '../../log/index.js';
import type { Bus, Subscription } from '../bus.js';
import { type BusMessage, compareOffsets, type StartPosition } from '../message.js';
import { describeError } from '../subscription-state.js';
import { changeIdentity, taskIdFor } from './change-identity.js';
import type { DedupStore } from './dedup-store.js';
import { PermanentDispatchError, type TaskDispatcher } from './dispatcher.js';
import { apiUrlOf, type IgwnAlert, normalizeApiUrl, parseIgwnAlert } from './envelope.js';
import { type ListenerHealth, setCurrentListener } from './health.js';
import { Heartbeat } from './heartbeat.js';
import { type GraceDbChanges, reconstructAlerts } from './reconcile.js';
import { type IgwnAlertHandler, type IgwnAlertRegistry, igwnAlertRegistry } from './registry.js';
import { bareTopic, wireTopic } from './topics.js';

export interface IgwnAlertListenerOptions {
  bus: Bus;
  /** The GraceDB API URL this deployment talks to; messages for another server are dropped. */
  gracedbUrl: string;
  /** Topic namespace (igwn_alert_group). */
  group: string;
  /** Bare topics to subscribe to (igwn_alert_topics). */
  topics: readonly string[];
  /** Consumer group whose committed offsets survive restarts. */
  consumerGroup: string;
  dispatcher: TaskDispatcher;
  dedup: DedupStore;
  registry?: IgwnAlertRegistry;
  /** Omit to run without a heartbeat (a credential that may not write any topic). */
  heartbeat?: { topic: string; intervalMs: number; staleMs: number };
  /** How often lag is measured and health re-evaluated (default: the heartbeat interval). */
  tickMs?: number;
  dedupRetentionMs: number;
  dedupWindowMs: number;
  /**
   * Omit to disable reconciliation with GraceDB after a gap. Gaps longer than `maxMs` are
   * reconciled for their last `maxMs` only.
   */
  reconcile?: { changes: GraceDbChanges; gapMs: number; maxMs?: number };
  /** Where a consumer group that never committed starts (default 'latest'). */
  initial?: 'earliest' | 'latest';
  /** Member name in the consumer group; stable across restarts so pending work is resumed. */
  consumer?: string;
  log?: Logger;
}

const LAST_ALIVE = 'last_alive';
const MAX_RECONCILE_WAIT_TICKS = 10;

/**
 * The IGWN Alert listener: reads GraceDB's notifications from the bus, drops what is not for
 * this deployment's GraceDB or is malformed (logged with topic and offset, never fatal), and
 * dispatches every message to each handler registered for its topic as its own task, exactly
 * once per change even when the change arrives on two topics, twice, or again after a restart.
 * It keeps its own health: heartbeat round trips, lag per topic, outages; after a gap it asks
 * GraceDB what changed and dispatches what it missed.
 */
export class IgwnAlertListener {
  private readonly log: Logger;
  private readonly registry: IgwnAlertRegistry;
  private readonly gracedbUrl: string;
  private readonly topicSet: Set<string>;
  private readonly heartbeat?: Heartbeat;
  private readonly tickMs: number;
  private readonly consumer: string;
  private subscription?: Subscription;
  private ticker?: NodeJS.Timeout;
  private ticking = false;
  private startedAt = 0;
  private lastAliveAt?: number;
  private readonly lastHandled = new Map<string, string>();
  private readonly replayUntil = new Map<string, string>();
  private replayTag?: string;
  private readonly counts: ListenerHealth['counts'] = {
    received: 0,
    dispatched: 0,
    duplicates: 0,
    invalid: 0,
    wrongServer: 0,
    unknownTopic: 0,
    dispatchFailures: 0,
    permanentFailures: 0,
  };
  private lag: {
    total: number | null;
    perTopic: Record<string, number>;
    checkedAt?: number;
    error?: string;
  } = { total: null, perTopic: {} };
  private readonly reconciliation: Omit<ListenerHealth['reconciliation'], 'enabled'> & {
    pendingTicks: number;
    running: boolean;
  } = { runs: 0, pendingTicks: 0, running: false };

  constructor(private readonly options: IgwnAlertListenerOptions) {
    this.log = options.log ?? getLogger('igwn-alert');
    this.registry = options.registry ?? igwnAlertRegistry;
    this.gracedbUrl = normalizeApiUrl(options.gracedbUrl);
    this.topicSet = new Set(options.topics);
    this.consumer = options.consumer ?? `igwn-alert@${hostname()}`;
    this.tickMs = options.tickMs ?? options.heartbeat?.intervalMs ?? 5000;
    if (options.heartbeat) {
      this.heartbeat = new Heartbeat(
        options.bus,
        options.heartbeat.topic,
        `${this.consumer}:${process.pid}:${randomUUID().slice(0, 8)}`,
        options.heartbeat.intervalMs,
        options.heartbeat.staleMs,
        this.log,
      );
    }
  }

  /** Wire names of the alert topics (without the heartbeat topic). */
  wireTopics(): string[] {
    return this.options.topics.map((t) => wireTopic(this.options.group, t));
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    this.startedAt = Date.now();
    const lastAlive = Number(await this.options.dedup.getMeta(LAST_ALIVE).catch(() => undefined));
    if (Number.isFinite(lastAlive) && lastAlive > 0) this.lastAliveAt = lastAlive;
    const topics = this.wireTopics();
    if (this.heartbeat) topics.push(this.heartbeat.topic);
    this.subscription = this.options.bus.subscribe({
      group: this.options.consumerGroup,
      topics,
      consumer: this.consumer,
      initial: this.options.initial ?? 'latest',
      handler: (message) => this.handle(message),
    });
    this.heartbeat?.start();
    this.ticker = setInterval(() => void this.tick(), this.tickMs);
    this.ticker.unref();
    setCurrentListener(this, true);
    this.log.info(
      {
        server: this.options.bus.description,
        group: this.options.group,
        topics: this.options.topics,
        consumer_group: this.options.consumerGroup,
      },
      `IGWN Alert listener subscribed to ${this.options.topics.length} topics of ${this.options.group} on ${this.options.bus.description}`,
    );
  }

  /** Resolves once the subscription is connected and positioned. */
  async ready(): Promise<void> {
    await this.subscription?.ready();
  }

  async stop(): Promise<void> {
    setCurrentListener(this, false);
    clearInterval(this.ticker);
    this.heartbeat?.stop();
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** The subscribed topics the broker actually has (the `igwn-alert-topics` inspect key). */
  async visibleTopics(): Promise<string[]> {
    const existing = new Set(await this.options.bus.listTopics());
    return this.options.topics.filter((t) => existing.has(wireTopic(this.options.group, t)));
  }

  /**
   * Reads a topic again from a position. Without `redispatch`, changes already dispatched are
   * skipped, so this is the safe way to catch up after lost offsets; with it, every message up
   * to the newest one handled so far is dispatched again under new task ids.
   */
  async replay(topic: string, position: StartPosition, options: { redispatch?: boolean } = {}) {
    if (!this.subscription) throw new Error('the IGWN Alert listener is not running');
    if (!this.topicSet.has(topic)) {
      throw new Error(`cannot replay '${topic}': the listener does not subscribe to it`);
    }
    const wire = wireTopic(this.options.group, topic);
    if (options.redispatch) {
      this.replayTag = `replay-${Date.now().toString(36)}`;
      for (const [key, offset] of this.lastHandled) {
        if (key.startsWith(`${wire}:`)) this.replayUntil.set(key, offset);
      }
    }
    this.log.warn(
      { topic: wire, position, redispatch: Boolean(options.redispatch) },
      `replaying IGWN Alert topic ${wire}${options.redispatch ? ' (dispatching again)' : ''}`,
    );
    await this.subscription.seek(wire, position);
  }

  private isReplay(message: BusMessage): boolean {
    const until = this.replayUntil.get(`${message.topic}:${message.partition}`);
    return until !== undefined && compareOffsets(message.offset, until) <= 0;
  }

  /** The bus handler: never throws on input; throws only to have a message delivered again. */
  private async handle(message: BusMessage): Promise<void> {
    if (this.heartbeat && message.topic === this.heartbeat.topic) {
      this.heartbeat.received(message);
      return;
    }
    this.counts.received++;
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    const topic = bareTopic(this.options.group, message.topic);
    const handlers = topic && this.topicSet.has(topic) ? this.registry.handlersFor(topic) : [];
    if (!topic || handlers.length === 0) {
      this.counts.unknownTopic++;
      this.log.warn(where, `ignoring unrecognized key: ${topic ?? message.topic}`);
      return;
    }
    const parsed = parseIgwnAlert(message.value);
    if (!parsed.ok && parsed.noApiUrl) {
      this.counts.invalid++;
      this.log.error(
        { ...where, reason: parsed.reason },
        'IGWN alert message does not contain an API URL',
      );
      return;
    }
    if (!parsed.ok) {
      this.counts.invalid++;
      this.log.error(
        where,
        `ignoring IGWN alert message on ${message.topic} at offset ${message.offset}: ${parsed.reason}`,
      );
      return;
    }
    const alert = parsed.alert;
    const server = apiUrlOf(alert.object);
    if (!server) {
      this.counts.invalid++;
      this.log.error(
        { ...where, uid: alert.uid },
        'IGWN alert message does not contain an API URL',
      );
      return;
    }
    if (server !== this.gracedbUrl) {
      this.counts.wrongServer++;
      this.log.warn(
        { ...where, uid: alert.uid },
        `ignoring IGWN alert message because it is intended for GraceDB server ${server}, but we are set up for server ${this.gracedbUrl}`,
      );
      return;
    }
    await this.dispatch(alert, topic, handlers, message);
    this.lastHandled.set(`${message.topic}:${message.partition}`, message.offset);
  }

  /** Sends one task per handler unless that handler already got this change. */
  private async dispatch(
    alert: IgwnAlert,
    topic: string,
    handlers: IgwnAlertHandler[],
    message?: BusMessage,
  ): Promise<{ sent: number; skipped: number }> {
    const identity = changeIdentity(alert);
    const replay = message !== undefined && this.isReplay(message);
    let sent = 0;
    let skipped = 0;
    for (const handler of handlers) {
      // Namespaced by the IGWN group (one per GraceDB instance), so that deployments sharing a
      // Redis never mistake each other's changes for their own.
      const changeKey = `chg:${this.options.group}:${identity.key}:${handler.name}`;
      // The broker timestamp makes the position unique even if offsets are reused (a Kafka
      // topic deleted and recreated, an in-process bus without journal restarted).
      const positionKey = message
        ? `pos:${message.topic}:${message.partition}:${message.offset}:${message.timestamp}:${handler.name}`
        : undefined;
      const keys = positionKey ? [changeKey, positionKey] : [changeKey];
      if (!replay && (await this.options.dedup.has(keys))) {
        this.counts.duplicates++;
        skipped++;
        this.log.debug(
          { uid: alert.uid, alert_type: alert.alert_type, topic, handler: handler.name },
          'skipping a change already dispatched to this handler',
        );
        continue;
      }
      const taskId = taskIdFor(handler.name, identity, replay ? this.replayTag : undefined);
      try {
        await this.options.dispatcher.send(handler.name, [alert], {
          taskId,
          priority: handler.priority,
        });
        this.counts.dispatched++;
        sent++;
      } catch (err) {
        if (!(err instanceof PermanentDispatchError)) {
          this.counts.dispatchFailures++;
          throw err;
        }
        this.counts.permanentFailures++;
        this.log.error(
          {
            uid: alert.uid,
            alert_type: alert.alert_type,
            topic,
            handler: handler.name,
            err: err.message,
          },
          `cannot dispatch IGWN alert ${alert.uid} ${alert.alert_type} to ${handler.name}: ${err.message}`,
        );
      }
      const remember = [
        {
          key: changeKey,
          ttlMs: identity.durable ? this.options.dedupRetentionMs : this.options.dedupWindowMs,
        },
      ];
      if (positionKey) remember.push({ key: positionKey, ttlMs: this.options.dedupRetentionMs });
      await this.options.dedup.remember(remember);
    }
    return { sent, skipped };
  }

  private async tick(): Promise<void> {
    if (this.ticking || !this.subscription) return;
    this.ticking = true;
    try {
      await this.refreshLag();
      const now = Date.now();
      if (this.isHealthyNow(now)) {
        const gapMs = this.options.reconcile?.gapMs;
        if (
          gapMs !== undefined &&
          this.lastAliveAt !== undefined &&
          now - this.lastAliveAt > gapMs
        ) {
          let since = this.lastAliveAt - this.tickMs;
          const maxMs = this.options.reconcile?.maxMs;
          if (maxMs !== undefined && now - since > maxMs) {
            this.log.warn(
              { since: new Date(since).toISOString(), max_s: maxMs / 1000 },
              `IGWN Alert listener gap longer than ${maxMs / 1000} s: only its last ${maxMs / 1000} s are reconciled with GraceDB; older changes need an operator`,
            );
            since = now - maxMs;
          }
          const pending = this.reconciliation.pending;
          this.reconciliation.pending = {
            since: pending ? Math.min(pending.since, since) : since,
            until: now,
          };
          this.log.warn(
            { since: new Date(since).toISOString(), gap_s: (now - this.lastAliveAt) / 1000 },
            `IGWN Alert listener was not listening for ${((now - this.lastAliveAt) / 1000).toFixed(1)} s; will ask GraceDB what changed meanwhile`,
          );
        }
        this.lastAliveAt = now;
        await this.options.dedup.setMeta(LAST_ALIVE, String(now)).catch(() => undefined);
      }
      await this.maybeReconcile();
    } catch (err) {
      this.log.error({ err: describeError(err) }, 'IGWN Alert listener health check failed');
    } finally {
      this.ticking = false;
    }
  }

  private async refreshLag(): Promise<void> {
    const subscription = this.subscription!;
    try {
      const lag = await withTimeout(subscription.lag(), Math.max(2000, 2 * this.tickMs));
      const perTopic: Record<string, number> = {};
      let total = 0;
      for (const [wire, count] of Object.entries(lag)) {
        const topic = bareTopic(this.options.group, wire);
        if (!topic || !this.topicSet.has(topic)) continue;
        perTopic[topic] = count;
        total += count;
      }
      this.lag = { total, perTopic, checkedAt: Date.now() };
    } catch (err) {
      this.lag = { ...this.lag, error: describeError(err) };
    }
  }

  private isHealthyNow(now: number): boolean {
    const status = this.subscription?.status();
    if (!status?.connected) return false;
    return this.heartbeat ? this.heartbeat.health(now).fresh : true;
  }

  private async maybeReconcile(): Promise<void> {
    const reconcile = this.options.reconcile;
    const pending = this.reconciliation.pending;
    if (!reconcile || !pending || this.reconciliation.running) return;
    // First let the backlog drain: the real messages carry the state at the time of the
    // change, so they should win over rebuilt ones.
    this.reconciliation.pendingTicks++;
    if (this.lag.total !== 0 && this.reconciliation.pendingTicks < MAX_RECONCILE_WAIT_TICKS) return;
    this.reconciliation.running = true;
    try {
      const changes = await reconcile.changes.changedBetween(
        new Date(pending.since),
        new Date(pending.until),
      );
      let replayed = 0;
      let skipped = 0;
      for (const { topic, alert } of reconstructAlerts(changes, pending.since, pending.until)) {
        if (!this.topicSet.has(topic)) continue;
        const handlers = this.registry.handlersFor(topic);
        if (handlers.length === 0) continue;
        const result = await this.dispatch(alert, topic, handlers);
        replayed += result.sent;
        skipped += result.skipped;
      }
      this.reconciliation.runs++;
      this.reconciliation.lastRun = { at: Date.now(), ...pending, replayed, skipped };
      this.reconciliation.lastError = undefined;
      // A newer gap found while this ran stays pending.
      if (this.reconciliation.pending === pending) this.reconciliation.pending = undefined;
      this.reconciliation.pendingTicks = 0;
      this.log.info(
        {
          since: new Date(pending.since).toISOString(),
          until: new Date(pending.until).toISOString(),
          replayed,
          skipped,
        },
        `IGWN Alert reconciliation with GraceDB dispatched ${replayed} missed task(s) (${skipped} already done)`,
      );
    } catch (err) {
      this.reconciliation.lastError = describeError(err);
      this.log.error(
        { err: this.reconciliation.lastError },
        `IGWN Alert reconciliation with GraceDB failed; will try again: ${this.reconciliation.lastError}`,
      );
    } finally {
      this.reconciliation.running = false;
    }
  }

  health(now = Date.now()): ListenerHealth {
    const status = this.subscription?.status();
    const heartbeat = this.heartbeat?.health(now);
    const problems: string[] = [];
    const server = this.options.bus.description;
    if (!status) problems.push('the listener is not running');
    else if (!status.connected) {
      problems.push(
        `not connected to ${server} since ${new Date(status.since).toISOString()}${status.lastError ? ` (${status.lastError.message})` : ''}`,
      );
    }
    if (heartbeat && !heartbeat.fresh) {
      problems.push(
        `heartbeat stale: the last one that came back was sent ${heartbeat.ageS.toFixed(1)} s ago (limit ${heartbeat.staleAfterS} s)`,
      );
    }
    if (this.lag.error) problems.push(`lag unknown: ${this.lag.error}`);
    const perTopic: ListenerHealth['perTopic'] = {};
    for (const topic of this.options.topics) {
      const state = status?.perTopic[wireTopic(this.options.group, topic)];
      perTopic[topic] = {
        lag: this.lag.perTopic[topic] ?? null,
        handled: state?.handled ?? 0,
        lastOffset: state?.lastOffset,
        lastMessageAt: state?.lastMessageTimestamp,
        lastMessageAgeS:
          state?.lastMessageTimestamp !== undefined
            ? Math.max(0, (now - state.lastMessageTimestamp) / 1000)
            : undefined,
      };
    }
    return {
      healthy: problems.length === 0,
      problems,
      server,
      group: this.options.group,
      consumerGroup: this.options.consumerGroup,
      topics: [...this.options.topics],
      startedAt: this.startedAt,
      connection: {
        connected: status?.connected ?? false,
        since: status?.since ?? this.startedAt,
        reconnects: status?.reconnects ?? 0,
        lastError: status?.lastError,
        outages: status?.outages ?? [],
      },
      heartbeat,
      lag: { total: this.lag.total, checkedAt: this.lag.checkedAt, error: this.lag.error },
      perTopic,
      counts: { ...this.counts },
      reconciliation: {
        enabled: this.options.reconcile !== undefined,
        runs: this.reconciliation.runs,
        pending: this.reconciliation.pending,
        lastRun: this.reconciliation.lastRun,
        lastError: this.reconciliation.lastError,
      },
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the broker in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
