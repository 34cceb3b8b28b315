import { existsSync } from 'node:fs';
import type { Config } from '../../config/index.js';
import { STATS_KEYS, statFlags, statStringList } from '../../engine/stats-keys.js';
import { unixToGps } from '../../gracedb/gps-time.js';
import { framesRoot, newestFrameGps } from './low-latency-frames.js';
import type { NagiosResult } from './nagios-status.js';

/** A worker as the checks see it (inspect's WorkerView, or the status file's copy). */
export interface NagiosWorker {
  name: string;
  online: boolean;
  queues: string[];
  stats?: Record<string, unknown>;
}

/** Where the checks get their facts: a live deployment, or a pipeline's status file. */
export interface NagiosProbe {
  /** Resolves when the broker answers; throws (with the reason) when it cannot be reached. */
  pingBroker(): Promise<void>;
  workers(): Promise<NagiosWorker[]>;
  /** Tasks waiting on a queue. */
  queueLength(queue: string): Promise<number>;
  /** MDC superevents whose t_0 lies in [fromGps, toGps]. */
  mdcSuperevents(fromGps: number, toGps: number): Promise<{ superevent_id: string; t_0: number }[]>;
}

/** What the deployment is configured to have, i.e. what the checks compare against. */
export interface NagiosExpectations {
  llhoftGlob: string;
  frameMaxAgeS: number;
  expectedQueues: string[];
  igwnAlertTopics: string[];
  voeventBroadcasterWhitelist: string[];
  voeventReceiverAddress: string;
  /** Kafka alert streams (kafka_alert_config keys). */
  kafkaAlertStreams: string[];
  kafkaConsumers: string[];
  celeryQueueMax: number;
  checkMdc: boolean;
  mdcLookbackS: number;
  mdcMaxAgeS: number;
}

export function expectationsFromConfig(config: Config): NagiosExpectations {
  return {
    llhoftGlob: config.llhoft_glob,
    frameMaxAgeS: config.nagios_frame_max_age_s,
    expectedQueues: config.nagios_expected_queues,
    igwnAlertTopics: config.igwn_alert_topics,
    voeventBroadcasterWhitelist: config.voevent_broadcaster_whitelist,
    voeventReceiverAddress: config.voevent_receiver_address,
    kafkaAlertStreams: Object.keys(config.kafka_alert_config),
    kafkaConsumers: Object.keys(config.kafka_consumer_config),
    celeryQueueMax: config.nagios_celery_queue_max,
    checkMdc: config.nagios_check_mdc,
    mdcLookbackS: config.nagios_mdc_lookback_s,
    mdcMaxAgeS: config.nagios_mdc_max_age_s,
  };
}

type Failure = { message: string; detail?: string } | undefined;

/** The listener heartbeat as a worker's `igwn-alert-health` stat carries it. */
export interface HeartbeatStat {
  ageS: number;
  staleAfterS: number;
  /** When the newest heartbeat that came back had been sent (ms since the epoch). */
  lastReturnedSentAt?: number;
}

/**
 * Seconds since the newest heartbeat that came back, as of `nowMs`. Computed from the absolute
 * time rather than the snapshot's own age: a snapshot stops being refreshed exactly when the
 * listener's broker hangs, and its `ageS` then stays young.
 */
export function heartbeatAgeS(heartbeat: HeartbeatStat, nowMs: number): number {
  if (typeof heartbeat.lastReturnedSentAt === 'number') {
    return Math.max(heartbeat.ageS, (nowMs - heartbeat.lastReturnedSentAt) / 1000);
  }
  return heartbeat.ageS;
}

interface CheckContext {
  probe: NagiosProbe;
  expect: NagiosExpectations;
  nowMs: number;
  workers: () => Promise<NagiosWorker[]>;
}

const union = (lists: (string[] | undefined)[]): Set<string> =>
  new Set(lists.flatMap((l) => l ?? []));

const list = (items: Iterable<string>): string => [...items].sort().join(', ');

/** Each worker's stats, online workers only (an offline worker's stats are stale). */
async function onlineStats(ctx: CheckContext): Promise<Record<string, unknown>[]> {
  return (await ctx.workers()).filter((w) => w.online).map((w) => w.stats ?? {});
}

