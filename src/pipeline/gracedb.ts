import type { Config } from '../config/index.js';
import { GraceDbClient } from '../gracedb/client.js';

const clients = new Map<string, GraceDbClient>();

/**
 * The GraceDB client of this process for a configuration: one keep-alive pool per server, shared
 * by every task (the reference's tasks share one gracedb-sdk client too).
 */
export function gracedbFor(config: Config): GraceDbClient {
  const key = `${config.gracedb_host}|${config.gracedb_token}|${config.gracedb_token_file}|${config.gracedb_tls_cert}`;
  let client = clients.get(key);
  if (!client) {
    client = GraceDbClient.fromConfig(config);
    clients.set(key, client);
  }
  return client;
}

/** Closes every client's connections (end of a process or a test). */
export function closeGraceDbClients(): void {
  for (const client of clients.values()) client.close();
  clients.clear();
}
