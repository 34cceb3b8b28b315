export { decodeAlertAvro, encodeAlertAvro } from './avro-codec.js';
export { type AlertPacketInput, buildAlertPacket } from './build-packet.js';
export { alertJsonText, decodeAlertJson, encodeAlertJson } from './json-codec.js';
export type { GraceDbEvent, GraceDbExternalEvent, GraceDbSuperevent } from './source.js';
export * from './types.js';
export { alertPacketProblems, validateAlertPacket } from './validate.js';
