export interface BackoffOptions {
  /** First delay in milliseconds. */
  initialMs: number;
  /** Largest delay in milliseconds. */
  maxMs: number;
  /** Growth factor between attempts. */
  factor?: number;
  /** Fraction of each delay drawn at random, so that many clients do not retry in lock-step. */
  jitter?: number;
}

/**
 * Exponential back-off for reconnections and redeliveries. One instance per retry sequence:
 * reset() after a success so that the next failure starts from the initial delay again.
 */
export class Backoff {
  private attempt = 0;
  constructor(readonly options: BackoffOptions) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
      throw new Error(
        `invalid back-off: initialMs ${options.initialMs} must be > 0 and <= maxMs ${options.maxMs}`,
      );
    }
  }

  /** A fresh sequence with the same settings. */
  clone(): Backoff {
    return new Backoff(this.options);
  }

  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call counts one attempt. */
  next(): number {
    const { initialMs, maxMs, factor = 2, jitter = 0.2 } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt++;
    const spread = base * jitter;
    return Math.max(1, Math.round(base - spread + Math.random() * 2 * spread));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Sleeps for `ms` unless the signal fires first; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
