/**
 * GCN Circular drafts (gwcelery-spec §4.5 step 4, §7.6): for early-warning, preliminary, initial
 * and retraction alerts, the text a human edits and submits, uploaded to the superevent as
 * `<type>-circular.txt` (or `<type>-emcoinc-circular.txt` for a RAVEN coincidence).
 */
import { defineTask } from '../engine/index.js';
import {
  type CircularType,
  composeCircular,
  type SkymapSummary,
} from '../formats/circular/index.js';
import { readSkyMap } from '../skymap/io.js';
import { summarize } from '../skymap/summary.js';
import { type AlertSpec, loadAlertContents } from './alert-contents.js';
import { gracedbFor } from './gracedb.js';

export const createCircular = defineTask(
  { name: 'circulars.create_circular' },
  async (ctx, spec: AlertSpec) => {
    const gracedb = gracedbFor(ctx.app.config);
    const { packet, skymap } = await loadAlertContents(gracedb, spec);
    const skymaps: SkymapSummary[] = [];
    if (skymap && spec.skymap) {
      const summary = summarize(
        readSkyMap(skymap, { source: `${spec.superevent} ${spec.skymap}` }),
      );
      const distance = summary.headerDistance ?? summary.columnDistance;
      skymaps.push({
        filename: spec.skymap,
        area90: summary.areas['90'],
        ...(distance ? { distanceMpc: distance } : {}),
      });
    }
    const draft = composeCircular({
      type: spec.alertType as CircularType,
      packet,
      skymaps,
      ...(spec.combinedSkymap ? { combinedSkymap: spec.combinedSkymap } : {}),
    });
    await gracedb.upload(draft.text, draft.filename, spec.superevent, draft.comment, draft.tags);
    return draft.filename;
  },
);
