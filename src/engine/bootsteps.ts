import type { Config } from '../config/index.js';
import type { App } from './app.js';
import type { Worker } from './worker.js';

/**
 * Something a worker runs beside its tasks when started with a flag, as Celery's bootsteps:
 * the IGWN Alert listener (--igwn-alert), the VOEvent broadcaster, the Kafka producers.
 */
export interface WorkerBootstep {
  /** Also the worker flag that enables it: `--<name>`. */
  name: string;
  /** Starts; returns the function that stops it (called before the worker stops). */
  start(context: { app: App; worker: Worker; config: Config }): Promise<() => Promise<void>>;
}

const bootsteps = new Map<string, WorkerBootstep>();

export function registerBootstep(step: WorkerBootstep): void {
  if (bootsteps.has(step.name)) throw new Error(`bootstep '${step.name}' is registered twice`);
  bootsteps.set(step.name, step);
}

export function getBootstep(name: string): WorkerBootstep | undefined {
  return bootsteps.get(name);
}
