import {
  pyJsonArray,
  pyJsonBool,
  pyJsonFloat,
  pyJsonInt,
  pyJsonObject,
  pyJsonString,
} from '../text/python-json.js';
import { alertJsonValidator } from './schema.js';
import {
  type AlertEventInfo,
  type AlertExternalCoinc,
  AlertFormatError,
  type AlertPacket,
} from './types.js';

/**
 * The JSON encoding of a packet (GCN's stream): the sky maps as standard base64 text, written
 * the way the reference writes it (Python `json.dumps` defaults, reference key order) so that the
 * bytes match what consumers have been receiving.
 */
export function encodeAlertJson(packet: AlertPacket): Buffer {
  return Buffer.from(alertJsonText(packet), 'utf8');
}

function bytesOrNull(bytes: Uint8Array | null): string {
  // Base64 text is plain ASCII with nothing to escape: quoting it directly spares a pass over
  // a megabyte of sky map.
  return bytes === null ? 'null' : `"${toBase64(bytes)}"`;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function doubleMap(map: Record<string, number>): string {
  return pyJsonObject(Object.entries(map).map(([k, v]) => [k, pyJsonFloat(v)]));
}

function eventText(e: AlertEventInfo): string {
  return pyJsonObject([
    ['significant', pyJsonBool(e.significant)],
    ['time', pyJsonString(e.time)],
    ['far', pyJsonFloat(e.far)],
    ['instruments', pyJsonArray(e.instruments.map(pyJsonString))],
    ['group', pyJsonString(e.group)],
    ['pipeline', pyJsonString(e.pipeline)],
    ['search', pyJsonString(e.search)],
    ['properties', doubleMap(e.properties)],
    ['classification', doubleMap(e.classification)],
    ['duration', pyJsonFloat(e.duration)],
    ['central_frequency', pyJsonFloat(e.central_frequency)],
    ['skymap', bytesOrNull(e.skymap)],
  ]);
}

function externalText(x: AlertExternalCoinc): string {
  return pyJsonObject([
    ['gcn_notice_id', pyJsonInt(x.gcn_notice_id)],
    ['ivorn', pyJsonString(x.ivorn)],
    ['observatory', pyJsonString(x.observatory)],
    ['search', pyJsonString(x.search)],
    ['time_difference', pyJsonFloat(x.time_difference)],
    ['time_coincidence_far', pyJsonFloat(x.time_coincidence_far)],
    ['time_sky_position_coincidence_far', pyJsonFloat(x.time_sky_position_coincidence_far)],
    ['combined_skymap', bytesOrNull(x.combined_skymap)],
  ]);
}

export function alertJsonText(packet: AlertPacket): string {
  return pyJsonObject([
    ['alert_type', pyJsonString(packet.alert_type)],
    ['time_created', pyJsonString(packet.time_created)],
    ['superevent_id', pyJsonString(packet.superevent_id)],
    ['urls', pyJsonObject(Object.entries(packet.urls).map(([k, v]) => [k, pyJsonString(v)]))],
    ['event', packet.event === null ? 'null' : eventText(packet.event)],
    [
      'external_coinc',
      packet.external_coinc === null ? 'null' : externalText(packet.external_coinc),
    ],
  ]);
}

/**
 * The packet as the JSON Schema sees it: a plain JSON value with base64 sky maps. Built
 * generically rather than through the typed writer, so that a malformed packet still yields a
 * value whose every problem the schema can report.
 */
export function alertJsonValue(packet: unknown): unknown {
  if (packet instanceof Uint8Array) return toBase64(packet);
  if (Array.isArray(packet)) return packet.map(alertJsonValue);
  if (packet && typeof packet === 'object') {
    return Object.fromEntries(Object.entries(packet).map(([k, v]) => [k, alertJsonValue(v)]));
  }
  return packet;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fromBase64(text: unknown, field: string, where: string): Buffer | null {
  if (text === null || text === undefined) return null;
  if (typeof text !== 'string' || !BASE64.test(text)) {
    throw new AlertFormatError(`${where}: ${field} is not standard base64 text`);
  }
  return Buffer.from(text, 'base64');
}

/** The packet as JSON carries it: base64 text for bytes, optional burst fields. */
type JsonPacket = Omit<AlertPacket, 'event' | 'external_coinc'> & {
  event:
    | (Omit<AlertEventInfo, 'skymap' | 'duration' | 'central_frequency'> & {
        skymap: string | null;
        duration?: number | null;
        central_frequency?: number | null;
      })
    | null;
  external_coinc:
    | (Omit<AlertExternalCoinc, 'combined_skymap'> & { combined_skymap?: string | null })
    | null;
};

/** Parses a JSON packet, validates it against the JSON Schema and decodes the sky maps. */
export function decodeAlertJson(bytes: Uint8Array | string, source = 'JSON alert'): AlertPacket {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new AlertFormatError(`${source}: not JSON: ${(err as Error).message}`);
  }
  const validate = alertJsonValidator();
  if (!validate(value)) {
    const issues = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim())
      .join('; ');
    throw new AlertFormatError(`${source}: does not match igwn.alerts v1.0: ${issues}`);
  }
  // The schema has just vouched for this shape.
  const raw = value as JsonPacket;
  const where = `${source} (${raw.superevent_id})`;
  const event = raw.event;
  const ext = raw.external_coinc;
  return {
    alert_type: raw.alert_type,
    time_created: raw.time_created,
    superevent_id: raw.superevent_id,
    urls: raw.urls,
    event:
      event === null
        ? null
        : {
            significant: event.significant,
            time: event.time,
            far: event.far,
            instruments: event.instruments,
            group: event.group,
            pipeline: event.pipeline,
            search: event.search,
            properties: event.properties,
            classification: event.classification,
            duration: event.duration ?? null,
            central_frequency: event.central_frequency ?? null,
            skymap: fromBase64(event.skymap, 'event.skymap', where),
          },
    external_coinc:
      ext === null
        ? null
        : {
            gcn_notice_id: ext.gcn_notice_id,
            ivorn: ext.ivorn,
            observatory: ext.observatory,
            search: ext.search,
            time_difference: ext.time_difference,
            time_coincidence_far: ext.time_coincidence_far,
            time_sky_position_coincidence_far: ext.time_sky_position_coincidence_far,
            combined_skymap: fromBase64(
              ext.combined_skymap,
              'external_coinc.combined_skymap',
              where,
            ),
          },
  };
}
