/**
 * The igwn.alerts v1.0 packet as this project holds it in memory: the Avro record, with the sky
 * maps as raw bytes. The JSON encoding turns the bytes into base64 text on the way out.
 */

/** Alert types as the pipeline names them (GraceDB VOEvent types plus less-significant). */
export const PIPELINE_ALERT_TYPES = [
  'earlywarning',
  'less-significant',
  'preliminary',
  'initial',
  'update',
  'retraction',
] as const;
export type PipelineAlertType = (typeof PIPELINE_ALERT_TYPES)[number];

/** The packet's `alert_type` enumeration (Avro enum AlertType). */
export const PACKET_ALERT_TYPES = [
  'EARLYWARNING',
  'PRELIMINARY',
  'INITIAL',
  'UPDATE',
  'RETRACTION',
] as const;
export type PacketAlertType = (typeof PACKET_ALERT_TYPES)[number];

export interface AlertEventInfo {
  significant: boolean;
  time: string;
  far: number;
  instruments: string[];
  group: string;
  pipeline: string;
  search: string;
  properties: Record<string, number>;
  classification: Record<string, number>;
  duration: number | null;
  central_frequency: number | null;
  skymap: Uint8Array | null;
}

export interface AlertExternalCoinc {
  gcn_notice_id: number;
  ivorn: string;
  observatory: string;
  search: string;
  time_difference: number;
  time_coincidence_far: number | null;
  time_sky_position_coincidence_far: number | null;
  combined_skymap: Uint8Array | null;
}

export interface AlertPacket {
  alert_type: PacketAlertType;
  time_created: string;
  superevent_id: string;
  urls: Record<string, string>;
  event: AlertEventInfo | null;
  external_coinc: AlertExternalCoinc | null;
}

export function isPipelineAlertType(value: unknown): value is PipelineAlertType {
  return (PIPELINE_ALERT_TYPES as readonly unknown[]).includes(value);
}

/** Less-significant alerts go out as PRELIMINARY; `significant` tells the two apart. */
export function packetAlertType(type: PipelineAlertType): PacketAlertType {
  return (type === 'less-significant' ? 'PRELIMINARY' : type.toUpperCase()) as PacketAlertType;
}

/** A packet or its input failed a rule; the message names the superevent and the field. */
export class AlertFormatError extends Error {
  override name = 'AlertFormatError';
}
