/**
 * A sliding-window request limit per key, the way Django REST framework throttles GraceDB
 * (§7.3): at most `limit` requests in any `windowMs`; a refused request learns how long to wait.
 */
export class RateLimiter {
  readonly #history = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records a request; returns 0 when allowed, else the seconds to wait (≥ 1, whole). */
  check(key: string): number {
    if (this.limit <= 0) return 0;
    const now = this.clock();
    const history = (this.#history.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (history.length >= this.limit) {
      this.#history.set(key, history);
      const oldest = history[0]!;
      return Math.max(1, Math.ceil((this.windowMs - (now - oldest)) / 1000));
    }
    history.push(now);
    this.#history.set(key, history);
    if (this.#history.size > 10_000) this.#prune(now);
    return 0;
  }

  #prune(now: number): void {
    for (const [key, history] of this.#history) {
      if (!history.some((t) => t > now - this.windowMs)) this.#history.delete(key);
    }
  }
}

export function throttledBody(seconds: number): { detail: string } {
  return {
    detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  };
}
