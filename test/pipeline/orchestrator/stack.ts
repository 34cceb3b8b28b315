/**
 * The one-process pipeline as the orchestrator tests run it: the embedded GraceDB, the bus, the
 * listener, workers for the queues the alert workflow uses, local alert files and (optionally)
 * a Kafka destination on librdkafka's mock cluster.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LedgerRecord } from '../../../src/alerts/ledger/ledger.js';
import { openAlertLedger } from '../../../src/alerts/ledger/open-ledger.js';
import { type Config, loadConfig } from '../../../src/config/index.js';
import type { GraceDbClient } from '../../../src/gracedb/client.js';
import { type LocalStack, startLocalStack } from '../../../src/ops/local-stack.js';
import { closeAlertDeliveries } from '../../../src/pipeline/alert-delivery.js';
import '../../../src/pipeline/index.js';
import { coincXml } from '../../../src/skymap/bayestar/coinc-xml.js';
import { coincEventFromLigoLw } from '../../../src/skymap/bayestar/ligolw-event.js';
import { fixtureUrl } from '../../fixtures/bayestar/fixtures.js';
import { eventually } from '../../helpers/process.js';

export const ORCHESTRATOR_QUEUES = {
  celery: 4,
  superevent: 1,
  'em-bright': 1,
  openmp: 1,
  highmem: 1,
  voevent: 1,
  kafka: 1,
};

export interface OrchestratorStack {
  stack: LocalStack;
  config: Config;
  dataDir: string;
  /** Where the file destinations write `<sid>-<serial>-<type>.<json|avro|xml>`. */
  alertsDir: string;
  ledger(superevent: string): Promise<LedgerRecord[]>;
}

export async function startOrchestratorStack(
  t: { after(fn: () => Promise<void>): void },
  overrides: Record<string, unknown> = {},
  queues: Record<string, number> = ORCHESTRATOR_QUEUES,
): Promise<OrchestratorStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gwc-orchestrator-'));
  const config = loadConfig({
    env: { GWCELERY_CONFIG: 'test' },
    overrides: {
      data_dir: dataDir,
      log_level: 'error',
      alert_output_dir: 'alerts',
      ...overrides,
    },
  });
  const stack = await startLocalStack(config, { queues });
  t.after(async () => {
    await stack.close();
    await closeAlertDeliveries();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    stack,
    config: stack.config,
    dataDir,
    alertsDir: join(dataDir, 'alerts'),
    async ledger(superevent) {
      const ledger = openAlertLedger(stack.config);
      try {
        return await ledger.list({ superevent });
      } finally {
        await ledger.close();
      }
    },
  };
}

export async function waitForLabel(
  gracedb: GraceDbClient,
  id: string,
  label: string,
  timeoutMs = 90_000,
): Promise<void> {
  await eventually(
    async () => ((await gracedb.getLabels(id)).has(label) ? true : undefined),
    timeoutMs,
    `${label} on ${id}`,
  );
}

/** Waits for a log message matching `pattern`; returns every matching comment. */
export async function waitForLog(
  gracedb: GraceDbClient,
  id: string,
  pattern: RegExp,
  count = 1,
  timeoutMs = 90_000,
): Promise<string[]> {
  return eventually(
    async () => {
      const found = (await gracedb.getLog(id)).map((e) => e.comment).filter((c) => pattern.test(c));
      return found.length >= count ? found : undefined;
    },
    timeoutMs,
    `${count}× ${pattern} in the log of ${id}`,
  );
}

/** The only superevent of the stack, once it exists. */
export async function theSuperevent(gracedb: GraceDbClient, category = 'production') {
  return eventually(
    async () => (await gracedb.getSuperevents(`category: ${category}`))[0],
    60_000,
    `a ${category} superevent`,
  );
}

const SIMULATED = coincEventFromLigoLw(gunzipSync(readFileSync(fixtureUrl('hl-bns-1024'))), {
  fileName: 'hl-bns-1024.xml.gz',
});

/**
 * A coinc.xml with PSDs and SNR series, as a search pipeline uploads it: the committed BAYESTAR
 * simulation of a noise-free HL BNS at 1024 Hz (cheap to localize), moved `offsetS` later, with
 * the FAR the test needs. Uploaded as a gstlal candidate.
 */
export function uploadSimulated(
  gracedb: GraceDbClient,
  offsetS: number,
  far: number,
  search: string,
) {
  const shift = BigInt(Math.round(offsetS * 1e9));
  const coinc = {
    ...SIMULATED,
    triggers: SIMULATED.triggers.map((t) => ({
      ...t,
      timeNs: t.timeNs + shift,
      ...(t.snrSeries
        ? { snrSeries: { ...t.snrSeries, epochNs: t.snrSeries.epochNs + shift } }
        : {}),
    })),
  };
  return gracedb.createEvent(Buffer.from(coincXml(coinc, { far })), search, 'gstlal', 'CBC');
}
