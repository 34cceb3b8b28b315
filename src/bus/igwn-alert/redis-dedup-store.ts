import { Redis } from 'ioredis';
import type { DedupStore } from './dedup-store.js';

/**
 * The dedup memory in Redis (keys with a TTL), shared by every host that may run the listener,
 * so that a listener restarted elsewhere does not redo work.
 */
export class RedisDedupStore implements DedupStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      protocol: 2,
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
    });
    // Failures surface as rejected calls, which make the listener retry the message.
    this.redis.on('error', () => undefined);
  }

  private async client(): Promise<Redis> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
    return this.redis;
  }

  private key(name: string): string {
    return `${this.prefix}:igwn-alert:dedup:${name}`;
  }

  async has(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    const redis = await this.client();
    return (await redis.exists(...keys.map((k) => this.key(k)))) > 0;
  }

  async remember(entries: { key: string; ttlMs: number }[]): Promise<void> {
    if (entries.length === 0) return;
    const redis = await this.client();
    const multi = redis.multi();
    for (const { key, ttlMs } of entries) multi.set(this.key(key), '1', 'PX', Math.ceil(ttlMs));
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis transaction aborted');
  }

  async getMeta(name: string): Promise<string | undefined> {
    const redis = await this.client();
    return (await redis.get(`${this.prefix}:igwn-alert:meta:${name}`)) ?? undefined;
  }

  async setMeta(name: string, value: string): Promise<void> {
    const redis = await this.client();
    await redis.set(`${this.prefix}:igwn-alert:meta:${name}`, value);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
