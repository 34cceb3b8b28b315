import type { Bus } from '../bus/bus.js';
import { createIgwnAlertListener } from '../bus/igwn-alert/create-listener.js';
import { PermanentDispatchError, type TaskDispatcher } from '../bus/igwn-alert/dispatcher.js';
import type { ListenerHealth } from '../bus/igwn-alert/health.js';
import type { Config } from '../config/index.js';
import { registerBootstep } from '../engine/bootsteps.js';
import { type App, ClaimCheckError } from '../engine/index.js';
import { STATS_KEYS } from '../engine/stats-keys.js';
import type { Worker } from '../engine/worker.js';
import { gracedbFor } from './gracedb.js';
import { GraceDbChangesFromClient } from './gracedb-changes.js';

/** The engine as the listener sees it: one task per (message, handler), ids deduplicated. */
export function engineDispatcher(app: App): TaskDispatcher {
  return {
    async send(taskName, args, options) {
      try {
        await app.sendTask(taskName, args, { taskId: options.taskId, priority: options.priority });
      } catch (err) {
        if (err instanceof ClaimCheckError) throw new PermanentDispatchError(err.message);
        throw err;
      }
    },
  };
}

/**
 * Starts the IGWN Alert listener inside a worker and keeps the worker's inspect stats current.
 * `pipelineBus` is the bus the embedded GraceDB publishes on, when both run in one process.
 */
export interface RunningListener {
  health(): ListenerHealth;
  stop(): Promise<void>;
}

export async function startIgwnAlertListener(
  app: App,
  worker: Worker | undefined,
  config: Config,
  pipelineBus?: Bus,
): Promise<RunningListener> {
  const gracedb = gracedbFor(config);
  const running = createIgwnAlertListener(config, {
    dispatcher: engineDispatcher(app),
    gracedbUrl: gracedb.url,
    changes: new GraceDbChangesFromClient(gracedb),
    pipelineBus,
  });
  await running.listener.start();
  const report = async (): Promise<void> => {
    // Health first: listing topics waits on the broker, which is exactly what hangs in an outage.
    worker?.setStat(STATS_KEYS.igwnAlertHealth, running.listener.health());
    worker?.setStat(
      STATS_KEYS.igwnAlertTopics,
      await running.listener.visibleTopics().catch(() => []),
    );
  };
  await report();
  const timer = setInterval(() => void report(), config.worker_heartbeat_s * 1000);
  timer.unref();
  return {
    health: () => running.listener.health(),
    async stop() {
      clearInterval(timer);
      await running.close();
    },
  };
}

registerBootstep({
  name: 'igwn-alert',
  start: async ({ app, worker, config }) => {
    const running = await startIgwnAlertListener(app, worker, config);
    return () => running.stop();
  },
});
