import type { Config } from '../../config/index.js';
import { App, createBroker, isEmbedded } from '../../engine/index.js';
import type { GraceDbClient } from '../../gracedb/client.js';
import { opsGraceDbClient } from '../ops-gracedb-client.js';
import { expectationsFromConfig, type NagiosProbe, runNagiosChecks } from './nagios-checks.js';
import { liveProbe, statusFileProbe } from './nagios-probes.js';
import type { NagiosResult } from './nagios-status.js';

/** GraceDB answers within this long or the MDC check fails as unexpected (UNKNOWN). */
const GRACEDB_TIMEOUT_S = 10;

export interface NagiosRunOptions {
  /** Check the one-command pipeline running on this data directory (its status.json). */
  dataDir?: string;
  now?: number;
}

/**
 * `gwcelery nagios`: checks the deployment the configuration points to (its Redis broker and
 * GraceDB), or with a data directory the one-command pipeline running on it. A configuration
 * with the embedded broker has no other way in than the status file, so it checks data_dir.
 */
export async function runNagios(
  config: Config,
  options: NagiosRunOptions = {},
): Promise<NagiosResult> {
  const clients: GraceDbClient[] = [];
  const gracedbFor = (url?: string | null): GraceDbClient => {
    const client = opsGraceDbClient(config, {
      url: url ?? undefined,
      timeoutS: GRACEDB_TIMEOUT_S,
      retries: 1,
    });
    clients.push(client);
    return client;
  };
  let app: App | undefined;
  let probe: NagiosProbe;
  const dataDir = options.dataDir ?? (isEmbedded(config) ? config.data_dir : undefined);
  if (dataDir !== undefined) {
    probe = dataDir
      ? statusFileProbe({
          dataDir,
          staleAfterMs: config.nagios_status_stale_s * 1000,
          gracedbFor,
        })
      : unreachable(
          'the configured broker is the embedded one and data_dir is empty: there is no pipeline to check (set GWCELERY_BROKER_URL or pass --data DIR)',
        );
  } else {
    // Not made current: the console runs these checks beside its own app.
    app = new App(config, createBroker(config));
    probe = liveProbe(app, gracedbFor());
  }
  try {
    return await runNagiosChecks(probe, expectationsFromConfig(config), options.now);
  } finally {
    for (const client of clients) client.close();
    if (app) await closeQuietly(app);
  }
}

function unreachable(reason: string): NagiosProbe {
  const fail = async (): Promise<never> => {
    throw new Error(reason);
  };
  return { pingBroker: fail, workers: fail, queueLength: fail, mdcSuperevents: fail };
}

/** Closing a client of a dead Redis can wait forever; a check must end. */
async function closeQuietly(app: App): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    app.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    }),
  ]);
  clearTimeout(timer);
}
