import { RetryRequest } from './errors.js';

/** Which failures a task retries, and how long it waits between attempts. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables automatic retries. */
  maxRetries: number;
  /** First delay in seconds; doubles at each retry. */
  backoffS: number;
  /** Longest delay in seconds. */
  backoffMaxS?: number;
  /** Spread delays randomly over [delay/2, delay] so that retry storms do not synchronise. */
  jitter?: boolean;
  /** Errors to retry automatically (default: none; a task can always call ctx.retry()). */
  on?: (err: unknown) => boolean;
}

export const NO_RETRY: RetryPolicy = { maxRetries: 0, backoffS: 1 };

/** Seconds the error itself asks to wait (e.g. an HTTP 429's Retry-After). */
function requestedDelayS(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'retryAfterS' in err) {
    const value = (err as { retryAfterS: unknown }).retryAfterS;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

export function backoffDelayS(policy: RetryPolicy, retries: number, random = Math.random): number {
  let delay = policy.backoffS * 2 ** retries;
  if (policy.backoffMaxS !== undefined) delay = Math.min(delay, policy.backoffMaxS);
  if (policy.jitter) delay = delay / 2 + (random() * delay) / 2;
  return delay;
}

/**
 * The delay before the next attempt in ms, or undefined when the failure is final: the retry
 * budget is spent, or the error is not one the policy retries.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  err: unknown,
  retriesSoFar: number,
): number | undefined {
  if (retriesSoFar >= policy.maxRetries) return undefined;
  if (err instanceof RetryRequest) {
    const delay = err.countdownS ?? backoffDelayS(policy, retriesSoFar);
    return Math.round(Math.max(delay, requestedDelayS(err.reason) ?? 0) * 1000);
  }
  if (!policy.on?.(err)) return undefined;
  const delay = Math.max(backoffDelayS(policy, retriesSoFar), requestedDelayS(err) ?? 0);
  return Math.round(delay * 1000);
}
