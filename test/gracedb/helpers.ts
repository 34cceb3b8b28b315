import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryPublisher } from '../../src/bus/publisher.js';
import { GraceDbClient, type GraceDbClientOptions } from '../../src/gracedb/client.js';
import {
  type GraceDbService,
  type GraceDbServiceOptions,
  startGraceDbService,
} from '../../src/gracedb/service/server.js';

export const TOKEN = 'test-token';
export const USER = 'emfollow';

export interface TestGraceDb {
  service: GraceDbService;
  client: GraceDbClient;
  publisher: MemoryPublisher;
  dir: string;
  /** Parsed notifications so far: topic and message. */
  alerts(): { topic: string; message: Record<string, unknown> }[];
  newClient(options?: Partial<GraceDbClientOptions>): GraceDbClient;
  close(): Promise<void>;
}

/** Client options for tests: retries in milliseconds, short timeout. */
export function testClientOptions(
  url: string,
  overrides: Partial<GraceDbClientOptions> = {},
): GraceDbClientOptions {
  return {
    url,
    token: TOKEN,
    timeoutMs: 5000,
    retry: { baseMs: 5, max: 10, maxDelayMs: 50, jitter: false },
    maxConnections: 8,
    ...overrides,
  };
}

/** A service on a free port with its own temporary directory, plus a client for it. */
export async function startTestGraceDb(
  options: Partial<GraceDbServiceOptions> = {},
): Promise<TestGraceDb> {
  const dir = mkdtempSync(join(tmpdir(), 'gracedb-test-'));
  const publisher = new MemoryPublisher();
  const service = await startGraceDbService({
    dataDir: dir,
    tokens: { [USER]: TOKEN },
    publisher,
    alertGroup: 'gracedb-test',
    writeRatePerS: 0,
    anonymousRatePerMin: 0,
    ...options,
  });
  const clients: GraceDbClient[] = [];
  const newClient = (overrides: Partial<GraceDbClientOptions> = {}) => {
    const client = new GraceDbClient(testClientOptions(service.url, overrides));
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    service,
    client,
    publisher,
    dir,
    alerts: () =>
      publisher.messages.map((m) => ({
        topic: m.topic,
        message: JSON.parse(String(m.value)) as Record<string, unknown>,
      })),
    newClient,
    async close() {
      for (const c of clients) c.close();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An oLIB trigger (JSON): the smallest real event payload the service parses. */
export function olibPayload(
  gpstime: number,
  far = 1e-9,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    gpstime,
    FAR: far,
    instruments: 'H1,L1',
    likelihood: 12.5,
    BCI: 7.0,
    quality_posterior_mean: 100.0,
    quality_posterior_median: 100.0,
    BSN: 20.0,
    Omicron_SNR_Network: 8.0,
    Omicron_SNR_H1: 20.0,
    Omicron_SNR_L1: 26.0,
    hrss_posterior_mean: 5.0,
    hrss_posterior_median: 5e-23,
    frequency_posterior_mean: 100.0,
    frequency_posterior_median: 100.0,
    ...extra,
  });
}
