/**
 * Sending an alert (gwcelery-spec §4.5 steps 8–9, §4.7): the VOEvent GraceDB rendered goes to
 * the VOEvent broadcaster (queue voevent, `gcn.send`), the igwn.alerts packet to every Kafka
 * stream (queue kafka, `alerts.send`), each through the alert ledger, so a retried or redelivered
 * task never sends twice; local files of each format are written alongside. A copy of every
 * Kafka packet sent is uploaded to the superevent, and what happened is written to its log.
 */

import { packetCopyUpload } from '../alerts/packet-copy.js';
import { encodePayload } from '../alerts/payload.js';
import type { DestinationResult } from '../alerts/sender.js';
import type { TaskContext } from '../engine/index.js';
import { defineTask } from '../engine/index.js';
import type { GraceDbClient } from '../gracedb/client.js';
import { type AlertSpec, loadAlertContents } from './alert-contents.js';
import { alertDeliveryFor } from './alert-delivery.js';
import { gracedbFor } from './gracedb.js';

/** Delivery retries: a destination down (GCN reconnecting, a Kafka broker restarting). */
const DELIVERY_RETRY = { maxRetries: 10, backoffS: 20, backoffMaxS: 600, jitter: true };

/** One superevent log line for what this attempt did; undefined when it did nothing new. */
export function deliveryLog(spec: AlertSpec, results: DestinationResult[]): string | undefined {
  const sent = results.filter((r) => r.status === 'sent').map((r) => r.destination);
  const failed = results.filter((r) => r.status === 'failed');
  if (sent.length === 0 && failed.length === 0) return undefined;
  const parts = [];
  if (sent.length) parts.push(`sent to ${sent.join(', ')}`);
  for (const f of failed) parts.push(`failed at ${f.destination}: ${f.error ?? 'unknown error'}`);
  return `Alert ${spec.alertId} (${spec.alertType}, ${spec.voevent}): ${parts.join('; ')}`;
}

async function finish(
  ctx: TaskContext,
  gracedb: GraceDbClient,
  spec: AlertSpec,
  results: DestinationResult[],
): Promise<DestinationResult[]> {
  const line = deliveryLog(spec, results);
  if (line) await gracedb.upload(null, null, spec.superevent, line, ['em_follow']);
  const pending = results.filter((r) => r.status === 'failed' || r.status === 'busy');
  if (pending.length > 0) {
    ctx.log.warn(
      { superevent: spec.superevent, alert: spec.alertId, pending },
      'alert not delivered everywhere yet; retrying',
    );
    ctx.retry({
      reason: new Error(
        `${spec.alertId} of ${spec.superevent} not delivered to ${pending.map((p) => p.destination).join(', ')}`,
      ),
    });
  }
  return results;
}

/** The VOEvent, unchanged from GraceDB, to the broadcaster and the local XML file. */
export const gcnSend = defineTask(
  { name: 'gcn.send', queue: 'voevent', retry: DELIVERY_RETRY },
  async (ctx, spec: AlertSpec) => {
    const gracedb = gracedbFor(ctx.app.config);
    const delivery = await alertDeliveryFor(ctx.app.config, 'voevent');
    const voevent = await gracedb.download(spec.voevent, spec.superevent);
    const results = await delivery.sender.send({
      superevent: spec.superevent,
      alertType: spec.alertType,
      serial: spec.serial,
      voevent,
    });
    await finish(ctx, gracedb, spec, results);
    await gracedb.createTag(spec.voevent, 'public', spec.superevent);
    return results.map(({ destination, status }) => ({ destination, status }));
  },
);

/** The igwn.alerts packet to every Kafka stream and the local JSON/Avro files. */
export const alertsSend = defineTask(
  { name: 'alerts.send', queue: 'kafka', retry: DELIVERY_RETRY },
  async (ctx, spec: AlertSpec) => {
    const config = ctx.app.config;
    const gracedb = gracedbFor(config);
    const delivery = await alertDeliveryFor(config, 'kafka');
    const { packet } = await loadAlertContents(gracedb, spec);
    const alert = {
      superevent: spec.superevent,
      alertType: spec.alertType,
      serial: spec.serial,
      packet,
    };
    const results = await delivery.sender.send(alert);
    for (const result of results) {
      const stream = config.kafka_alert_config[result.destination];
      if (result.kind !== 'kafka' || result.status !== 'sent' || !stream) continue;
      const payload = encodePayload(alert, stream.suffix);
      if (!('bytes' in payload)) continue;
      const copy = packetCopyUpload(packet, stream.suffix, stream.url);
      await gracedb.upload(payload.bytes, copy.filename, spec.superevent, copy.comment, copy.tags);
    }
    await finish(ctx, gracedb, spec, results);
    return results.map(({ destination, status }) => ({ destination, status }));
  },
);
