import { Redis } from 'ioredis';
import {
  type AlertKey,
  type AlertLedger,
  type ClaimResult,
  checkKey,
  type DeliveryReceipt,
  describeKey,
  LedgerError,
  type LedgerFilter,
  type LedgerRecord,
  recordFromColumns,
} from './ledger.js';

// KEYS: record hash, global index, per-superevent index.
// ARGV: now ms, ISO stamp, owner, lease-until ms, payload hash, superevent, type, serial, destination.
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'superevent', ARGV[6], 'alert_type', ARGV[7], 'serial', ARGV[8],
    'destination', ARGV[9], 'payload_hash', ARGV[5], 'state', 'pending', 'recorded_at', ARGV[2],
    'updated_at', ARGV[2], 'attempts', 1, 'claim_owner', ARGV[3], 'lease_until', ARGV[4],
    'in_doubt', 1)
  redis.call('ZADD', KEYS[2], ARGV[1], KEYS[1])
  redis.call('ZADD', KEYS[3], ARGV[1], KEYS[1])
  return 'claimed:new'
end
if state == 'delivered' then return 'delivered' end
local lease = tonumber(redis.call('HGET', KEYS[1], 'lease_until') or '0') or 0
if state == 'pending' and lease > tonumber(ARGV[1]) then return 'busy' end
local previous = 'in-doubt'
if state == 'failed' and redis.call('HGET', KEYS[1], 'in_doubt') == '0' then previous = 'not-delivered' end
redis.call('HSET', KEYS[1], 'state', 'pending', 'payload_hash', ARGV[5], 'updated_at', ARGV[2],
  'claim_owner', ARGV[3], 'lease_until', ARGV[4], 'in_doubt', 1)
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return 'claimed:' .. previous
`;

// ARGV: ISO stamp, receipt at, receipt JSON.
const DELIVERED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'state') ~= 'delivered' then
  redis.call('HSET', KEYS[1], 'delivered_at', ARGV[2], 'receipt', ARGV[3])
end
redis.call('HSET', KEYS[1], 'state', 'delivered', 'updated_at', ARGV[1], 'in_doubt', 0)
redis.call('HDEL', KEYS[1], 'claim_owner', 'lease_until', 'error')
return 1
`;

// ARGV: ISO stamp, owner, now ms, error, in-doubt (0/1).
const FAILED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'delivered' then return 1 end
local owner = redis.call('HGET', KEYS[1], 'claim_owner')
local lease = tonumber(redis.call('HGET', KEYS[1], 'lease_until') or '0') or 0
if (not owner) or owner == ARGV[2] or lease <= tonumber(ARGV[3]) then
  redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[4], 'updated_at', ARGV[1],
    'in_doubt', ARGV[5])
  redis.call('HDEL', KEYS[1], 'claim_owner', 'lease_until')
