/**
 * The listener's durable memory: which (change, handler) and (topic offset, handler) pairs were
 * already dispatched, and a few named values (when the listener was last alive). Durable so
 * that a restart, a redelivery or a replay does not dispatch the same work twice.
 */
export interface DedupStore {
  /** Whether any of the keys is remembered (and not expired). */
  has(keys: string[]): Promise<boolean>;
  remember(entries: { key: string; ttlMs: number }[]): Promise<void>;
  getMeta(name: string): Promise<string | undefined>;
  setMeta(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** For tests and the journal-less embedded mode: forgotten when the process exits. */
export class MemoryDedupStore implements DedupStore {
  private readonly keys = new Map<string, number>();
  private readonly meta = new Map<string, string>();

  async has(keys: string[]): Promise<boolean> {
    const now = Date.now();
    return keys.some((key) => (this.keys.get(key) ?? 0) > now);
  }

  async remember(entries: { key: string; ttlMs: number }[]): Promise<void> {
    const now = Date.now();
    for (const { key, ttlMs } of entries) this.keys.set(key, now + ttlMs);
    if (this.keys.size > 100_000) {
      for (const [key, expires] of this.keys) if (expires <= now) this.keys.delete(key);
    }
  }

  async getMeta(name: string): Promise<string | undefined> {
    return this.meta.get(name);
  }

  async setMeta(name: string, value: string): Promise<void> {
    this.meta.set(name, value);
  }

  async close(): Promise<void> {}
}
