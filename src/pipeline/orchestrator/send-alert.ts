/**
 * Sending one alert of a superevent (gwcelery-spec §4.5, the reference's
 * `earlywarning_preliminary_initial_update_alert` and `retraction_alert`): the files it is made
 * of, the RAVEN combined map, the RapidPE p_astro, HIGH_PROFILE, exposure, the VOEvent GraceDB
 * creates, then delivery (VOEvent → broadcaster, packet → Kafka), the circular draft and the
 * sent-marker label. Every alert has an identity (policy.alertId); the log line written when its
 * VOEvent was created lets a task that runs again resume that notice instead of making another.
 */

import type { TaskContext } from '../../engine/index.js';
import type { PipelineAlertType } from '../../formats/alert/types.js';
import type { EventJson, GraceDbClient, SupereventJson } from '../../gracedb/client.js';
import { parseProbabilityJson, renormaliseRapidPEPAstro } from '../../science/index.js';
import { credibleAreas } from '../../skymap/credible.js';
import { readSkyMap } from '../../skymap/io.js';
import type { AlertSpec } from '../alert-contents.js';
import { alertsSend, gcnSend } from '../alerts.js';
import { createCircular } from '../circulars.js';
import { gracedbFor } from '../gracedb.js';
import {
  combinedSkymapFilename,
  type DiscoveredFiles,
  discoverAlertFiles,
  RAPIDPE_P_ASTRO,
} from './alert-files.js';
import { alertMarkerComment, findAlertMarker, voeventSerial } from './alert-marker.js';
import { highProfileDecision } from './high-profile.js';
import { LABELS } from './labels.js';
import {
  hasCircularDraft,
  isRavenCoincidence,
  needsCombinedSkymap,
  sentMarkerLabel,
  supereventInjectionLog,
} from './policy.js';
import { memberEvents } from './superevent-cleanup.js';
import { voeventRequest } from './voevent-request.js';

export interface SendAlertRequest {
  superevent: string;
  alertType: PipelineAlertType;
  /** The alert's identity (policy.alertId). */
  alertId: string;
  /**
   * Versioned names of the alert's files on the superevent. Missing ones are looked up in the
   * superevent's log (initial and update alerts).
   */
  files?: { skymap?: string; emBright?: string; pAstro?: string };
}

export type SendAlertOutcome =
  | { sent: true; spec: AlertSpec; resumed: boolean }
  | { sent: false; reason: string };

async function probabilities(
  gracedb: GraceDbClient,
  sid: string,
  filename: string | undefined,
): Promise<Record<string, number> | undefined> {
  if (!filename) return undefined;
  return parseProbabilityJson(await gracedb.download(filename, sid), `${sid} ${filename}`);
}

/** Copies the combined GW × external map and its plot from the external event (§4.5 step 3). */
async function copyCombinedSkymap(
  gracedb: GraceDbClient,
  superevent: SupereventJson,
  externalId: string,
  gwSkymap: string,
): Promise<string> {
  const sid = superevent.superevent_id;
  const name = combinedSkymapFilename(gwSkymap);
  const tags = ['sky_loc', 'ext_coinc', 'public'];
  const copied = (await gracedb.upload(
    await gracedb.download(name, externalId),
    name,
    sid,
    `Combined GW-external sky map copied from ${externalId}`,
    tags,
  ))!;
  await gracedb.createLabel(LABELS.COMBINEDSKYMAP_READY, sid);
  try {
    await gracedb.upload(
      await gracedb.download('combined-ext.png', externalId),
      'combined-ext.png',
      sid,
      `Combined GW-external sky map plot copied from ${externalId}`,
      tags,
    );
  } catch {
    // The plot is a courtesy; the alert does not wait for it.
  }
  return copied;
}

