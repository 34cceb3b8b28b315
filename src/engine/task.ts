import { getCurrentApp, type TaskContext } from './context.js';
import type { SendOptions, TaskNode } from './message.js';
import type { AsyncResult } from './result.js';
import { NO_RETRY, type RetryPolicy } from './retry.js';

/** The queue every task without its own goes to (Celery's default, kept for operators). */
export const DEFAULT_QUEUE = 'celery';

export interface TaskOptions {
  /** Unique, dotted: `superevents.process`. */
  name: string;
  queue?: string;
  /** Default priority of this task's messages (0 first). */
  priority?: number;
  retry?: RetryPolicy;
  /** Hard limit in seconds; 0 or absent: the configured default. */
  timeLimitS?: number;
  /** Do not store the return value (the task still reports failure). */
  ignoreResult?: boolean;
}

export type TaskHandler<A extends unknown[], R> = (
  context: TaskContext,
  ...args: A
) => Promise<R> | R;

export class Task<A extends unknown[] = unknown[], R = unknown> {
  readonly name: string;
  readonly queue: string;
  readonly priority: number | undefined;
  readonly retry: RetryPolicy;
  readonly timeLimitS: number | undefined;
  readonly ignoreResult: boolean;

  constructor(
    options: TaskOptions,
    readonly handler: TaskHandler<A, R>,
  ) {
    this.name = options.name;
    this.queue = options.queue ?? DEFAULT_QUEUE;
    this.priority = options.priority;
    this.retry = options.retry ?? NO_RETRY;
    this.timeLimitS = options.timeLimitS;
    this.ignoreResult = options.ignoreResult ?? false;
  }

  /**
   * A signature. In a chain it receives the previous task's result as its first argument, so
   * its own arguments are the remaining ones.
   */
  s(...args: unknown[]): TaskNode {
    return this.signature(args, {}, false);
  }

  /** An immutable signature: never receives a parent's result. */
  si(...args: A): TaskNode {
    return this.signature(args, {}, true);
  }

  signature(
    args: unknown[],
    options: SendOptions & { kwargs?: Record<string, unknown> } = {},
    immutable = false,
  ): TaskNode {
    const { kwargs = {}, ...sendOptions } = options;
    return { kind: 'task', id: '', task: this.name, args, kwargs, options: sendOptions, immutable };
  }

  /** Sends the task now with these arguments. */
  delay(...args: A): Promise<AsyncResult<R>> {
    return this.applyAsync(args);
  }

  applyAsync(
    args: A,
    options: SendOptions & { kwargs?: Record<string, unknown> } = {},
  ): Promise<AsyncResult<R>> {
    return getCurrentApp().apply(this.signature(args, options, true)) as Promise<AsyncResult<R>>;
  }
}

const registry = new Map<string, Task<never[], unknown>>();

/** Defines and registers a task; every process that imports the module can run it. */
export function defineTask<A extends unknown[], R>(
  options: TaskOptions,
  handler: TaskHandler<A, R>,
): Task<A, R> {
  if (!/^[A-Za-z_][\w.-]*$/.test(options.name)) {
    throw new Error(`invalid task name '${options.name}'`);
  }
  if (registry.has(options.name)) {
    throw new Error(`task '${options.name}' is defined twice`);
  }
  const task = new Task(options, handler);
  registry.set(options.name, task as unknown as Task<never[], unknown>);
  return task;
}

export function getTask(name: string): Task<unknown[], unknown> | undefined {
  return registry.get(name) as Task<unknown[], unknown> | undefined;
}

export function registeredTasks(): Task<unknown[], unknown>[] {
  return [...registry.values()] as Task<unknown[], unknown>[];
}
