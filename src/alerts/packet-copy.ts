import type { AlertPacket } from '../formats/alert/types.js';

/**
 * How the copy of a sent Kafka packet is uploaded to the superevent in GraceDB:
 * `<superevent>-<alert type, lower case>.<avro|json>` (less-significant alerts are
 * `-preliminary`, as their packets say), with the reference's comment and tags.
 */
export function packetCopyUpload(
  packet: AlertPacket,
  suffix: 'avro' | 'json',
  destinationUrl: string,
): { filename: string; comment: string; tags: string[] } {
  return {
    filename: `${packet.superevent_id}-${packet.alert_type.toLowerCase()}.${suffix}`,
    comment: `Kafka alert notice sent to ${destinationUrl}`,
    tags: ['public', 'em_follow'],
  };
}
