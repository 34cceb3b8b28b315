import type { App } from './app.js';
import type { QueueStats, WorkerInfo } from './broker.js';
import { QUEUE_NAMES } from './queue-names.js';

export interface WorkerView extends WorkerInfo {
  online: boolean;
}

export interface InspectReport {
  workers: WorkerView[];
  queues: Record<string, QueueStats>;
  scheduled: { id: string; task: string; queue: string; eta: number }[];
}

/** What `gwcelery inspect`, the console and the Nagios check show of a deployment. */
export async function inspect(app: App, scheduledLimit = 50): Promise<InspectReport> {
  const now = Date.now();
  const staleMs = app.config.worker_heartbeat_s * 1000 * 3;
  const [workers, queues, scheduled] = await Promise.all([
    app.broker.workers(),
    app.broker.queueStats(QUEUE_NAMES),
    app.broker.scheduled([], scheduledLimit),
  ]);
  return {
    workers: workers
      .map((w) => ({ ...w, online: !w.stoppedAt && now - w.lastHeartbeat < staleMs }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    queues,
    scheduled: scheduled.map((m) => ({ id: m.id, task: m.task, queue: m.queue, eta: m.eta ?? 0 })),
  };
}
