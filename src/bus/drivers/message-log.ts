/** A message as the in-process driver stores it. */
export interface StoredMessage {
  offset: bigint;
  timestamp: number;
  key?: string;
  headers: Record<string, string>;
  value: Buffer;
}

export interface RetentionLimits {
  /** Messages kept per topic (0: unlimited). */
  maxLength: number;
  /** Milliseconds a message is kept (0: unlimited). */
  maxAgeMs: number;
}

/**
 * Storage of the in-process driver: one append-only log per topic with committed offsets per
 * consumer group. Synchronous on purpose: the in-process bus runs in one thread, and a
 * synchronous SQLite write is what makes "published" mean "on disk".
 */
export interface MessageLog {
  /** Appends and returns the new message's offset. */
  append(topic: string, message: Omit<StoredMessage, 'offset'>): bigint;
  /** Up to `limit` messages with offset >= `from`, in order. */
  read(topic: string, from: bigint, limit: number): StoredMessage[];
  /** The offset the next message will get. */
  end(topic: string): bigint;
  /** The first offset still kept. */
  start(topic: string): bigint;
  /** First offset whose timestamp is >= `timestamp` (end() when none). */
  offsetForTime(topic: string, timestamp: number): bigint;
  /** The next offset the group will read, or undefined when the group never committed. */
  committed(group: string, topic: string): bigint | undefined;
  commit(group: string, topic: string, next: bigint): void;
  topics(): string[];
  /** Drops messages beyond the retention limits. */
  trim(topic: string, limits: RetentionLimits, now: number): void;
  close(): void;
}

/** The log without a journal: everything is lost when the process exits. */
export class MemoryMessageLog implements MessageLog {
  private readonly logs = new Map<string, { base: bigint; messages: StoredMessage[] }>();
  private readonly offsets = new Map<string, bigint>();

  private log(topic: string) {
    let log = this.logs.get(topic);
    if (!log) {
      log = { base: 0n, messages: [] };
      this.logs.set(topic, log);
    }
    return log;
  }

  append(topic: string, message: Omit<StoredMessage, 'offset'>): bigint {
    const log = this.log(topic);
    const offset = log.base + BigInt(log.messages.length);
    log.messages.push({ ...message, offset });
    return offset;
  }

  read(topic: string, from: bigint, limit: number): StoredMessage[] {
    const log = this.log(topic);
    const index = from < log.base ? 0 : Number(from - log.base);
    return log.messages.slice(index, index + limit);
  }

  end(topic: string): bigint {
    const log = this.log(topic);
    return log.base + BigInt(log.messages.length);
  }

  start(topic: string): bigint {
    return this.log(topic).base;
  }

  offsetForTime(topic: string, timestamp: number): bigint {
    const log = this.log(topic);
    // Timestamps never decrease along a log (the bus makes them monotonic), so bisect.
    let lo = 0;
    let hi = log.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log.messages[mid].timestamp < timestamp) lo = mid + 1;
      else hi = mid;
    }
    return log.base + BigInt(lo);
  }

  committed(group: string, topic: string): bigint | undefined {
    return this.offsets.get(`${group}\0${topic}`);
  }

  commit(group: string, topic: string, next: bigint): void {
    this.offsets.set(`${group}\0${topic}`, next);
  }

  topics(): string[] {
    return [...this.logs.keys()];
  }

  trim(topic: string, limits: RetentionLimits, now: number): void {
    const log = this.log(topic);
    let drop = 0;
    if (limits.maxLength > 0 && log.messages.length > limits.maxLength) {
      drop = log.messages.length - limits.maxLength;
    }
    if (limits.maxAgeMs > 0) {
      const oldest = now - limits.maxAgeMs;
      while (drop < log.messages.length && log.messages[drop].timestamp < oldest) drop++;
    }
    if (drop > 0) {
      log.messages.splice(0, drop);
      log.base += BigInt(drop);
    }
  }

  close(): void {}
}
