/**
 * How the listener hands work to the task engine: one task per (message, handler). The engine
 * implements it; the listener depends on nothing else of the engine.
 */
export interface TaskDispatcher {
  /**
   * Queues task `taskName` with `args`. `taskId` is deterministic per (change, handler): an
   * engine that already knows the id must accept the call without queuing the task again.
   * Rejects when the task could not be queued (the listener retries after a back-off), or with
   * PermanentDispatchError when retrying cannot help (the message is logged and skipped).
   */
  send(taskName: string, args: unknown[], options: DispatchOptions): Promise<void>;
}

export interface DispatchOptions {
  taskId: string;
  priority?: number;
}

/** A dispatch that will never succeed (unknown task, argument too large): skip, don't retry. */
export class PermanentDispatchError extends Error {
  override name = 'PermanentDispatchError';
}
