import type { App } from '../../engine/index.js';
import { inspect } from '../../engine/inspect.js';
import type { GraceDbClient } from '../../gracedb/client.js';
import { type PipelineStatus, readStatusFile } from '../status/status-file.js';
import type { NagiosProbe, NagiosWorker } from './nagios-checks.js';

/** A broker that does not answer within this long counts as unreachable. */
const PING_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function mdcQuery(fromGps: number, toGps: number): string {
  return `category: MDC t_0: ${fromGps.toFixed(3)} .. ${toGps.toFixed(3)}`;
}

/** The probe of a distributed deployment: its Redis broker and its GraceDB. */
export function liveProbe(app: App, gracedb: GraceDbClient): NagiosProbe {
  return {
    async pingBroker() {
      // The reference retries the connection once.
      try {
        await withTimeout(app.broker.ping(), PING_TIMEOUT_MS, 'broker ping');
      } catch {
        await withTimeout(app.broker.ping(), PING_TIMEOUT_MS, 'broker ping (retry)');
      }
    },
    async workers(): Promise<NagiosWorker[]> {
      return (await withTimeout(inspect(app), 15_000, 'inspect')).workers;
    },
    async queueLength(queue) {
      const stats = await withTimeout(app.broker.queueStats([queue]), 15_000, 'queue stats');
      return stats[queue]?.waiting ?? 0;
    },
    async mdcSuperevents(fromGps, toGps) {
      return gracedb.getSuperevents(mdcQuery(fromGps, toGps));
    },
  };
}

export interface StatusFileProbeOptions {
  dataDir: string;
  staleAfterMs: number;
  /** GraceDB client for the URL the status file names (the pipeline's embedded service). */
  gracedbFor: (url: string | null) => GraceDbClient;
  now?: () => number;
}

/**
 * The probe of a one-command pipeline: what it wrote in DIR/status.json. A missing, unreadable,
 * stale or stopped status counts as "No connection to broker": the broker lives in that process.
 */
export function statusFileProbe(options: StatusFileProbeOptions): NagiosProbe {
  let status: PipelineStatus | undefined;
  let client: GraceDbClient | undefined;
  const now = options.now ?? Date.now;
  const current = (): PipelineStatus => {
    status ??= readStatusFile(options.dataDir);
    return status;
  };
  return {
    async pingBroker() {
      const s = current();
      const age = now() - s.written_at;
      if (s.stopped_at) {
        throw new Error(
          `the pipeline in ${options.dataDir} (pid ${s.pid}) stopped at ${new Date(s.stopped_at).toISOString()}`,
        );
      }
      if (age > options.staleAfterMs) {
        throw new Error(
          `the pipeline in ${options.dataDir} (pid ${s.pid}) last wrote its status ${Math.round(age / 1000)} s ago (limit ${Math.round(options.staleAfterMs / 1000)} s)`,
        );
      }
      if (!s.broker.reachable) {
        throw new Error(
          `the pipeline's ${s.broker.kind} broker: ${s.broker.error ?? 'unreachable'}`,
        );
      }
    },
    async workers() {
      return current().inspect.workers;
    },
    async queueLength(queue) {
      return current().inspect.queues[queue]?.waiting ?? 0;
    },
    async mdcSuperevents(fromGps, toGps) {
      client ??= options.gracedbFor(current().gracedb_url);
      return client.getSuperevents(mdcQuery(fromGps, toGps));
    },
  };
}
