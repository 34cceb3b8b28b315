import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { gracedbUrl } from '../gracedb/client.js';

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

/**
 * The configuration a command uses to reach GraceDB. When that GraceDB is the embedded one of a
 * `gwcelery start` on this machine (a loopback URL, and the data directory holds the write
 * token the one-process pipeline generated), the command uses that token, so that
 * `gwcelery mock upload` works beside `npm start` with nothing to set.
 */
export function withLocalGraceDbToken(config: Config): Config {
  const tokenFile = config.data_dir ? join(config.data_dir, 'gracedb-token') : '';
  if (
    !tokenFile ||
    config.gracedb_token_file ||
    !LOOPBACK.test(gracedbUrl(config.gracedb_host)) ||
    !existsSync(tokenFile)
  ) {
    return config;
  }
  return { ...config, gracedb_token: '', gracedb_token_file: tokenFile };
}
