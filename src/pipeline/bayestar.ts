/**
 * BAYESTAR as a task (gwcelery-spec §4.1, §7.4; queue openmp): the event's coinc.xml (with its
 * PSDs and SNR series) from GraceDB → src/skymap/bayestar → `bayestar.multiorder.fits` on the
 * event, then SKYMAP_READY. With detectors disabled (the console's "Sky Map with Disabled
 * Detectors") the map is `bayestar.no-<IFOS>.multiorder.fits`, annotated, without the label.
 */
import { availableParallelism } from 'node:os';
import type { Config } from '../config/index.js';
import { defineTask } from '../engine/index.js';
import { getLogger } from '../log/index.js';
import { bayestarFits } from '../skymap/bayestar/fits-output.js';
import { coincEventFromLigoLw } from '../skymap/bayestar/ligolw-event.js';
import type { LocalizationEngine } from '../skymap/bayestar/localization-engine.js';
import { localize } from '../skymap/bayestar/localize.js';
import { WorkerPool } from '../skymap/bayestar/worker-pool.js';
import { gracedbFor } from './gracedb.js';
import { LABELS } from './orchestrator/labels.js';
import { annotateFits } from './skymaps.js';

const log = getLogger('pipeline.bayestar');

let pool: Promise<WorkerPool> | undefined;

/**
 * The worker threads of this process (started on first use). Even with one thread the work runs
 * off the event loop: a localization takes seconds, and a blocked loop cannot renew the broker's
 * task lock (the task would be delivered again), send heartbeats, or serve the embedded GraceDB.
 */
function engineFor(config: Pick<Config, 'bayestar_threads'>): Promise<LocalizationEngine> {
  const threads = config.bayestar_threads || availableParallelism();
  if (!pool) {
    pool = WorkerPool.start(threads);
    pool.catch(() => {
      pool = undefined;
    });
  }
  return pool;
}

/** Stops this process's BAYESTAR threads (end of a process or a test). */
export async function closeBayestarPool(): Promise<void> {
  const running = pool;
  pool = undefined;
  if (running) await (await running).close();
}

/** Keyword arguments of the console's "Sky Map with Disabled Detectors" (docs/console.md). */
interface LocalizeKwargs {
  disabled_detectors?: string[];
  filename?: string;
  tags?: string[];
  annotate?: boolean;
}

/**
 * BAYESTAR for an event. Without keyword arguments: the candidate's sky map and SKYMAP_READY.
 * With `disabled_detectors` (and `filename`, `tags`, `annotate`): the console's variant, no label.
 */
export const bayestarLocalize = defineTask(
  { name: 'bayestar.localize', queue: 'openmp' },
  async (ctx, graceid: string) => {
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    const kwargs = ctx.kwargs as LocalizeKwargs;
    const requested = kwargs.disabled_detectors ?? [];
    const variant = requested.length > 0;
    const disabled = variant ? requested : config.bayestar_disabled_detectors;
    const coincBytes = await gracedb.download('coinc.xml', graceid);
    let coinc: ReturnType<typeof coincEventFromLigoLw>;
    try {
      coinc = coincEventFromLigoLw(coincBytes, { fileName: `${graceid} coinc.xml`, id: graceid });
    } catch (err) {
      ctx.log.warn({ graceid, err: (err as Error).message }, 'BAYESTAR cannot read coinc.xml');
      await gracedb.upload(null, null, graceid, `BAYESTAR failed: ${(err as Error).message}`);
      return null;
    }
    if (coinc.triggers.every((t) => disabled.includes(t.detector))) {
      // As the reference: with every detector disabled there is nothing to do, and no error.
      log.info({ graceid, disabled }, 'every detector with a trigger is disabled: no sky map');
      return null;
    }
    const map = await localize(coinc, {
      engine: await engineFor(config),
      fLow: config.bayestar_f_low,
      rescale: config.bayestar_rescale_loglikelihood,
      disabledDetectors: disabled,
    });
    const fits = bayestarFits(map, {
      url: `${gracedb.url.replace(/api\/$/, '')}events/${graceid}`,
      objectId: graceid,
    });
    const name =
      kwargs.filename ??
      (variant
        ? `bayestar.no-${[...requested].sort().join('')}.multiorder.fits`
        : 'bayestar.multiorder.fits');
    const tags = kwargs.tags ?? ['sky_loc', 'public'];
    const stored = (await gracedb.upload(fits, name, graceid, 'sky localization complete', tags))!;
    ctx.log.info({ graceid, runtime: map.meta.runtime, file: stored }, 'BAYESTAR sky map');
    if (variant) {
      if (kwargs.annotate) await annotateFits.applyAsync([stored, graceid, tags]);
    } else {
      await gracedb.createLabel(LABELS.SKYMAP_READY, graceid);
    }
    return stored;
  },
);
