/**
 * A destination's own queue: its sends run one at a time, in order, and nothing outside it waits
 * on them. A destination that hangs only grows its own queue.
 */
export class Bulkhead {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  get queued(): number {
    return this.waiting;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    return result;
  }
}
