import { gpsToIsoUtc } from '../time/gps.js';
import { burstProperties } from './burst-properties.js';
import {
  eventInstruments,
  type GraceDbExternalEvent,
  type GraceDbSuperevent,
  gracedbWebBase,
  preferredEvent,
  requireFiniteNumber,
  requireString,
} from './source.js';
import {
  type AlertEventInfo,
  type AlertExternalCoinc,
  AlertFormatError,
  type AlertPacket,
  isPipelineAlertType,
  type PipelineAlertType,
  packetAlertType,
} from './types.js';

export interface AlertPacketInput {
  superevent: GraceDbSuperevent;
  alertType: PipelineAlertType;
  /** Multi-order FITS bytes of the sky map. */
  skymap?: Uint8Array | null;
  /** Contents of em_bright.json (HasNS, HasRemnant, HasMassGap, HasSSM). */
  emBright?: Record<string, unknown> | null;
  /** Contents of the p_astro JSON (BNS, NSBH, BBH, Terrestrial). */
  pAstro?: Record<string, unknown> | null;
  /** The preferred external event of a RAVEN coincidence (superevent em_type); absent otherwise. */
  externalEvent?: GraceDbExternalEvent | null;
  /** Combined GW × external multi-order FITS bytes, when one was made. */
  combinedSkymap?: Uint8Array | null;
  /** Creation time; defaults to now. */
  now?: Date;
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Builds the igwn.alerts v1.0 packet of one alert. Pure: everything it needs comes in, nothing
 * goes out but the packet, so the same inputs always give the same packet (given `now`).
 */
export function buildAlertPacket(input: AlertPacketInput): AlertPacket {
  const { superevent, alertType } = input;
  const sid = superevent?.superevent_id;
  const where = `superevent ${sid ?? '(no superevent_id)'}`;
  requireString(sid, 'superevent_id', where);
  if (!isPipelineAlertType(alertType)) {
    throw new AlertFormatError(`${where}: unknown alert type '${String(alertType)}'`);
  }
  if (!superevent.links || typeof superevent.links.self !== 'string') {
    throw new AlertFormatError(`${where}: links.self is missing`);
  }
  const packet: AlertPacket = {
    alert_type: packetAlertType(alertType),
    time_created: timeCreated(input.now ?? new Date()),
    superevent_id: sid,
    urls: { gracedb: `${gracedbWebBase(superevent.links.self, where)}superevents/${sid}/view/` },
    event: null,
    external_coinc: null,
  };
  if (alertType === 'retraction') return packet;

  packet.event = eventInfo(input, where);
  if (input.externalEvent) {
    packet.external_coinc = externalCoinc(
      superevent,
      input.externalEvent,
      input.combinedSkymap ?? null,
    );
  } else if (input.combinedSkymap) {
    throw new AlertFormatError(`${where}: a combined sky map was given without an external event`);
  }
  return packet;
}

/** UTC, whole seconds, `Z`: consumers need no finer than a second for the creation time. */
function timeCreated(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new AlertFormatError('creation time is not a valid date');
  return `${now.toISOString().slice(0, 19)}Z`;
}

function eventInfo(input: AlertPacketInput, where: string): AlertEventInfo {
  const { superevent } = input;
  const event = preferredEvent(superevent);
  const t0 = requireFiniteNumber(superevent.t_0, 't_0', where);
  const far = requireFiniteNumber(superevent.far, 'far', where);
  const group = requireString(event.group, 'preferred_event_data.group', where);
  const pipeline = requireString(event.pipeline, 'preferred_event_data.pipeline', where);
  const search = requireString(event.search, 'preferred_event_data.search', where);
  // cWB's BBH search is a compact-binary search run by a Burst pipeline: consumers filter on
  // group, so it is reported as CBC and carries no burst duration or frequency.
  const reportedGroup = group === 'Burst' && search === 'BBH' ? 'CBC' : group;
  const burst =
    reportedGroup === 'Burst'
      ? burstProperties(event)
      : { duration: null, central_frequency: null };
  return {
    significant: input.alertType !== 'less-significant',
    time: gpsToIsoUtc(t0, 3),
    far,
    instruments: [...eventInstruments(event, where)].sort(),
    group: reportedGroup,
    pipeline,
    search,
    properties: probabilities(input.emBright, 'em_bright', where),
    classification: probabilities(input.pAstro, 'p_astro', where),
    duration: burst.duration,
    central_frequency: burst.central_frequency,
    skymap: input.skymap ?? null,
  };
}

function probabilities(
  source: Record<string, unknown> | null | undefined,
  name: string,
  where: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (!source) return out;
  if (typeof source !== 'object' || Array.isArray(source)) {
    throw new AlertFormatError(`${where}: ${name} must be a JSON object`);
  }
  for (const [key, value] of Object.entries(source)) {
    out[key] = requireFiniteNumber(value, `${name}.${key}`, where);
  }
  return out;
}

function externalCoinc(
  superevent: GraceDbSuperevent,
  external: GraceDbExternalEvent,
  combinedSkymap: Uint8Array | null,
): AlertExternalCoinc {
  const where = `superevent ${superevent.superevent_id}, external event ${external.graceid}`;
  const grb = external.extra_attributes?.GRB;
  const triggerId = String(grb?.trigger_id ?? '');
  // The Avro field is a 32-bit int: targeted-search and SVOM ids cannot be written at all, and
  // silently truncating one would point readers at another burst.
  if (!/^-?\d+$/.test(triggerId) || Math.abs(Number(triggerId)) > INT32_MAX) {
    throw new AlertFormatError(
      `${where}: GRB.trigger_id '${triggerId}' is not a 32-bit integer (gcn_notice_id)`,
    );
  }
  const gps = requireFiniteNumber(external.gpstime, 'gpstime', where);
  return {
    gcn_notice_id: Number(triggerId),
    ivorn: requireString(grb?.ivorn, 'GRB.ivorn', where),
    observatory: requireString(external.pipeline, 'pipeline', where),
    search: requireString(external.search, 'search', where),
    time_difference: roundLikePython(gps - superevent.t_0, 2),
    time_coincidence_far: nullableNumber(superevent.time_coinc_far, 'time_coinc_far', where),
    time_sky_position_coincidence_far: nullableNumber(
      superevent.space_coinc_far,
      'space_coinc_far',
      where,
    ),
    combined_skymap: combinedSkymap,
  };
}

function nullableNumber(value: unknown, field: string, where: string): number | null {
  return value === null || value === undefined ? null : requireFiniteNumber(value, field, where);
}

/** Python's round(x, n): ties (exact in binary) go to the even neighbour. */
export function roundLikePython(x: number, digits: number): number {
  const scale = 10 ** digits;
  const scaled = x * scale;
  if (Math.abs(scaled % 1) === 0.5) {
    const down = Math.floor(scaled);
    return (down % 2 === 0 ? down : down + 1) / scale;
  }
  return Number(x.toFixed(digits));
}
