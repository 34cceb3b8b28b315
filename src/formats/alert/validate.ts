import { toAvroRecord } from './avro-codec.js';
import { alertJsonValue } from './json-codec.js';
import { alertAvroType, alertJsonValidator } from './schema.js';
import { AlertFormatError, type AlertPacket } from './types.js';

/**
 * Checks a packet against both shipped schemas (the Avro record and the JSON Schema) and against
 * the rules the schemas cannot say: a retraction carries no event, every other alert does. Called
 * before every send; returns the problems, empty when the packet is good.
 */
export function alertPacketProblems(packet: AlertPacket): string[] {
  const problems: string[] = [];
  let avroRecord: Record<string, unknown> | undefined;
  try {
    avroRecord = toAvroRecord(packet);
  } catch (err) {
    problems.push(`not a packet: ${(err as Error).message}`);
  }
  if (avroRecord) {
    alertAvroType().isValid(avroRecord, {
      errorHook: (path, value) => {
        problems.push(`Avro: ${path.join('.') || '(record)'} has invalid value ${brief(value)}`);
      },
    });
  }
  let jsonValue: unknown;
  try {
    jsonValue = alertJsonValue(packet);
  } catch (err) {
    problems.push(`JSON: cannot encode: ${(err as Error).message}`);
  }
  if (jsonValue !== undefined) {
    const validate = alertJsonValidator();
    if (!validate(jsonValue)) {
      for (const e of validate.errors ?? []) {
        problems.push(`JSON Schema: ${e.instancePath || '/'} ${e.message ?? ''}`.trim());
      }
    }
  }
  if (packet.alert_type === 'RETRACTION') {
    if (packet.event !== null) problems.push('a RETRACTION must have event null');
    if (packet.external_coinc !== null) problems.push('a RETRACTION must have external_coinc null');
  } else if (packet.event === null) {
    problems.push(`a ${packet.alert_type} alert must carry an event`);
  }
  return problems;
}

export function validateAlertPacket(packet: AlertPacket): void {
  const problems = alertPacketProblems(packet);
  if (problems.length > 0) {
    throw new AlertFormatError(
      `alert packet ${packet?.superevent_id ?? '?'} ${packet?.alert_type ?? '?'} is invalid: ${problems.join('; ')}`,
    );
  }
}

function brief(value: unknown): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
