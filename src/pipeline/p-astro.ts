/**
 * p_astro (gwcelery-spec §4.1, §7.1): the fallback computation for the pipelines that do not
 * upload their own (spiir and pycbc early warning, gstlal MDC), uploaded as
 * `<pipeline>.p_astro.json` with PASTRO_READY; and the bar chart of every pipeline's p_astro
 * file that reaches a superevent.
 */

import type { IgwnAlert } from '../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../bus/igwn-alert/registry.js';
import { defineTask } from '../engine/index.js';
import { type GraceDbEventJson, PLOTTED_P_ASTRO_FILES, pAstroForEvent } from '../science/index.js';
import { reportBadInput } from './annotation-errors.js';
import { plotUploadedClassification, uploadedFile } from './classification-plot.js';
import { gracedbFor } from './gracedb.js';
import { LABELS } from './orchestrator/labels.js';

/** Computes p_astro for an event, uploads it and marks the event PASTRO_READY. */
export const pAstroAnnotateEvent = defineTask(
  { name: 'p_astro.annotate_event' },
  async (ctx, graceid: string) => {
    const gracedb = gracedbFor(ctx.app.config);
    const event = await gracedb.getEvent(graceid);
    let result: ReturnType<typeof pAstroForEvent>;
    try {
      result = pAstroForEvent(event as GraceDbEventJson, ctx.app.config);
    } catch (err) {
      if (await reportBadInput(gracedb, graceid, 'p_astro', err, ctx.log)) return null;
      throw err;
    }
    await gracedb.upload(result.json, result.filename, graceid, 'p_astro computation complete', [
      'p_astro',
      'public',
    ]);
    await gracedb.createLabel(LABELS.PASTRO_READY, graceid);
    return result.values;
  },
);

/** `<pipeline>.p_astro.json` uploaded to a superevent → `<pipeline>.p_astro.png` beside it. */
export const pAstroHandle = defineTask(
  { name: 'p_astro.handle', ignoreResult: true },
  async (ctx, alert: IgwnAlert) => {
    const file = uploadedFile(alert);
    if (!file || !PLOTTED_P_ASTRO_FILES.includes(file.filename)) return;
    await plotUploadedClassification(ctx, alert, file, {
      what: 'p_astro plot',
      comment: 'Source classification visualization',
      tags: ['em_follow', 'p_astro', 'public'],
    });
  },
);

onIgwnAlert(['superevent', 'mdc_superevent'], 'p_astro.handle');
