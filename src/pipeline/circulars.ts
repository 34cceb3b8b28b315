/**
 * GCN Circular drafts (gwcelery-spec §4.5 step 4, §7.6): for early-warning, preliminary, initial
 * and retraction alerts, the text a human edits and submits, uploaded to the superevent as
 * `<type>-circular.txt` (or `<type>-emcoinc-circular.txt` for a RAVEN coincidence); and the
 * update circular and the medium-latency GRB circular the console asks for.
 */
import { defineTask } from '../engine/index.js';
import { gracedbWebBase } from '../formats/alert/source.js';
import {
  CircularError,
  type CircularInput,
  type CircularType,
  composeCircular,
  composeGrbMediumLatency,
  MEDIUM_LATENCY_FILES,
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

/**
 * The console's "Create Medium Latency GRB Circular": what the targeted searches (X-pipeline,
 * PyGRB) uploaded to an external GRB event, as a circular draft. Returns the text; nothing is
 * uploaded.
 */
export const createMediumLatencyCircular = defineTask(
  { name: 'circulars.create_medium_latency_circular' },
  async (ctx, graceid: string) => {
    const gracedb = gracedbFor(ctx.app.config);
    const event = await gracedb.getEvent(graceid);
    if (event.search !== 'GRB') {
      throw new CircularError(
        `${graceid}: a medium-latency circular is written for GRB external events, not search ${event.search}`,
      );
    }
    if (event.gpstime === null) throw new CircularError(`${graceid}: the event has no gpstime`);
    const gpsTime = event.gpstime;
    const files = new Set(Object.keys(await gracedb.getSupereventFileList(graceid)));
    const json = async (name: string): Promise<Record<string, unknown> | undefined> => {
      if (!files.has(name)) return undefined;
      const raw = (await gracedb.download(name, graceid)).toString('utf8');
      try {
        return JSON.parse(raw) as Record<string, unknown>;
      } catch (err) {
        throw new CircularError(`${graceid}: ${name} is not JSON: ${(err as Error).message}`);
      }
    };
    const number = (doc: Record<string, unknown> | undefined, key: string) =>
      typeof doc?.[key] === 'number' ? (doc[key] as number) : undefined;
    const xFap = await json(MEDIUM_LATENCY_FILES.xpipelineFap);
    const pygrbFap = await json(MEDIUM_LATENCY_FILES.pygrbFap);
    const xDistances = await json(MEDIUM_LATENCY_FILES.xpipelineDistances);
    const pygrbDistances = await json(MEDIUM_LATENCY_FILES.pygrbDistances);
    const grb = (event.extra_attributes as { GRB?: { trigger_id?: string | null } } | undefined)
      ?.GRB;
    const where = `${graceid} links.self`;
    const draft = composeGrbMediumLatency({
      graceid,
      eventUrl: `${gracedbWebBase(String((event.links as { self?: string } | undefined)?.self ?? ''), where)}events/${graceid}/view/`,
      observatory: event.pipeline,
      triggerId: grb?.trigger_id ?? null,
      gpsTime,
      ...(xFap
        ? {
            xpipeline: {
              fap: number(xFap, 'Online Xpipeline') ?? Number.NaN,
              burstExclusionMpc: number(xDistances, 'Burst Exclusion'),
            },
          }
        : {}),
      ...(pygrbFap
        ? {
            pygrb: {
              fap: number(pygrbFap, 'Online PyGRB') ?? Number.NaN,
              nsnsExclusionMpc: number(pygrbDistances, 'NSNS Exclusion'),
              nsbhExclusionMpc: number(pygrbDistances, 'NSBH Exclusion'),
            },
          }
        : {}),
    });
    ctx.log.info(
      { event: graceid, detections: draft.detections, exclusions: draft.exclusions },
      'medium-latency GRB circular drafted',
    );
    return draft.text;
  },
);
