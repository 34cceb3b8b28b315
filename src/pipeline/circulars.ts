/**
 * GCN Circular drafts (gwcelery-spec §4.5 step 4, §7.6): for early-warning, preliminary, initial
 * and retraction alerts, the text a human edits and submits, uploaded to the superevent as
 * `<type>-circular.txt` (or `<type>-emcoinc-circular.txt` for a RAVEN coincidence); and the
 * update circular the console asks for.
 */
import { defineTask } from '../engine/index.js';
import {
  type CircularInput,
  type CircularType,
  composeCircular,
  type SkymapSummary,
  UPDATE_TOPICS,
  type UpdateTopic,
} from '../formats/circular/index.js';
import type { GraceDbClient } from '../gracedb/client.js';
import { readSkyMap } from '../skymap/io.js';
import { summarize } from '../skymap/summary.js';
import { type AlertSpec, loadAlertContents, type PacketSource } from './alert-contents.js';
import { gracedbFor } from './gracedb.js';
import { discoverAlertFiles } from './orchestrator/alert-files.js';
import { isRavenCoincidence } from './orchestrator/policy.js';

/** The circular of an alert whose files are named in `source`. */
async function draftFor(
  gracedb: GraceDbClient,
  source: PacketSource,
  extra: Partial<CircularInput> = {},
) {
  const { packet, skymap } = await loadAlertContents(gracedb, source);
  const skymaps: SkymapSummary[] = [];
  if (skymap && source.skymap) {
    const summary = summarize(
      readSkyMap(skymap, { source: `${source.superevent} ${source.skymap}` }),
    );
    const distance = summary.headerDistance ?? summary.columnDistance;
    skymaps.push({
      filename: source.skymap,
      area90: summary.areas['90'],
      ...(distance ? { distanceMpc: distance } : {}),
    });
  }
  return composeCircular({
    type: source.alertType as CircularType,
    packet,
    skymaps,
    ...(source.combinedSkymap ? { combinedSkymap: source.combinedSkymap } : {}),
    ...extra,
  });
}

/** The draft that accompanies an alert, uploaded to its superevent. */
export const createCircular = defineTask(
  { name: 'circulars.create_circular' },
  async (ctx, spec: AlertSpec) => {
    const gracedb = gracedbFor(ctx.app.config);
    const draft = await draftFor(gracedb, spec);
    await gracedb.upload(draft.text, draft.filename, spec.superevent, draft.comment, draft.tags);
    return draft.filename;
  },
);

/**
 * The console's "Create Update GCN Circular": the update circular of a superevent from its
 * newest public files, about the topics asked (kwargs `update_types`: sky_localization,
 * em_bright, p_astro, raven). Returns the text; nothing is uploaded.
 */
export const createUpdateCircular = defineTask(
  { name: 'circulars.create_update_circular' },
  async (ctx, sid: string, updateTypes?: string[]) => {
    const topics = updateTypes ?? ctx.kwargs.update_types ?? [];
    if (
      !Array.isArray(topics) ||
      topics.length === 0 ||
      !topics.every((t) => (UPDATE_TOPICS as readonly string[]).includes(t))
    ) {
      throw new TypeError(
        `update_types must name at least one of ${UPDATE_TOPICS.join(', ')}, got ${JSON.stringify(topics)}`,
      );
    }
    const gracedb = gracedbFor(ctx.app.config);
    const superevent = await gracedb.getSuperevent(sid);
    const preferred = superevent.preferred_event_data as { search?: string } | undefined;
    const files = discoverAlertFiles(await gracedb.getLog(sid), {
      ssm: (preferred?.search ?? '').toLowerCase() === 'ssm',
    });
    const draft = await draftFor(
      gracedb,
      {
        superevent: sid,
        alertType: 'update',
        skymap: files.skymap,
        emBright: files.emBright,
        pAstro: files.rapidPePAstro ?? files.pAstro,
        combinedSkymap: files.combinedSkymap,
        ravenCoinc: isRavenCoincidence(new Set(superevent.labels), superevent.em_type as string),
      },
      { updateTopics: topics as UpdateTopic[] },
    );
    return draft.text;
  },
);
