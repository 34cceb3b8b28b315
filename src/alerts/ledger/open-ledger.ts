import { join } from 'node:path';
import type { Config } from '../../config/index.js';
import { getLogger } from '../../log/index.js';
import type { AlertLedger } from './ledger.js';
import { RedisLedger } from './redis-ledger.js';
import { SqliteLedger } from './sqlite-ledger.js';

const log = getLogger('alerts.ledger');

type LedgerConfig = Pick<Config, 'alert_ledger' | 'broker_url' | 'redis_prefix' | 'data_dir'>;

/**
 * Opens the ledger the configuration names: `alert_ledger` when set, else Redis when the broker
 * is Redis (workers on several machines must share one ledger), else a SQLite file in data_dir.
 */
export function openAlertLedger(config: LedgerConfig): AlertLedger {
  const spec = config.alert_ledger;
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    return new RedisLedger(spec, config.redis_prefix);
  }
  if (spec.startsWith('sqlite:')) return new SqliteLedger(spec.slice('sqlite:'.length));
  if (config.broker_url.startsWith('redis://') || config.broker_url.startsWith('rediss://')) {
    return new RedisLedger(config.broker_url, config.redis_prefix);
  }
  if (!config.data_dir) {
    log.warn('no data_dir: the alert ledger lives in memory and is lost at exit');
    return new SqliteLedger(':memory:');
  }
  return new SqliteLedger(join(config.data_dir, 'alert-ledger.sqlite'));
}
