export * from './ledger.js';
export { openAlertLedger } from './open-ledger.js';
export { RedisLedger } from './redis-ledger.js';
export { SqliteLedger } from './sqlite-ledger.js';
