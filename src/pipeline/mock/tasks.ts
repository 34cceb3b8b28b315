/**
 * The mock-event tasks under the reference's names (gwcelery-spec §2.5, §8.3): beat sends them
 * periodically, the console's "Issue Mock Event" form and `gwcelery mock upload` on demand.
 */
import type { IgwnAlert } from '../../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../../bus/igwn-alert/registry.js';
import { defineTask, registerPeriodic } from '../../engine/index.js';
import { gracedbFor } from '../gracedb.js';
import { GRB_MISSIONS, type GrbMission } from './grb-notice.js';
import { type GrbEventResult, isJointMdc, uploadJointMdcEvents } from './joint-mdc.js';
import { freshSeed, seededRandom } from './random.js';
import { type MockEventResult, uploadMockEvent } from './upload-mock-event.js';
import { type SnewsEventResult, uploadSnewsMdcEvent } from './upload-snews-event.js';

/** Keyword arguments `first2years.upload_event` accepts (the reference takes none). */
export interface UploadEventKwargs {
  /** Uploads in all, overriding mock_events_simulate_multiple_uploads. */
  uploads?: number;
}

export const uploadEventTask = defineTask<[], MockEventResult>(
  { name: 'first2years.upload_event', timeLimitS: 600 },
  (ctx) => {
    const config = ctx.app.config;
    const { uploads } = ctx.kwargs as UploadEventKwargs;
    return uploadMockEvent(config, gracedbFor(config), {
      uploads: uploads ?? config.mock_events_simulate_multiple_uploads,
      spreadS: config.mock_events_upload_spread_s,
      random: seededRandom(freshSeed()),
      log: ctx.log,
    });
  },
);

export const uploadSnewsEventTask = defineTask<[], SnewsEventResult>(
  { name: 'first2years_external.upload_snews_event', timeLimitS: 120 },
  async (ctx) => {
    const result = await uploadSnewsMdcEvent(gracedbFor(ctx.app.config));
    ctx.log.info({ ...result }, 'mock SNEWS event uploaded');
    return result;
  },
);

/** Keyword arguments of `first2years_external.upload_joint_grb` (the console's joint form). */
export interface JointGrbKwargs {
  pipeline?: string;
  ext_search?: string;
}

/**
 * One mock GRB beside a mock event: the console's "Issue Mock Joint Event" chains it after
 * first2years.upload_event, whose result (the event's time) it receives.
 */
export const uploadJointGrbTask = defineTask<[{ gpstime?: unknown } | undefined], GrbEventResult>(
  { name: 'first2years_external.upload_joint_grb', timeLimitS: 120 },
  async (ctx, mockEvent) => {
    const { pipeline = 'Fermi', ext_search: search = 'MDC' } = ctx.kwargs as JointGrbKwargs;
    if (!(GRB_MISSIONS as readonly string[]).includes(pipeline)) {
      throw new Error(
        `upload_joint_grb: pipeline must be one of ${GRB_MISSIONS.join(', ')}, got '${pipeline}'`,
      );
    }
    if (search !== 'MDC') {
      throw new Error(
        `upload_joint_grb: a mock GRB beside a mock event is search MDC, not '${search}'`,
      );
    }
    const gpstime = mockEvent?.gpstime;
    if (typeof gpstime !== 'number' || !Number.isFinite(gpstime)) {
      throw new Error(
        'upload_joint_grb needs the mock event it joins (the result of first2years.upload_event, with its gpstime)',
      );
    }
    const [grb] = await uploadJointMdcEvents(
      gracedbFor(ctx.app.config),
      gpstime,
      seededRandom(freshSeed()),
      [pipeline as GrbMission],
    );
    ctx.log.info({ ...grb }, 'mock GRB uploaded beside a mock event');
    return grb!;
  },
);

/** On every new MDC superevent: one in joint_mdc_freq gets mock GRBs (§12 item 98). */
export const uploadExternalEventTask = defineTask<[IgwnAlert], GrbEventResult[]>(
  { name: 'first2years_external.upload_external_event', timeLimitS: 120 },
  async (ctx, alert) => {
    if (alert.alert_type !== 'new') return [];
    if (!isJointMdc(alert.uid, ctx.app.config.joint_mdc_freq)) return [];
    const t0 = Number(alert.object.t_0);
    if (!Number.isFinite(t0)) throw new Error(`MDC superevent ${alert.uid} has no t_0`);
    const grbs = await uploadJointMdcEvents(
      gracedbFor(ctx.app.config),
      t0,
      seededRandom(freshSeed()),
    );
    ctx.log.info(
      { superevent: alert.uid, grbs: grbs.map((g) => `${g.graceid} ${g.pipeline}`) },
      'mock GRBs uploaded in coincidence',
    );
    return grbs;
  },
);

onIgwnAlert('mdc_superevent', uploadExternalEventTask.name);

registerPeriodic((config) =>
  config.mock_events_interval_s > 0
    ? {
        name: uploadEventTask.name,
        task: uploadEventTask.name,
        everyS: config.mock_events_interval_s,
      }
    : undefined,
);

registerPeriodic((config) =>
  config.mock_snews_interval_s > 0
    ? {
        name: uploadSnewsEventTask.name,
        task: uploadSnewsEventTask.name,
        everyS: config.mock_snews_interval_s,
      }
    : undefined,
);
