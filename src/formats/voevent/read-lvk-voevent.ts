import {
  findGroup,
  findParam,
  type VoEvent,
  VoeventError,
  type VoGroup,
  type VoParam,
} from './document.js';
import type { LvkExternalCoincidence, LvkNotice } from './lvk-notice.js';
import { LVK_NOTICE_TYPES, type LvkNoticeType, PACKET_TYPE } from './lvk-vocabulary.js';
import { parseVoevent } from './parse.js';

/**
 * Reads an LVK notice back into its content. Accepts the current GraceDB layout and the
 * O2/O3-era one (Pkt_Ser_Num as text, top-level ProbHasNS/ProbHasRemnant, per-protocol sky-map
 * URLs), so that old notices in fixtures and archives read too.
 */
export function readLvkVoevent(
  input: string | Uint8Array | VoEvent,
  source = 'VOEvent',
): LvkNotice {
  const event =
    typeof input === 'string' || input instanceof Uint8Array ? parseVoevent(input, source) : input;
  const where = `${source} (${event.ivorn})`;
  const text = (name: string): string | undefined => findParam(event, name)?.value;
  const required = (name: string): string => {
    const value = text(name);
    if (value === undefined || value === '') {
      throw new VoeventError(`${where}: Param ${name} is missing`);
    }
    return value;
  };
  const type = required('AlertType') as LvkNoticeType;
  if (!LVK_NOTICE_TYPES.includes(type)) {
    throw new VoeventError(`${where}: AlertType '${type}' is not an LVK notice type`);
  }
  const packetText = text('Packet_Type');
  const serialText = required('Pkt_Ser_Num');
  const serial = Number(serialText);
  if (!Number.isSafeInteger(serial)) {
    throw new VoeventError(`${where}: Pkt_Ser_Num '${serialText}' is not an integer`);
  }
  const isoTime = event.whereWhen?.isoTime;
  if (!isoTime) throw new VoeventError(`${where}: WhereWhen has no ISOTime`);
  const notice: LvkNotice = {
    ivorn: event.ivorn,
    role: event.role,
    type,
    packetType:
      packetText === undefined ? PACKET_TYPE[type] : toNumber(packetText, 'Packet_Type', where),
    serial,
    graceid: required('GraceID'),
    date: event.who?.date ?? '',
    isoTime,
    internal: toFlag(text('internal'), 'internal', where),
    hardwareInj: toFlag(text('HardwareInj'), 'HardwareInj', where),
    openAlert: toFlag(text('OpenAlert'), 'OpenAlert', where),
    eventPage: text('EventPage') ?? '',
    citations: (event.citations?.eventIvorns ?? []).map((c) => ({ ...c })),
  };
  if (type === 'Retraction') return notice;

  const instruments = text('Instruments');
  notice.instruments = instruments ? instruments.split(',').map((s) => s.trim()) : [];
  const far = text('FAR');
  if (far !== undefined) notice.far = toNumber(far, 'FAR', where);
  notice.significant = toFlag(text('Significant'), 'Significant', where);
  for (const [name, key] of [
    ['Group', 'group'],
    ['Pipeline', 'pipeline'],
    ['Search', 'search'],
  ] as const) {
    const value = text(name);
    if (value !== undefined) notice[key] = value;
  }
  for (const [name, key] of [
    ['CentralFreq', 'centralFreq'],
    ['Duration', 'duration'],
    ['frequency', 'frequency'],
  ] as const) {
    const value = text(name);
    if (value !== undefined) notice[key] = toNumber(value, name, where);
  }
  const skymap = findGroup(event, 'GW_SKYMAP');
  if (skymap) {
    const url =
      skymap.params.find((p) => p.name === 'skymap_fits') ??
      skymap.params.find((p) => p.name.startsWith('skymap_fits'));
    if (url) notice.skymapUrl = url.value;
  }
  notice.classification = numbers(findGroup(event, 'Classification'), where);
  notice.properties = numbers(findGroup(event, 'Properties'), where);
  for (const [legacy, key] of [
    ['ProbHasNS', 'HasNS'],
    ['ProbHasRemnant', 'HasRemnant'],
  ] as const) {
    const value = text(legacy);
    if (value !== undefined && notice.properties[key] === undefined) {
      notice.properties[key] = toNumber(value, legacy, where);
    }
  }
  const coinc = findGroup(event, 'External Coincidence');
  if (coinc) notice.externalCoincidence = externalCoincidence(coinc, where);
  notice.coincComment = (event.how?.descriptions ?? []).some((d) => /counterpart GRB/.test(d));
  return notice;
}

function toNumber(value: string, name: string, where: string): number {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) {
    throw new VoeventError(`${where}: Param ${name} '${value}' is not a number`);
  }
  return n;
}

function toFlag(value: string | undefined, name: string, where: string): boolean {
  if (value === undefined) return false;
  if (value === '1' || value.toLowerCase() === 'true') return true;
  if (value === '0' || value.toLowerCase() === 'false') return false;
  throw new VoeventError(`${where}: Param ${name} '${value}' is not 0 or 1`);
}

function numbers(group: VoGroup | undefined, where: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of group?.params ?? []) out[p.name] = toNumber(p.value, p.name, where);
  return out;
}

function externalCoincidence(group: VoGroup, where: string): LvkExternalCoincidence {
  const get = (name: string): VoParam | undefined => group.params.find((p) => p.name === name);
  const coinc: LvkExternalCoincidence = {};
  const strings = [
    ['External_GCN_Notice_Id', 'gcnNoticeId'],
    ['External_Ivorn', 'ivorn'],
    ['External_Observatory', 'observatory'],
    ['External_Search', 'search'],
    ['joint_skymap_fits', 'jointSkymapUrl'],
  ] as const;
  for (const [name, key] of strings) {
    const p = get(name);
    if (p) coinc[key] = p.value;
  }
  const floats = [
    ['Time_Difference', 'timeDifference'],
    ['Time_Coincidence_FAR', 'timeCoincidenceFar'],
    ['Time_Sky_Position_Coincidence_FAR', 'timeSkyPositionCoincidenceFar'],
  ] as const;
  for (const [name, key] of floats) {
    const p = get(name);
    if (p) coinc[key] = toNumber(p.value, name, where);
  }
  return coinc;
}