/**
 * The checks of the reference's `gwcelery nagios`, in its order (first failure wins), with its
 * exact messages, plus one of ours at the end: the IGWN Alert listener's heartbeat.
 */
const CHECKS: ((ctx: CheckContext) => Promise<Failure>)[] = [
  // 1. Low-latency frames, only on a host that receives them.
  async ({ expect, nowMs }) => {
    if (!existsSync(framesRoot(expect.llhoftGlob))) return undefined;
    const nowGps = unixToGps(nowMs / 1000);
    const stale: string[] = [];
    for (const detector of ['H1', 'L1']) {
      const newest = newestFrameGps(expect.llhoftGlob, detector);
      const age = newest === undefined ? Number.POSITIVE_INFINITY : nowGps - newest;
      if (age > expect.frameMaxAgeS) {
        stale.push(
          newest === undefined
            ? `${detector}: no frame matches ${expect.llhoftGlob.replaceAll('{detector}', detector)}`
            : `${detector}: newest frame is ${Math.round(age)} s old (limit ${expect.frameMaxAgeS} s)`,
        );
      }
    }
    return stale.length
      ? { message: 'Low-latency hoft is not being streamed', detail: stale.join('\n') }
      : undefined;
  },
  // 2. The broker answers (the probe retries once).
  async ({ probe }) => {
    try {
      await probe.pingBroker();
      return undefined;
    } catch (err) {
      return { message: 'No connection to broker', detail: (err as Error).message };
    }
  },
  // 3. Every expected queue is served by an online worker.
  async (ctx) => {
    const active = union((await ctx.workers()).filter((w) => w.online).map((w) => w.queues));
    const missing = ctx.expect.expectedQueues.filter((q) => !active.has(q));
    return missing.length
      ? {
          message: 'Not all expected queues are active',
          detail: `Missing queues: ${list(missing)}\nActive queues: ${list(active) || '(none)'}`,
        }
      : undefined;
  },
  // 4. The listener sees exactly the configured IGWN Alert topics.
  async (ctx) => {
    const seen = union(
      (await onlineStats(ctx)).map((s) => statStringList(s, STATS_KEYS.igwnAlertTopics)),
    );
    const expected = new Set(ctx.expect.igwnAlertTopics);
    const missing = [...expected].filter((t) => !seen.has(t));
    if (missing.length) {
      return {
        message: 'Not all IGWN alert topics are subscribed',
        detail: `Missing topics: ${list(missing)}`,
      };
    }
    const extra = [...seen].filter((t) => !expected.has(t));
    return extra.length
      ? {
          message: 'Too many IGWN alert topics are subscribed',
          detail: `Extra topics: ${list(extra)}`,
        }
      : undefined;
  },
  // 5. Broadcasting is configured and nobody is connected.
  async (ctx) => {
    if (ctx.expect.voeventBroadcasterWhitelist.length === 0) return undefined;
    const peers = union(
      (await onlineStats(ctx)).map((s) => statStringList(s, STATS_KEYS.voeventBrokerPeers)),
    );
    return peers.size === 0
      ? {
          message: 'The VOEvent broker has no active connections',
          detail: `Whitelist: ${ctx.expect.voeventBroadcasterWhitelist.join(', ')}`,
        }
      : undefined;
  },
  // 6. Receiving is configured and the receiver is not connected.
  async (ctx) => {
    if (!ctx.expect.voeventReceiverAddress) return undefined;
    const peers = union(
      (await onlineStats(ctx)).map((s) => statStringList(s, STATS_KEYS.voeventReceiverPeers)),
    );
    return peers.size === 0
      ? {
          message: 'The VOEvent receiver has no active connections',
          detail: `Receiver address: ${ctx.expect.voeventReceiverAddress}`,
        }
      : undefined;
  },
  // 7. Every Kafka alert stream's topic is up.
  async (ctx) => {
    const up: Record<string, boolean> = {};
    for (const stats of await onlineStats(ctx)) {
      for (const [name, flag] of Object.entries(statFlags(stats, STATS_KEYS.kafkaTopicUp) ?? {})) {
        up[name] = (up[name] ?? false) || flag;
      }
    }
    const down = ctx.expect.kafkaAlertStreams.filter((name) => up[name] !== true);
    return down.length
      ? { message: 'Not all Kafka bootstep URLs are active', detail: `Down: ${list(down)}` }
      : undefined;
  },
  // 8. No Kafka alert stream reports a failed delivery.
  async (ctx) => {
    const failed = new Set<string>();
    for (const stats of await onlineStats(ctx)) {
      for (const [name, flag] of Object.entries(
        statFlags(stats, STATS_KEYS.kafkaDeliveryFailures) ?? {},
      )) {
        if (flag) failed.add(name);
      }
    }
    return failed.size
      ? {
          // [sic]: the reference's spelling, which monitoring may match on.
          message: 'Not all Kafka messages have been succesfully delivered',
          detail: `Delivery failures: ${list(failed)}`,
        }
      : undefined;
  },
  // 9. The general queue is not piling up.
  async ({ probe, expect }) => {
    const waiting = await probe.queueLength('celery');
    return waiting > expect.celeryQueueMax
      ? {
          message: 'Tasks are piled up in Celery queue',
          detail: `${waiting} tasks waiting (limit ${expect.celeryQueueMax})`,
        }
      : undefined;
  },
  // 10. The hourly mock events keep producing MDC superevents.
  async ({ probe, expect, nowMs }) => {
    if (!expect.checkMdc) return undefined;
    const nowGps = unixToGps(nowMs / 1000);
    const found = await probe.mdcSuperevents(nowGps - expect.mdcLookbackS, nowGps);
    if (found.length === 0) return { message: 'No MDC superevents found in past six hours' };
    const newest = found.reduce((a, b) => (b.t_0 > a.t_0 ? b : a));
    const age = nowGps - newest.t_0;
    return age > expect.mdcMaxAgeS
      ? {
          message: 'No MDC superevents found in last one hour',
          detail: `Newest: ${newest.superevent_id}, ${Math.round(age)} s ago (limit ${expect.mdcMaxAgeS} s)`,
        }
      : undefined;
  },
  // 11. Every configured GCN Kafka consumer runs.
  async (ctx) => {
    const active = union(
      (await onlineStats(ctx)).map((s) => statStringList(s, STATS_KEYS.activeKafkaConsumers)),
    );
    const missing = ctx.expect.kafkaConsumers.filter((k) => !active.has(k));
    return missing.length
      ? {
          message: 'Not all Kafka consumer bootstep topics are active',
          detail: `Inactive consumers: ${list(missing)}`,
        }
      : undefined;
  },
  // 12 (ours). A listener whose heartbeat no longer comes back is not listening.
  async (ctx) => {
    const stale: string[] = [];
    for (const worker of (await ctx.workers()).filter((w) => w.online)) {
      const heartbeat = (
        worker.stats?.[STATS_KEYS.igwnAlertHealth] as { heartbeat?: HeartbeatStat }
      )?.heartbeat;
      if (!heartbeat) continue;
      const age = heartbeatAgeS(heartbeat, ctx.nowMs);
      if (age > heartbeat.staleAfterS) {
        stale.push(
          `${worker.name}: last heartbeat came back ${Math.round(age)} s ago (limit ${heartbeat.staleAfterS} s)`,
        );
      }
    }
    return stale.length
      ? { message: 'The IGWN alert listener heartbeat is stale', detail: stale.join('\n') }
      : undefined;
  },
];

/** Runs the checks in order; the first failure is the result. Unexpected errors are UNKNOWN. */
export async function runNagiosChecks(
  probe: NagiosProbe,
  expect: NagiosExpectations,
  nowMs = Date.now(),
): Promise<NagiosResult> {
  let workers: Promise<NagiosWorker[]> | undefined;
  const ctx: CheckContext = {
    probe,
    expect,
    nowMs,
    workers: () => {
      workers ??= probe.workers();
      return workers;
    },
  };
  try {
    for (const [i, check] of CHECKS.entries()) {
      const failure = await check(ctx);
      if (failure) return { status: 'CRITICAL', check: i + 1, ...failure };
    }
    return { status: 'OK', message: 'Running normally' };
  } catch (err) {
    return {
      status: 'UNKNOWN',
      message: 'Unexpected error',
      detail: (err as Error)?.stack ?? String(err),
    };
  }
}
