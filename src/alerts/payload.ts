import { createHash } from 'node:crypto';
import { encodeAlertAvro } from '../formats/alert/avro-codec.js';
import { encodeAlertJson } from '../formats/alert/json-codec.js';
import type { OutgoingAlert } from './destination.js';

export type PayloadFormat = 'avro' | 'json' | 'xml';

/**
 * The bytes of an alert in one format, or why there are none. Avro containers normally carry a
 * random sync marker; here it derives from the alert's identity, so that encoding the same
 * packet twice gives the same bytes and the same hash in the ledger.
 */
export function encodePayload(
  alert: OutgoingAlert,
  format: PayloadFormat,
): { bytes: Uint8Array } | { skip: string } {
  if (format === 'xml') {
    return alert.voevent ? { bytes: alert.voevent } : { skip: 'the alert carries no VOEvent' };
  }
  if (!alert.packet) return { skip: 'the alert carries no packet' };
  if (format === 'json') return { bytes: encodeAlertJson(alert.packet) };
  const syncMarker = createHash('sha256')
    .update(`${alert.superevent}/${alert.alertType}/${alert.serial}`)
    .digest()
    .subarray(0, 16);
  return { bytes: encodeAlertAvro(alert.packet, { syncMarker }) };
}

export function payloadHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
