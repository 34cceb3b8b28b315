/**
 * One automated alert attempt (gwcelery-spec §4.4, the reference's
 * `earlywarning_preliminary_alert`): copy the preferred event's sky map, em_bright and p_astro
 * to the superevent with their READY labels and annotate the copied map — always — then decide
 * with the policy whether the notice goes out, and send it.
 */
import type { TaskContext } from '../../engine/index.js';
import type { EventJson, GraceDbClient } from '../../gracedb/client.js';
import { GraceDbError } from '../../gracedb/errors.js';
import { gracedbFor } from '../gracedb.js';
import { annotateFits } from '../skymaps.js';
import { type CandidateEvent, shouldPublish } from '../superevents/rules.js';
import { type AlertFilenames, alertFilenames } from './alert-files.js';
import { applyLabelLater } from './apply-label.js';
import { LABELS } from './labels.js';
import { type AutomaticAlertType, automaticAlertDecision } from './policy.js';
import { type SendAlertOutcome, sendAlert } from './send-alert.js';

export interface AlertStepRequest {
  superevent: string;
  /** The preferred event, with its labels as the preceding DQ check left them. */
  event: EventJson;
  alertType: AutomaticAlertType;
  alertId: string;
  /** False: copy and annotate only (the manual change of preferred event). */
  initiateVoevent?: boolean;
}

const COPIES: {
  key: keyof AlertFilenames;
  comment: string;
  tags: string[];
  label: string;
}[] = [
  {
    key: 'skymap',
    comment: 'Localization copied from',
    tags: ['sky_loc', 'public'],
    label: LABELS.SKYMAP_READY,
  },
  {
    key: 'emBright',
    comment: 'Source properties copied from',
    tags: ['em_bright', 'public'],
    label: LABELS.EMBRIGHT_READY,
  },
  {
    key: 'pAstro',
    comment: 'Source classification copied from',
    tags: ['p_astro', 'public'],
    label: LABELS.PASTRO_READY,
  },
];

/** Copies the preferred event's files to the superevent; returns their versioned names there. */
export async function copyEventFiles(
  gracedb: GraceDbClient,
  event: EventJson,
  sid: string,
): Promise<Partial<AlertFilenames>> {
  const names = alertFilenames(event);
  const copied: Partial<AlertFilenames> = {};
  await Promise.all(
    COPIES.map(async ({ key, comment, tags, label }) => {
      const name = names[key];
      if (!name) return;
      let bytes: Buffer;
      try {
        bytes = await gracedb.download(name, event.graceid);
      } catch (err) {
        if (err instanceof GraceDbError && err.status === 404) {
          throw new Error(`the preferred event ${event.graceid} of ${sid} has no ${name} to copy`);
        }
        throw err;
      }
      copied[key] = (await gracedb.upload(bytes, name, sid, `${comment} ${event.graceid}`, tags))!;
      await gracedb.createLabel(label, sid);
    }),
  );
  return copied;
}

export type AlertStepOutcome =
  | SendAlertOutcome
  | { sent: false; reason: string; files: Partial<AlertFilenames> };

export async function alertStep(
  ctx: TaskContext,
  request: AlertStepRequest,
): Promise<AlertStepOutcome> {
  const gracedb = gracedbFor(ctx.app.config);
  const sid = request.superevent;
  const files = await copyEventFiles(gracedb, request.event, sid);
  try {
    return await decideAndSend(ctx, request, files);
  } finally {
    // After the notice: the plot is CPU work that must not delay it where everything shares
    // one process (gwcelery start).
    if (files.skymap) {
      await annotateFits.applyAsync([files.skymap, sid, ['sky_loc', 'public']], {
        taskId: `${ctx.id}.annotate`,
      });
    }
  }
}

async function decideAndSend(
  ctx: TaskContext,
  request: AlertStepRequest,
  files: Partial<AlertFilenames>,
): Promise<AlertStepOutcome> {
  const config = ctx.app.config;
  const gracedb = gracedbFor(config);
  const { superevent: sid, event, alertType, alertId } = request;
  const candidate = event as EventJson & CandidateEvent;
  const decision = automaticAlertDecision({
    alertType,
    candidate: {
      graceid: event.graceid,
      search: event.search,
      far: event.far,
      labels: new Set(event.labels),
      publishable: {
        significant: shouldPublish(candidate, { significant: true, config }),
        lessSignificant: shouldPublish(candidate, { significant: false, config }),
      },
    },
    // Fetched now: a human may have vetted the candidate while the files were copied.
    supereventLabels: await gracedb.getLabels(sid),
    initiateVoevent: request.initiateVoevent ?? true,
    onlyAlertForMdc: config.only_alert_for_mdc,
  });
  if (decision.scheduleDqrRequest) {
    await applyLabelLater(LABELS.DQR_REQUEST, sid, config.early_warning_dqr_request_delay_s);
  }
  if (!decision.send) {
    if (decision.log) await gracedb.upload(null, null, sid, decision.log);
    ctx.log.info({ superevent: sid, alert: alertId, reason: decision.reason }, 'no notice');
    return { sent: false, reason: decision.reason, files };
  }
  return sendAlert(ctx, { superevent: sid, alertType, alertId, files });
}