/** The RapidPE p_astro with the pipeline's Terrestrial, uploaded when that changed it (§4.5 step 6). */
async function rapidPePAstro(
  gracedb: GraceDbClient,
  sid: string,
  rapidpe: string,
  pipeline: string | undefined,
): Promise<string> {
  if (!pipeline) return rapidpe;
  const [rapidText, pipelineText] = await Promise.all([
    gracedb.download(rapidpe, sid),
    gracedb.download(pipeline, sid),
  ]);
  const result = renormaliseRapidPEPAstro(rapidText, pipelineText, pipeline);
  if (!result.changed) return rapidpe;
  return (await gracedb.upload(
    result.json,
    RAPIDPE_P_ASTRO,
    sid,
    'RapidPE-RIFT Pastro results with Terrestrial probability taken from the pipeline',
    ['pe', 'p_astro', 'public'],
  ))!;
}

/** HIGH_PROFILE for a preliminary alert (§7.8); a failure here never holds the alert back. */
async function checkHighProfile(
  ctx: TaskContext,
  gracedb: GraceDbClient,
  superevent: SupereventJson,
  files: DiscoveredFiles,
): Promise<void> {
  try {
    const sid = superevent.superevent_id;
    const [events, pAstro, emBright, skymap] = await Promise.all([
      memberEvents(gracedb, superevent),
      probabilities(gracedb, sid, files.pAstro),
      probabilities(gracedb, sid, files.emBright),
      files.skymap ? gracedb.download(files.skymap, sid) : undefined,
    ]);
    const preferred = superevent.preferred_event_data as EventJson | undefined;
    const area90 = skymap
      ? credibleAreas(readSkyMap(skymap, { source: `${sid} ${files.skymap}` }), [0.9])[0]
      : undefined;
    const decision = highProfileDecision({
      supereventLabels: new Set(superevent.labels),
      events,
      preferredGroup: String(preferred?.group ?? ''),
      pAstro,
      emBright,
      area90,
    });
    ctx.log.info({ superevent: sid, ...decision }, 'HIGH_PROFILE check');
    if (decision.apply) {
      await gracedb.createLabel(LABELS.HIGH_PROFILE, sid);
      await gracedb.upload(null, null, sid, decision.reason);
    }
  } catch (err) {
    ctx.log.error(
      { superevent: superevent.superevent_id, err: (err as Error).message },
      'HIGH_PROFILE check failed',
    );
  }
}

/** Exposes the superevent and tags the alert's files public (§4.5 step 7). */
async function expose(
  ctx: TaskContext,
  gracedb: GraceDbClient,
  sid: string,
  files: (string | undefined)[],
): Promise<void> {
  await gracedb.exposeSuperevent(sid);
  const names = files.filter((f): f is string => Boolean(f));
  const skymap = names.find((f) => f.includes('.multiorder.fits'));
  const bilby = skymap?.includes('bilby') ? skymap.split('.multiorder.fits')[0] : undefined;
  for (const name of names) await gracedb.createTag(name, 'public', sid);
  if (bilby) {
    for (const suffix of ['.html', '.png', '.volume.png', '.fits.gz']) {
      try {
        await gracedb.createTag(`${bilby}${suffix}`, 'public', sid);
      } catch (err) {
        ctx.log.warn({ superevent: sid, err: (err as Error).message }, 'Bilby file not tagged');
      }
    }
  }
}

/**
 * Sends the alert: creates its notice (or finds the one already created for this alert) and
 * hands it to the delivery tasks. Returns what was sent, or why nothing was.
 */
