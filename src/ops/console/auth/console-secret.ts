import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../../config/index.js';
import { getLogger } from '../../../log/index.js';

const log = getLogger('console.auth');

/**
 * The key that signs sessions and CSRF tokens: configured, or generated once and kept in
 * <data_dir>/console-secret (0600) so that sessions survive a restart; without a data
 * directory, a per-process key (everyone logs in again after a restart).
 */
export function consoleSecret(config: Config): string {
  if (config.console_secret) {
    if (config.console_secret.length < 32) {
      throw new Error('console_secret must be at least 32 characters long');
    }
    return config.console_secret;
  }
  if (!config.data_dir) {
    log.warn('no console_secret and no data_dir: sessions end when the console restarts');
    return randomBytes(32).toString('base64url');
  }
  const path = join(config.data_dir, 'console-secret');
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored.length >= 32) return stored;
  } catch {
    // not created yet
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(config.data_dir, { recursive: true });
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'w' });
  return secret;
}
