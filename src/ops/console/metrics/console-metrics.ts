import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ListenerHealth } from '../../../bus/igwn-alert/health.js';
import type { App } from '../../../engine/index.js';
import { type InspectReport, inspect } from '../../../engine/inspect.js';
import { STATS_KEYS } from '../../../engine/stats-keys.js';
import type { IngestResult } from '../../history/task-history.js';
import { heartbeatAgeS } from '../../nagios/nagios-checks.js';

const EVENT_STATE: Record<string, string> = {
  'task-sent': 'sent',
  'task-started': 'started',
  'task-retried': 'retried',
  'task-succeeded': 'succeeded',
  'task-failed': 'failed',
  'task-rejected': 'rejected',
};

/** Seconds from t₀ to an alert delivered: the low-latency budget is tens of seconds. */
const LATENCY_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600];
const RUNTIME_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
/** One scrape must not hammer the broker: inspect results are reused this long. */
const INSPECT_TTL_MS = 2000;

export interface ConsoleMetricsSources {
  app: App;
  /** The IGWN Alert listener of this process, when it runs one. */
  localListenerHealth?: () => ListenerHealth | undefined;
}

/**
 * The console's `/metrics` (Prometheus text): task transitions by name, task runtimes, queue
 * depths and online workers, alert latency from t₀, the IGWN Alert listener's lag and heartbeat
 * age, and whether the broker answers. Counters grow as the history ingests events; gauges
 * are read at scrape time.
 */
export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly tasks: Counter<'name' | 'state'>;
  private readonly runtime: Histogram<'name'>;
  readonly alertLatency: Histogram<'alert_type' | 'destination'>;
  private inspected: { at: number; report: Promise<InspectReport> } | undefined;

  constructor(private readonly sources: ConsoleMetricsSources) {
    const registers = [this.registry];
    this.tasks = new Counter({
      name: 'gwcelery_tasks_total',
      help: 'Task transitions seen by the console, by task name and state reached',
      labelNames: ['name', 'state'],
      registers,
    });
    this.runtime = new Histogram({
      name: 'gwcelery_task_runtime_seconds',
      help: 'Runtime of tasks that finished, by task name',
      labelNames: ['name'],
      buckets: RUNTIME_BUCKETS,
      registers,
    });
    this.alertLatency = new Histogram({
      name: 'gwcelery_alert_latency_seconds',
      help: 'Seconds from the superevent t0 to the alert being delivered, by alert type and destination',
      labelNames: ['alert_type', 'destination'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const self = this;
    new Gauge({
      name: 'gwcelery_queue_tasks',
      help: 'Tasks in a queue, by state (waiting, active, scheduled)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const report = await self.report().catch(() => undefined);
        this.reset();
        for (const [queue, q] of Object.entries(report?.queues ?? {})) {
          this.set({ queue, state: 'waiting' }, q.waiting);
          this.set({ queue, state: 'active' }, q.active);
          this.set({ queue, state: 'scheduled' }, q.delayed);
        }
      },
    });
    new Gauge({
      name: 'gwcelery_workers_online',
      help: 'Workers whose heartbeat is fresh',
      registers,
      async collect() {
        const report = await self.report().catch(() => undefined);
        this.set(report ? report.workers.filter((w) => w.online).length : 0);
      },
    });
    new Gauge({
      name: 'gwcelery_broker_up',
      help: '1 when the task broker answered a ping during this scrape',
      registers,
      async collect() {
        try {
          await withTimeout(sources.app.broker.ping(), 3000);
          this.set(1);
        } catch {
          this.set(0);
        }
      },
    });
    const listenerGauge = (
      name: string,
      help: string,
      labelNames: string[],
      fill: (g: Gauge<string>, h: ListenerHealth) => void,
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          this.reset();
          for (const health of await self.listenerHealths()) fill(this, health);
        },
      });
    listenerGauge(
      'gwcelery_igwn_alert_lag_messages',
      'IGWN Alert messages not yet handled by the listener, by topic',
      ['topic'],
      (g, h) => {
        for (const [topic, t] of Object.entries(h.perTopic))
          if (t.lag !== null) g.set({ topic }, t.lag);
      },
    );
    listenerGauge(
      'gwcelery_igwn_alert_heartbeat_age_seconds',
      'Seconds since the newest listener heartbeat that came back through the broker was sent',
      [],
      (g, h) => {
        if (h.heartbeat) g.set(heartbeatAgeS(h.heartbeat, Date.now()));
      },
    );
    listenerGauge(
      'gwcelery_igwn_alert_up',
      '1 when the IGWN Alert listener is connected with a fresh heartbeat',
      [],
      (g, h) =>
        g.set(
          h.healthy &&
            (!h.heartbeat || heartbeatAgeS(h.heartbeat, Date.now()) <= h.heartbeat.staleAfterS)
            ? 1
            : 0,
        ),
    );
  }

  /** Counts what one history batch brought in. */
  observe(result: IngestResult, runtimes: { name: string; runtimeMs: number }[] = []): void {
    for (const c of result.counts) {
      const state = EVENT_STATE[c.type];
      if (state) this.tasks.inc({ name: c.name, state });
    }
    for (const r of runtimes) this.runtime.observe({ name: r.name }, r.runtimeMs / 1000);
  }

  /** inspect(), shared between the gauges of one scrape. */
  report(): Promise<InspectReport> {
    const now = Date.now();
    if (!this.inspected || now - this.inspected.at > INSPECT_TTL_MS) {
      this.inspected = { at: now, report: withTimeout(inspect(this.sources.app), 5000) };
      this.inspected.report.catch(() => {
        this.inspected = undefined;
      });
    }
    return this.inspected.report;
  }

  /** The listener of this process, else the snapshots workers publish in their stats. */
  private async listenerHealths(): Promise<ListenerHealth[]> {
    const local = this.sources.localListenerHealth?.();
    if (local) return [local];
    const report = await this.report().catch(() => undefined);
    return (report?.workers ?? [])
      .filter((w) => w.online)
      .map((w) => w.stats?.[STATS_KEYS.igwnAlertHealth] as ListenerHealth | undefined)
      .filter((h): h is ListenerHealth => Boolean(h?.perTopic));
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