export async function sendAlert(
  ctx: TaskContext,
  request: SendAlertRequest,
): Promise<SendAlertOutcome> {
  const gracedb = gracedbFor(ctx.app.config);
  const sid = request.superevent;
  const { alertType, alertId } = request;
  const superevent = await gracedb.getSuperevent(sid);
  const labels = new Set(superevent.labels);
  if (labels.has(LABELS.INJ)) {
    await gracedb.upload(null, null, sid, supereventInjectionLog(alertType));
    return { sent: false, reason: 'superevent-injection' };
  }
  const log = await gracedb.getLog(sid);
  const marker = findAlertMarker(log, alertId);

  const files: DiscoveredFiles = {};
  const ravenCoinc = isRavenCoincidence(labels, superevent.em_type as string | null | undefined);
  if (alertType !== 'retraction') {
    const preferred = superevent.preferred_event_data as EventJson | undefined;
    const discovered = discoverAlertFiles(log, {
      ssm: String(preferred?.search ?? '').toLowerCase() === 'ssm',
    });
    files.skymap = request.files?.skymap ?? discovered.skymap;
    files.emBright = request.files?.emBright ?? discovered.emBright;
    files.pAstro = request.files?.pAstro ?? discovered.pAstro;
    files.combinedSkymap = discovered.combinedSkymap;
    if (!marker) {
      if (ravenCoinc && files.skymap) {
        const externalId = superevent.em_type as string;
        const external = await gracedb.getEvent(externalId);
        if (needsCombinedSkymap(new Set(external.labels))) {
          files.combinedSkymap = await copyCombinedSkymap(
            gracedb,
            superevent,
            externalId,
            files.skymap,
          );
        }
      }
      if (discovered.rapidPePAstro) {
        files.pAstro = await rapidPePAstro(gracedb, sid, discovered.rapidPePAstro, files.pAstro);
      }
      if (alertType === 'preliminary') await checkHighProfile(ctx, gracedb, superevent, files);
    } else if (discovered.rapidPePAstro) {
      files.pAstro = discovered.rapidPePAstro;
    }
  }
  if ((alertType === 'initial' || alertType === 'update') && !files.skymap) {
    const line = `Not sending an ${alertType} alert: the superevent has no public multi-order sky map`;
    await gracedb.upload(null, null, sid, line);
    return { sent: false, reason: 'no-skymap' };
  }
  if (!marker) {
    await expose(ctx, gracedb, sid, [
      files.skymap,
      files.emBright,
      files.pAstro,
      files.combinedSkymap,
    ]);
  }

  let voevent: string;
  if (marker) {
    voevent = marker.voevent;
    ctx.log.info({ superevent: sid, alert: alertId, voevent }, 'resuming an alert already created');
  } else {
    const [emBright, pAstro] = await Promise.all([
      probabilities(gracedb, sid, files.emBright),
      probabilities(gracedb, sid, files.pAstro),
    ]);
    const request = voeventRequest({
      alertType,
      skymapFilename: files.skymap,
      emBright,
      pAstro,
      ravenCoinc,
      combinedSkymapFilename: files.combinedSkymap,
    });
    voevent = await gracedb.createVoevent(sid, request.voeventType, request.fields);
    await gracedb.upload(null, null, sid, alertMarkerComment(alertId, voevent), ['em_follow']);
  }

  const spec: AlertSpec = {
    superevent: sid,
    alertType,
    serial: voeventSerial(voevent),
    voevent,
    alertId,
    ravenCoinc,
    ...(files.skymap ? { skymap: files.skymap } : {}),
    ...(files.emBright ? { emBright: files.emBright } : {}),
    ...(files.pAstro ? { pAstro: files.pAstro } : {}),
    ...(files.combinedSkymap ? { combinedSkymap: files.combinedSkymap } : {}),
  };
  // Deterministic ids: a task that runs again re-sends the same messages, which the broker
  // drops while the first ones are pending, and the ledger answers once they are done.
  const id = `${sid}.${alertId}`;
  await gcnSend.applyAsync([spec], { taskId: `${id}.gcn.send` });
  await alertsSend.applyAsync([spec], { taskId: `${id}.alerts.send` });
  const circularWritten =
    marker !== undefined &&
    log
      .slice(marker.index + 1)
      .some((e) => new RegExp(`^${alertType}-(emcoinc-)?circular\\.txt$`).test(e.filename ?? ''));
  if (hasCircularDraft(alertType) && !circularWritten) {
    await createCircular.applyAsync([spec], { taskId: `${id}.circular` });
  }
  const sentMarker = sentMarkerLabel(alertType, labels);
  if (sentMarker) await gracedb.createLabel(sentMarker, sid);
  ctx.log.info(
    { superevent: sid, alert: alertId, voevent, resumed: Boolean(marker) },
    'alert sent',
  );
  return { sent: true, spec, resumed: Boolean(marker) };
}
