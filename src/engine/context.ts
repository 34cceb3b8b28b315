import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../log/index.js';
import type { App } from './app.js';

/** What a running task knows about itself. */
export interface TaskContext {
  id: string;
  name: string;
  queue: string;
  priority: number;
  retries: number;
  rootId: string;
  parentId?: string;
  kwargs: Record<string, unknown>;
  worker: string;
  /** Aborted when the task runs past its time limit or the worker is forced to stop. */
  signal: AbortSignal;
  app: App;
  log: Logger;
  /** Ends this attempt and asks to run again later (within the task's retry budget). */
  retry(options?: { countdownS?: number; reason?: unknown }): never;
}

const storage = new AsyncLocalStorage<TaskContext>();

export function runInTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The task whose code is running now, if any (children inherit its priority and root). */
export function currentTask(): TaskContext | undefined {
  return storage.getStore();
}

let current: App | undefined;

/** The application tasks send through when called as `task.delay(...)`. */
export function setCurrentApp(app: App | undefined): void {
  current = app;
}

export function clearCurrentApp(app: App): void {
  if (current === app) current = undefined;
}

export function getCurrentApp(): App {
  const task = storage.getStore();
  if (task) return task.app;
  if (!current) {
    throw new Error('no gwcelery application is running in this process (call createApp() first)');
  }
  return current;
}
