import type { RemoteError } from './message.js';

/** A task failed; `remote` is the error as the worker saw it. */
export class TaskFailedError extends Error {
  override name = 'TaskFailedError';
  constructor(
    readonly taskId: string,
    readonly remote: RemoteError,
  ) {
    super(`task ${taskId} failed: ${remote.type}: ${remote.message}`);
  }
}

export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(
    readonly taskId: string,
    timeoutMs: number,
  ) {
    super(`task ${taskId} did not finish within ${timeoutMs} ms`);
  }
}

/** An argument or result too large to travel through the broker (claim check). */
export class ClaimCheckError extends Error {
  override name = 'ClaimCheckError';
}

/** The task ran past its time limit. */
export class TimeLimitExceeded extends Error {
  override name = 'TimeLimitExceeded';
}

/** No task of that name is registered in this process. */
export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
}

/**
 * Thrown (through ctx.retry()) to ask for the task to run again later. Errors with a
 * `retryAfterS` property (an HTTP 429's Retry-After, say) set the minimum delay of automatic
 * retries too.
 */
export class RetryRequest extends Error {
  override name = 'RetryRequest';
  constructor(
    readonly countdownS: number | undefined,
    readonly reason?: unknown,
  ) {
    super(reason instanceof Error ? reason.message : 'retry requested');
  }
}

export function toRemoteError(err: unknown): RemoteError {
  if (err instanceof Error) {
    return { type: err.name || 'Error', message: err.message, stack: err.stack };
  }
  return { type: 'Error', message: String(err) };
}
