/**
 * A GraceDB operation that failed for good (after retries, or with an answer that is not
 * retryable). The message names the operation and the object, so that a log line says what
 * went wrong where: `create_label ADVOK on S230101a failed: HTTP 500 ...`.
 */
export class GraceDbError extends Error {
  override name = 'GraceDbError';

  constructor(
    /** gwcelery's name of the operation, e.g. `create_label`. */
    readonly operation: string,
    /** What it was applied to, e.g. `ADVOK on S230101a`. */
    readonly subject: string,
    readonly detail: string,
    /** HTTP status of the last answer, when there was one. */
    readonly status?: number,
    /** Body of the last answer (text), when there was one. */
    readonly body?: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation}${subject ? ` ${subject}` : ''} failed: ${detail}`, options);
  }
}
