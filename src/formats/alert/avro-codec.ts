import { readContainer, writeContainer } from './avro-container.js';
import { alertAvroSchemaText, alertAvroType } from './schema.js';
import {
  type AlertEventInfo,
  type AlertExternalCoinc,
  AlertFormatError,
  type AlertPacket,
} from './types.js';

function toBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The record as avsc wants it: plain objects, Buffers for bytes. */
export function toAvroRecord(packet: AlertPacket): Record<string, unknown> {
  const e = packet.event;
  const x = packet.external_coinc;
  return {
    alert_type: packet.alert_type,
    time_created: packet.time_created,
    superevent_id: packet.superevent_id,
    event: e === null ? null : { ...e, skymap: toBuffer(e.skymap) },
    external_coinc: x === null ? null : { ...x, combined_skymap: toBuffer(x.combined_skymap) },
    urls: packet.urls,
  };
}

/**
 * The Avro encoding of a packet (SCiMMA's stream): an Object Container File holding the one
 * record, with the full writer schema in its header, as the published sample packets are.
 */
export function encodeAlertAvro(
  packet: AlertPacket,
  options: { syncMarker?: Uint8Array } = {},
): Buffer {
  return writeContainer(alertAvroType(), [toAvroRecord(packet)], alertAvroSchemaText(), options);
}

/** Decodes a container holding exactly one Alert record. */
export function decodeAlertAvro(bytes: Uint8Array, source = 'Avro alert'): AlertPacket {
  let records: unknown[];
  try {
    records = readContainer(bytes, alertAvroType()).records;
  } catch (err) {
    throw new AlertFormatError(`${source}: ${(err as Error).message}`);
  }
  if (records.length !== 1) {
    throw new AlertFormatError(`${source}: expected one Alert record, found ${records.length}`);
  }
  return fromAvroRecord(records[0] as AlertPacket);
}

/** avsc decodes records into its own classes; the packet is plain data. */
function fromAvroRecord(r: AlertPacket): AlertPacket {
  const e = r.event;
  const x = r.external_coinc;
  const event: AlertEventInfo | null =
    e === null
      ? null
      : {
          ...e,
          instruments: [...e.instruments],
          properties: { ...e.properties },
          classification: { ...e.classification },
        };
  const external: AlertExternalCoinc | null = x === null ? null : { ...x };
  return {
    alert_type: r.alert_type,
    time_created: r.time_created,
    superevent_id: r.superevent_id,
    urls: { ...r.urls },
    event,
    external_coinc: external,
  };
}
