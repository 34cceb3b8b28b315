import type { Broker } from './broker.js';
import { TaskFailedError, TaskTimeoutError } from './errors.js';
import { isFinal, type ResultRecord, type TaskState } from './message.js';

/** A handle on a sent task's eventual result. */
export class AsyncResult<R = unknown> {
  constructor(
    readonly id: string,
    private readonly broker: Broker,
  ) {}

  async record(): Promise<ResultRecord | undefined> {
    return this.broker.getResult(this.id);
  }

  /** PENDING until the task finishes (or while its result is unknown or expired). */
  async state(): Promise<TaskState> {
    return (await this.record())?.state ?? 'PENDING';
  }

  async ready(): Promise<boolean> {
    return isFinal(await this.state());
  }

  /**
   * Waits for the result. A failed task throws TaskFailedError (unless propagate is false, when
   * the error record is returned); waiting longer than timeoutMs throws TaskTimeoutError.
   */
  async get(timeoutMs = 60_000, options: { propagate?: boolean } = {}): Promise<R> {
    const record = await this.broker.waitForResult(this.id, timeoutMs);
    if (!record) throw new TaskTimeoutError(this.id, timeoutMs);
    if (record.state === 'SUCCESS') return record.result as R;
    if (options.propagate === false) return record.error as R;
    throw new TaskFailedError(
      this.id,
      record.error ?? { type: record.state, message: `task ${record.state}` },
    );
  }
}

/** The results of a group, in the order of its members. */
export class GroupResult<R = unknown> {
  constructor(readonly results: (AsyncResult<R> | GroupResult<R>)[]) {}

  get ids(): string[] {
    return this.results.flatMap((r) => (r instanceof GroupResult ? r.ids : [r.id]));
  }

  async get(timeoutMs = 60_000): Promise<R[]> {
    const deadline = Date.now() + timeoutMs;
    const values: R[] = [];
    for (const result of this.results) {
      values.push((await result.get(Math.max(0, deadline - Date.now()))) as R);
    }
    return values;
  }
}
