/**
 * em_bright (gwcelery-spec §4.1, §7.2): HasNS / HasRemnant / HasMassGap (HasSSM) of a new CBC or
 * cWB-BBH event from its template, uploaded as em_bright.json with EMBRIGHT_READY; and the bar
 * chart drawn whenever an em_bright.json reaches a superevent.
 */

import type { IgwnAlert } from '../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../bus/igwn-alert/registry.js';
import { defineTask } from '../engine/index.js';
import { emBrightForEvent, type GraceDbEventJson } from '../science/index.js';
import { reportBadInput } from './annotation-errors.js';
import { plotUploadedClassification, uploadedFile } from './classification-plot.js';
import { gracedbFor } from './gracedb.js';
import { LABELS } from './orchestrator/labels.js';

/** Computes em_bright for an event, uploads it and marks the event EMBRIGHT_READY. */
export const emBrightAnnotateEvent = defineTask(
  { name: 'em_bright.annotate_event', queue: 'em-bright' },
  async (ctx, graceid: string) => {
    const gracedb = gracedbFor(ctx.app.config);
    const event = await gracedb.getEvent(graceid);
    let result: ReturnType<typeof emBrightForEvent>;
    try {
      result = emBrightForEvent(event as GraceDbEventJson, ctx.app.config);
    } catch (err) {
      if (await reportBadInput(gracedb, graceid, 'em_bright', err, ctx.log)) return null;
      throw err;
    }
    ctx.log.info({ graceid, model: result.model.description }, 'em_bright computed');
    await gracedb.upload(result.json, result.filename, graceid, 'em bright complete', [
      'em_bright',
      'public',
    ]);
    await gracedb.createLabel(LABELS.EMBRIGHT_READY, graceid);
    return result.properties;
  },
);

/** em_bright.json uploaded to a superevent → em_bright.png beside it. */
export const emBrightHandle = defineTask(
  { name: 'em_bright.handle', queue: 'em-bright', ignoreResult: true },
  async (ctx, alert: IgwnAlert) => {
    const file = uploadedFile(alert);
    if (file?.filename !== 'em_bright.json') return;
    await plotUploadedClassification(ctx, alert, file, {
      what: 'em_bright plot',
      comment: 'Source properties visualization',
      tags: ['em_follow', 'em_bright', 'public'],
    });
  },
);

onIgwnAlert(['superevent', 'mdc_superevent'], 'em_bright.handle');
