import { defineTask } from '../../engine/index.js';
import { gracedbFor } from '../gracedb.js';

/**
 * Applies a label; sent with a countdown it is a durable timer (DQR_REQUEST 600 s after an
 * early-warning alert survives a restart of every process).
 */
export const applyLabel = defineTask(
  { name: 'orchestrator.apply_label', ignoreResult: true },
  async (ctx, label: string, graceid: string) => {
    await gracedbFor(ctx.app.config).createLabel(label, graceid);
  },
);

/** Applies `label` to `graceid` after `delayS`, once: the id makes a second request a no-op. */
export async function applyLabelLater(
  label: string,
  graceid: string,
  delayS: number,
): Promise<void> {
  await applyLabel.applyAsync([label, graceid], {
    countdown: delayS,
    taskId: `${graceid}.${label}.delayed`,
  });
}
