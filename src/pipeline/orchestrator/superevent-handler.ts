/**
 * `orchestrator.handle_superevent` (gwcelery-spec §4.2): every notification about a superevent
 * is turned into the flow it starts, decided by the policy, sent as its own task at the
 * preferred event's priority. Flows and timers carry ids derived from the superevent, so a
 * notification delivered twice starts each once.
 */
import type { IgwnAlert } from '../../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../../bus/igwn-alert/registry.js';
import { defineTask } from '../../engine/index.js';
import { gracedbFor } from '../gracedb.js';
import {
  dqRecheckFlow,
  earlyWarningFlow,
  flowPriority,
  initialAlertFlow,
  lessSignificantFlow,
  newSupereventFlow,
  retractionAlertFlow,
  secondLessSignificantAlert,
  secondPreliminaryAlert,
  significantFlow,
} from './flows.js';
import { LABELS } from './labels.js';
import { labelAction } from './policy.js';

function labelName(alert: IgwnAlert): string | undefined {
  const data = alert.data as { name?: unknown } | null;
  return typeof data?.name === 'string' ? data.name : undefined;
}

export const handleSuperevent = defineTask(
  { name: 'orchestrator.handle_superevent', ignoreResult: true },
  async (ctx, alert: IgwnAlert) => {
    const config = ctx.app.config;
    const object = alert.object as { superevent_id?: unknown; preferred_event_data?: unknown };
    // The uid is the GW name once the superevent is confirmed; work under the S id throughout.
    const sid = typeof object.superevent_id === 'string' ? object.superevent_id : alert.uid;
    const preferred = object.preferred_event_data;
    const priority = flowPriority(preferred, config);
    const once = (flow: string) => ({ priority, taskId: `${sid}.${flow}` });

    if (alert.alert_type === 'new') {
      await newSupereventFlow.applyAsync([sid], once('new'));
      return;
    }
    if (alert.alert_type === 'event_added') {
      const gracedb = gracedbFor(config);
      if (!(await gracedb.getLabels(sid)).has(LABELS.DQV)) return;
      // GraceDB's event_added carries the superevent (its window), not the event: the newest
      // "Added event" log entry names the one that joined.
      const data = alert.data as { t_start?: unknown; t_end?: unknown } | null;
      const start = Number(data?.t_start);
      const end = Number(data?.t_end);
      const added = (await gracedb.getLog(sid))
        .map((entry) => /^Added event: (\S+)$/.exec(entry.comment ?? '')?.[1])
        .filter((gid): gid is string => gid !== undefined)
        .at(-1);
      if (!added || !Number.isFinite(start) || !Number.isFinite(end)) {
        ctx.log.warn({ superevent: sid }, 'event_added without a joined event or a window');
        return;
      }
      const graceid = added;
      await dqRecheckFlow.applyAsync([sid, graceid, start, end], {
        priority,
        taskId: `${sid}.dq-recheck.${graceid}`,
      });
      return;
    }
    if (alert.alert_type !== 'label_added') return;
    const label = labelName(alert);
    if (!label) return;
    const gracedb = gracedbFor(config);
    // Fresh labels: the notification's copy may predate labels applied since.
    const labels = await gracedb.getLabels(sid);
    const action = labelAction(label, labels);
    ctx.log.info({ superevent: sid, label, action: action.action }, 'superevent label');
    switch (action.action) {
      case 'less-significant-flow':
        await lessSignificantFlow.applyAsync([sid], once('less-significant-flow'));
        return;
      case 'significant-flow':
        await significantFlow.applyAsync(
          [sid, action.applyLowSignifLocked],
          once('significant-flow'),
        );
        return;
      case 'early-warning-flow':
        await earlyWarningFlow.applyAsync(
          [sid, action.applyLowSignifLocked],
          once('early-warning-flow'),
        );
        return;
      case 'schedule-second-preliminary':
        await secondPreliminaryAlert.applyAsync([sid], {
          ...once('preliminary-2.timer'),
          countdown: config.superevent_clean_up_timeout,
        });
        return;
      case 'schedule-second-less-significant':
        await secondLessSignificantAlert.applyAsync([sid], {
          ...once('less-significant-2.timer'),
          countdown: config.superevent_clean_up_timeout,
        });
        return;
      case 'initial-alert':
        await initialAlertFlow.applyAsync([sid], once('initial'));
        return;
      case 'retraction-alert':
        await retractionAlertFlow.applyAsync([sid], once('retraction'));
        return;
      case 'advocate-requested':
        // The reference opens a Mattermost channel for the rapid-response team here
        // (create_mattermost_channel); no chat integration is configured in this deployment.
        ctx.log.info({ superevent: sid }, 'ADVREQ: no rapid-response chat channel is configured');
        return;
      case 'skip':
        await gracedb.upload(null, null, sid, action.log);
        return;
      case 'none':
        return;
    }
  },
);

onIgwnAlert(['superevent', 'mdc_superevent'], handleSuperevent.name);
