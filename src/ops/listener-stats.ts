import type { IgwnAlertListener } from '../bus/igwn-alert/listener.js';
import type { Worker } from '../engine/index.js';
import { STATS_KEYS } from '../engine/stats-keys.js';
import { getLogger } from '../log/index.js';

const log = getLogger('ops.listener-stats');

/**
 * Keeps a worker's stats current with the IGWN Alert listener it runs: the topics the broker
 * has (`igwn-alert-topics`, Nagios check 4) and the health snapshot (`igwn-alert-health`:
 * heartbeat age, lag, outages; the console, /metrics and the heartbeat check). What a worker
 * started with `--igwn-alert` calls next to `listener.start()`; returns the function that stops
 * the updates.
 */
export function reportListenerStats(
  worker: Pick<Worker, 'setStat'>,
  listener: Pick<IgwnAlertListener, 'visibleTopics' | 'health'>,
  intervalMs: number,
): () => void {
  let updating = false;
  const update = async (): Promise<void> => {
    if (updating) return;
    updating = true;
    try {
      worker.setStat(STATS_KEYS.igwnAlertHealth, listener.health());
      // While the broker is unreachable the last known topics stay: the health says why.
      worker.setStat(STATS_KEYS.igwnAlertTopics, await listener.visibleTopics());
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'cannot list IGWN Alert topics');
    } finally {
      updating = false;
    }
  };
  void update();
  const timer = setInterval(() => void update(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
