import { gpsToIsoUtc } from '../../formats/time/gps.js';
import { type LvkNotice, lvkNoticeToVoevent, writeVoevent } from '../../formats/voevent/index.js';
import { PACKET_TYPE, VOEVENT_TYPE_CODES } from '../../formats/voevent/lvk-vocabulary.js';

/**
 * The embedded GraceDB renders a VOEvent with the project's LVK notice writer
 * (src/formats/voevent), the same code that reads notices back, so that what the service stores
 * is what a GCN consumer of GraceDB's notices would parse. This module only maps the service's
 * validated request onto the notice content; the service keeps its own validation and errors.
 */

export type VoeventTypeCode = 'PR' | 'IN' | 'UP' | 'RE' | 'EW';

export function isVoeventTypeCode(code: string): code is VoeventTypeCode {
  return code === 'PR' || code === 'IN' || code === 'UP' || code === 'RE' || code === 'EW';
}

/** Long name of a type code (`PR` → `Preliminary`), as in file names and IVORNs. */
export function voeventTypeName(code: VoeventTypeCode): LvkNotice['type'] {
  return VOEVENT_TYPE_CODES[code]!;
}

export interface ServiceVoeventInput {
  /** Superevent (or event) id. */
  graceId: string;
  n: number;
  type: VoeventTypeCode;
  role: 'observation' | 'test';
  createdMs: number;
  eventPage: string;
  internal: boolean;
  openAlert: boolean;
  hardwareInj: boolean;
  coincComment: boolean;
  significant: boolean;
  preferred: {
    group: string;
    pipeline: string;
    search: string | null;
    /** GraceDB's comma-separated instrument list. */
    instruments: string;
    far: number | null;
    gpstime: number;
    attributes: Record<string, unknown>;
  };
  skymapUrl?: string;
  classification: Record<string, number>;
  properties: Record<string, number>;
  external?: {
    triggerId?: string | null;
    ivorn?: string | null;
    observatory?: string | null;
    search?: string | null;
    timeDifference?: number | null;
    timeCoincFar?: number | null;
    spaceCoincFar?: number | null;
    combinedSkymapUrl?: string;
  };
  /** IVORNs of the earlier VOEvents of the same parent, oldest first. */
  earlierIvorns: string[];
}

function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null && value !== '';
}

function numberAttribute(attributes: Record<string, unknown>, table: string, field: string) {
  const row = attributes[table];
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const value = (row as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The notice content of a validated request (notices-and-transport §2). */
export function serviceVoeventNotice(input: ServiceVoeventInput): LvkNotice {
  const type = voeventTypeName(input.type);
  const notice: LvkNotice = {
    ivorn: `ivo://gwnet/LVC#${input.graceId}-${input.n}-${type}`,
    role: input.role,
    type,
    packetType: PACKET_TYPE[type],
    serial: input.n,
    graceid: input.graceId,
    date: `${new Date(Math.floor(input.createdMs / 1000) * 1000).toISOString().slice(0, 19)}Z`,
    isoTime: gpsToIsoUtc(input.preferred.gpstime, 6, { trimZeroFraction: true }),
    internal: input.internal,
    hardwareInj: input.hardwareInj,
    openAlert: input.openAlert,
    eventPage: input.eventPage,
    citations: input.earlierIvorns.map((ivorn) => ({
      ivorn,
      cite: type === 'Retraction' ? 'retraction' : 'supersedes',
    })),
  };
  if (type === 'Retraction') return notice;

  const p = input.preferred;
  notice.instruments = p.instruments
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // GraceDB leaves FAR out when it is 0 or null (§2.3).
  if (p.far) notice.far = p.far;
  notice.significant = input.significant;
  notice.group = p.group;
  notice.pipeline = p.pipeline;
  if (p.search) notice.search = p.search;
  // Burst Params by the table GraceDB reads them from (§2.3): cWB MultiBurst, oLIB
  // LalInferenceBurst; MLy events get none.
  const centralFreq = numberAttribute(p.attributes, 'MultiBurst', 'central_freq');
  if (centralFreq !== undefined) notice.centralFreq = centralFreq;
  const duration = numberAttribute(p.attributes, 'MultiBurst', 'duration');
  if (duration !== undefined) notice.duration = duration;
  const frequency = numberAttribute(p.attributes, 'LalInferenceBurst', 'frequency_mean');
  if (frequency !== undefined) notice.frequency = frequency;
  if (input.skymapUrl) notice.skymapUrl = input.skymapUrl;
  notice.classification = { ...input.classification };
  notice.properties = { ...input.properties };
  const ext = input.external;
  if (ext) {
    notice.externalCoincidence = {
      ...(present(ext.triggerId) ? { gcnNoticeId: String(ext.triggerId) } : {}),
      ...(present(ext.ivorn) ? { ivorn: ext.ivorn } : {}),
      ...(present(ext.observatory) ? { observatory: ext.observatory } : {}),
      ...(present(ext.search) ? { search: ext.search } : {}),
      ...(present(ext.timeDifference) ? { timeDifference: ext.timeDifference } : {}),
      ...(present(ext.timeCoincFar) ? { timeCoincidenceFar: ext.timeCoincFar } : {}),
      ...(present(ext.spaceCoincFar) ? { timeSkyPositionCoincidenceFar: ext.spaceCoincFar } : {}),
      ...(present(ext.combinedSkymapUrl) ? { jointSkymapUrl: ext.combinedSkymapUrl } : {}),
    };
  }
  notice.coincComment = input.coincComment;
  return notice;
}

/** The VOEvent XML GraceDB stores for a validated request. */
export function renderServiceVoevent(input: ServiceVoeventInput): string {
  return writeVoevent(lvkNoticeToVoevent(serviceVoeventNotice(input)));
}
