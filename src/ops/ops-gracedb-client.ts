import type { Config } from '../config/index.js';
import { GraceDbClient, gracedbUrl } from '../gracedb/client.js';

export interface OpsGraceDbOptions {
  /** API URL; default the configured gracedb_host. */
  url?: string;
  timeoutS: number;
  /** Retries of transient failures (the pipeline's default of 10 at 20 s would hang a page). */
  retries: number;
}

/**
 * A GraceDB client for operators' tools (console pages, form checks, the Nagios check): the
 * pipeline's credentials, but short timeouts and few retries, so that a slow GraceDB shows up
 * as an error on screen within seconds instead of a page that never loads.
 */
export function opsGraceDbClient(config: Config, options: OpsGraceDbOptions): GraceDbClient {
  return new GraceDbClient({
    url: options.url ?? gracedbUrl(config.gracedb_host),
    token: config.gracedb_token || undefined,
    tokenFile: config.gracedb_token_file || undefined,
    cert: config.gracedb_tls_cert || undefined,
    key: config.gracedb_tls_key || undefined,
    ca: config.gracedb_tls_ca || undefined,
    timeoutMs: options.timeoutS * 1000,
    retry: { baseMs: 250, max: options.retries, maxDelayMs: 1000, jitter: true },
    maxConnections: 4,
    exposeToPublic: config.expose_to_public,
  });
}
