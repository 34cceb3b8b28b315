import type { Config } from '../config/index.js';
import { getBootstep } from '../engine/bootsteps.js';
import type { App, Worker } from '../engine/index.js';

/**
 * Subsystems that run in the worker serving a queue, as the reference's bootsteps do: the
 * VOEvent broadcaster and receiver in the voevent worker, the Kafka producers in the kafka
 * worker. Started with the worker so that GCN is connected before the first notice.
 */
const BOOTSTEP_OF_QUEUE: Record<string, string> = { voevent: 'voevent', kafka: 'kafka' };

/** Starts the bootsteps of the queues this worker serves; returns their stop functions. */
export async function startQueueBootsteps(
  app: App,
  worker: Worker,
  config: Config,
): Promise<(() => Promise<void>)[]> {
  const stops: (() => Promise<void>)[] = [];
  for (const queue of worker.options.queues) {
    const name = BOOTSTEP_OF_QUEUE[queue];
    const step = name ? getBootstep(name) : undefined;
    if (step) stops.push(await step.start({ app, worker, config }));
  }
  return stops;
}
