/**
 * The bar charts drawn beside classification files (em_bright.json, <pipeline>.p_astro.json)
 * whenever one reaches a superevent (gwcelery-spec §7.1, §7.2).
 */
import type { IgwnAlert } from '../bus/igwn-alert/envelope.js';
import type { TaskContext } from '../engine/index.js';
import { classificationPlotForUpload } from '../science/index.js';
import { reportBadInput } from './annotation-errors.js';
import { gracedbFor } from './gracedb.js';

/** A superevent log entry with a file, as the plot handlers read it. */
export function uploadedFile(alert: IgwnAlert): { filename: string; version: number } | undefined {
  if (alert.alert_type !== 'log') return undefined;
  const data = alert.data as { filename?: unknown; file_version?: unknown } | null;
  if (typeof data?.filename !== 'string' || data.filename === '') return undefined;
  if (typeof data.file_version !== 'number') return undefined;
  return { filename: data.filename, version: data.file_version };
}

/** Downloads the uploaded file, draws its chart and uploads the PNG beside it. */
export async function plotUploadedClassification(
  ctx: TaskContext,
  alert: IgwnAlert,
  file: { filename: string; version: number },
  upload: { what: string; comment: string; tags: string[] },
): Promise<void> {
  const gracedb = gracedbFor(ctx.app.config);
  const contents = await gracedb.download(`${file.filename},${file.version}`, alert.uid);
  let plot: ReturnType<typeof classificationPlotForUpload>;
  try {
    plot = classificationPlotForUpload(file.filename, contents);
  } catch (err) {
    if (await reportBadInput(gracedb, alert.uid, upload.what, err, ctx.log)) return;
    throw err;
  }
  if (!plot) return;
  await gracedb.upload(plot.png, plot.filename, alert.uid, upload.comment, upload.tags);
}