end
return 1
`;

type LedgerRedis = Redis & {
  gwcLedgerClaim(k1: string, k2: string, k3: string, ...argv: (string | number)[]): Promise<string>;
  gwcLedgerDelivered(k1: string, ...argv: string[]): Promise<number>;
  gwcLedgerFailed(k1: string, ...argv: (string | number)[]): Promise<number>;
};

/**
 * The ledger in Redis (the distributed deployment): one hash per key, two sorted-set indexes,
 * and Lua scripts so that a claim is one atomic step whichever worker makes it. Durability is
 * Redis's: run it with appendonly (everysec or always) for the ledger to survive a Redis crash.
 */
export class RedisLedger implements AlertLedger {
  readonly location: string;
  private readonly redis: LedgerRedis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.location = `${url.replace(/\/\/[^@/]*@/, '//****@')} (prefix ${prefix})`;
    this.redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false }) as LedgerRedis;
    this.redis.on('error', () => {
      // ioredis reconnects by itself; failed commands reject and are reported by the caller.
    });
    this.redis.defineCommand('gwcLedgerClaim', { numberOfKeys: 3, lua: CLAIM });
    this.redis.defineCommand('gwcLedgerDelivered', { numberOfKeys: 1, lua: DELIVERED });
    this.redis.defineCommand('gwcLedgerFailed', { numberOfKeys: 1, lua: FAILED });
  }

  private recordKey(key: AlertKey): string {
    const part = (s: string | number) => encodeURIComponent(String(s));
    return `${this.prefix}:alert-ledger:r:${part(key.superevent)}|${part(key.alertType)}|${key.serial}|${part(key.destination)}`;
  }

  private indexKey(): string {
    return `${this.prefix}:alert-ledger:index`;
  }

  private supereventKey(superevent: string): string {
    return `${this.prefix}:alert-ledger:se:${encodeURIComponent(superevent)}`;
  }

  async claim(
    key: AlertKey,
    payloadHash: string,
    owner: string,
    leaseMs: number,
    now = Date.now(),
  ): Promise<ClaimResult> {
    checkKey(key);
    const outcome = await this.redis.gwcLedgerClaim(
      this.recordKey(key),
      this.indexKey(),
      this.supereventKey(key.superevent),
      now,
      new Date(now).toISOString(),
      owner,
      now + leaseMs,
      payloadHash,
      key.superevent,
      key.alertType,
      key.serial,
      key.destination,
    );
    const record = (await this.get(key))!;
    if (outcome === 'claimed:new') return { outcome: 'claimed', previous: 'new', record };
    if (outcome === 'claimed:in-doubt') return { outcome: 'claimed', previous: 'in-doubt', record };
    if (outcome === 'claimed:not-delivered') {
      return { outcome: 'claimed', previous: 'not-delivered', record };
    }
    if (outcome === 'delivered') return { outcome: 'delivered', record };
    return { outcome: 'busy', record };
  }

  async markDelivered(
    key: AlertKey,
    owner: string,
    receipt: DeliveryReceipt,
    now = Date.now(),
  ): Promise<LedgerRecord> {
    checkKey(key);
    const found = await this.redis.gwcLedgerDelivered(
      this.recordKey(key),
      new Date(now).toISOString(),
      receipt.at,
      JSON.stringify(receipt),
    );
    if (!found) throw new LedgerError(`no ledger record for ${describeKey(key)} (owner ${owner})`);
    return (await this.get(key))!;
  }

  async markFailed(
    key: AlertKey,
    owner: string,
    error: string,
    inDoubt: boolean,
    now = Date.now(),
  ): Promise<LedgerRecord> {
    checkKey(key);
    const found = await this.redis.gwcLedgerFailed(
      this.recordKey(key),
      new Date(now).toISOString(),
      owner,
      now,
      error,
      inDoubt ? 1 : 0,
    );
    if (!found) throw new LedgerError(`no ledger record for ${describeKey(key)} (owner ${owner})`);
    return (await this.get(key))!;
  }

  async get(key: AlertKey): Promise<LedgerRecord | undefined> {
    return this.read(this.recordKey(key));
  }

  private async read(recordKey: string): Promise<LedgerRecord | undefined> {
    const h = await this.redis.hgetall(recordKey);
    if (!h.state) return undefined;
    return recordFromColumns(h);
  }

  async list(filter: LedgerFilter = {}): Promise<LedgerRecord[]> {
    const index = filter.superevent ? this.supereventKey(filter.superevent) : this.indexKey();
    const limit = filter.limit ?? 1000;
    const out: LedgerRecord[] = [];
    // Read in pages, newest first, until enough records pass the destination filter.
    const page = Math.max(limit, 100);
    for (let start = 0; out.length < limit; start += page) {
      const keys = await this.redis.zrevrange(index, start, start + page - 1);
      if (keys.length === 0) break;
      const records = await Promise.all(keys.map((k) => this.read(k)));
      for (const r of records) {
        if (r && (!filter.destination || r.destination === filter.destination)) out.push(r);
      }
      if (keys.length < page) break;
    }
    return out
      .sort(
        (a, b) =>
          b.recordedAt.localeCompare(a.recordedAt) ||
          a.superevent.localeCompare(b.superevent) ||
          b.serial - a.serial ||
          a.destination.localeCompare(b.destination),
      )
      .slice(0, limit);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
