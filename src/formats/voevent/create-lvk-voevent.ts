import { roundLikePython } from '../alert/build-packet.js';
import {
  eventInstruments,
  type GraceDbExternalEvent,
  type GraceDbSuperevent,
  gracedbWebBase,
  preferredEvent,
} from '../alert/source.js';
import { pythonFloatRepr } from '../text/python-float.js';
import { gpsToIsoUtc } from '../time/gps.js';
import type { VoEvent, VoGroup, VoParam } from './document.js';
import type { LvkExternalCoincidence, LvkNotice } from './lvk-notice.js';
import {
  CITATIONS_DESCRIPTION,
  DETECTORS,
  GROUP_DESCRIPTION,
  HOW_CANDIDATE,
  HOW_COINC_COMMENT,
  LVK_AUTHOR,
  LVK_COORD_SYSTEM,
  LVK_OBSERVATORY_LOCATION,
  LVK_STREAM_IVORN,
  type LvkNoticeType,
  type LvkParamName,
  PACKET_TYPE,
  PARAMS,
  packetTypeDescription,
  ROOT_DESCRIPTION,
  VOEVENT_TYPE_CODES,
} from './lvk-vocabulary.js';
import { writeVoevent } from './write.js';

/**
 * The fields of GraceDB's "create VOEvent" request (POST superevents/<sid>/voevents/). Values
 * may be typed or, as they arrive in a form, text ('True', '0.93').
 */
export interface CreateVoeventRequest {
  voevent_type: string;
  internal?: boolean | string;
  open_alert?: boolean | string;
  hardware_inj?: boolean | string;
  CoincComment?: boolean | string;
  skymap_filename?: string | null;
  skymap_type?: string | null;
  ProbHasNS?: number | string | null;
  ProbHasRemnant?: number | string | null;
  HasMassGap?: number | string | null;
  HasSSM?: number | string | null;
  MassGap?: unknown;
  BNS?: number | string | null;
  NSBH?: number | string | null;
  BBH?: number | string | null;
  Terrestrial?: number | string | null;
  Significant?: boolean | string;
  raven_coinc?: boolean | string;
  ext_gcn?: string | null;
  ext_pipeline?: string | null;
  ext_search?: string | null;
  time_coinc_far?: number | string | null;
  space_coinc_far?: number | string | null;
  combined_skymap_filename?: string | null;
  delta_t?: number | string | null;
}

export interface CreateLvkVoeventInput {
  /** The superevent, with preferred_event_data. */
  superevent: GraceDbSuperevent;
  request: CreateVoeventRequest;
  /** This VOEvent's number N for the superevent (1 for the first). */
  serial: number;
  /** IVORNs of the superevent's earlier VOEvents, oldest first (cited as superseded). */
  previousIvorns?: string[];
  /** The superevent's em_type event, needed when raven_coinc is set. */
  externalEvent?: GraceDbExternalEvent | null;
  /**
   * Current version of a superevent file, for unversioned file names; undefined when the file
   * does not exist.
   */
  fileVersion?: (filename: string) => number | undefined;
  now?: Date;
}

export interface CreatedLvkVoevent {
  xml: string;
  ivorn: string;
  /** `<sid>-<N>-<Type>.xml`, the name GraceDB stores it under. */
  filename: string;
  notice: LvkNotice;
}

/**
 * A request GraceDB would refuse; the message is GraceDB's own (its service answers 400 with
 * it).
 */
export class VoeventRequestError extends Error {
  override name = 'VoeventRequestError';
}

/**
 * Renders the LVK VOEvent notice GraceDB would create for this superevent and request. This is
 * the function the embedded GraceDB service calls for its "create VOEvent" endpoint.
 */
export function createLvkVoevent(input: CreateLvkVoeventInput): CreatedLvkVoevent {
  const notice = lvkNoticeFor(input);
  const xml = writeVoevent(lvkNoticeToVoevent(notice));
  const fragment = notice.ivorn.slice(notice.ivorn.indexOf('#') + 1);
  return { xml, ivorn: notice.ivorn, filename: `${fragment}.xml`, notice };
}

function flag(value: boolean | string | undefined, fallback: boolean, field: string): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new VoeventRequestError(`${field} must be a boolean, got '${value}'`);
}

function optionalNumber(
  value: number | string | null | undefined,
  field: string,
  range?: [number, number],
): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n))
    throw new VoeventRequestError(`${field} must be a number, got '${value}'`);
  if (range && (n < range[0] || n > range[1])) {
    throw new VoeventRequestError(`${field} must be between ${range[0]} and ${range[1]}, got ${n}`);
  }
  return n;
}

function optionalText(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** The notice content for a request, with GraceDB's validation rules. */
export function lvkNoticeFor(input: CreateLvkVoeventInput): LvkNotice {
  const { superevent, request } = input;
  const sid = superevent.superevent_id;
  const type = VOEVENT_TYPE_CODES[request.voevent_type];
  if (!type) throw new VoeventRequestError('You must provide a valid voevent_type.');
  if (!Number.isSafeInteger(input.serial) || input.serial < 1) {
    throw new VoeventRequestError(`VOEvent serial must be a positive integer, got ${input.serial}`);
  }
  if (request.MassGap !== undefined) {
    throw new VoeventRequestError('MassGap has been replaced with HasMassGap');
  }
  const event = preferredEvent(superevent);
  if (typeof event.gpstime !== 'number' || !Number.isFinite(event.gpstime)) {
    throw new VoeventRequestError(
      'Cannot build a VOEvent because preferred event does not have a gpstime.',
    );
  }
  const skymapName = optionalText(request.skymap_filename);
  const skymapType = optionalText(request.skymap_type);
  if ((type === 'Initial' || type === 'Update') && !skymapName) {
    throw new VoeventRequestError('Skymap filename is required for initial and update VOEvents.');
  }
  if (skymapName && !skymapType) {
    throw new VoeventRequestError('Skymap type is required for VOEvents that include a skymap.');
  }
  const where = `superevent ${sid}`;
  const base = gracedbWebBase(superevent.links.self, where);
  const fileUrl = (name: string, missing: string): string => {
    const versioned = /,\d+$/.test(name);
    const version = versioned ? undefined : input.fileVersion?.(name);
    if (!versioned && version === undefined) throw new VoeventRequestError(missing);
    return `${base}api/superevents/${sid}/files/${versioned ? name : `${name},${version}`}`;
  };

  const ivorn = `${LVK_STREAM_IVORN}#${sid}-${input.serial}-${type}`;
  const testLike =
    event.search === 'MDC' ||
    event.group === 'Test' ||
    superevent.category === 'MDC' ||
    superevent.category === 'Test';
  const notice: LvkNotice = {
    ivorn,
    role: testLike ? 'test' : 'observation',
    type,
    packetType: PACKET_TYPE[type],
    serial: input.serial,
    graceid: sid,
    date: `${(input.now ?? new Date()).toISOString().slice(0, 19)}Z`,
    isoTime: gpsToIsoUtc(event.gpstime, 6, { trimZeroFraction: true }),
    internal: flag(request.internal, true, 'internal'),
    hardwareInj: flag(request.hardware_inj, false, 'hardware_inj'),
    openAlert: flag(request.open_alert, false, 'open_alert'),
    eventPage: `${base}superevents/${sid}/view/`,
    citations: (input.previousIvorns ?? []).map((previous) => ({
      ivorn: previous,
      cite: type === 'Retraction' ? 'retraction' : 'supersedes',
    })),
  };
  if (type === 'Retraction') return notice;

  notice.instruments = eventInstruments(event, where);
  if (typeof event.far === 'number' && event.far !== 0) notice.far = event.far;
  notice.significant = flag(request.Significant, false, 'Significant');
  notice.group = event.group;
  notice.pipeline = event.pipeline;
  if (event.search) notice.search = event.search;
  const attrs = (table: string) =>
    (event.extra_attributes?.[table] ?? {}) as Record<string, number | null | undefined>;
  if (event.group === 'Burst' && event.pipeline === 'CWB') {
    const multi = attrs('MultiBurst');
    if (typeof multi.central_freq === 'number') notice.centralFreq = multi.central_freq;
    if (typeof multi.duration === 'number') notice.duration = multi.duration;
  } else if (event.group === 'Burst' && event.pipeline === 'oLIB') {
    const olib = attrs('LalInferenceBurst');
    if (typeof olib.frequency_mean === 'number') notice.frequency = olib.frequency_mean;
  }
  if (skymapName) {
    notice.skymapUrl = fileUrl(
      skymapName,
      `Skymap file ${skymapName} not found for this superevent.`,
    );
  }
  const probability = (field: keyof CreateVoeventRequest) =>
    optionalNumber(request[field] as number | string | null | undefined, field, [0, 1]);
  notice.classification = {};
  for (const key of ['BNS', 'NSBH', 'BBH', 'Terrestrial'] as const) {
    const value = probability(key);
    if (value !== undefined) notice.classification[key] = value;
  }
  notice.properties = {};
  for (const [field, key] of [
    ['ProbHasNS', 'HasNS'],
    ['ProbHasRemnant', 'HasRemnant'],
    ['HasMassGap', 'HasMassGap'],
    ['HasSSM', 'HasSSM'],
  ] as const) {
    const value = probability(field);
    if (value !== undefined) notice.properties[key] = value;
  }
  if (flag(request.raven_coinc, false, 'raven_coinc')) {
    notice.externalCoincidence = externalCoincidence(input, (name) =>
      fileUrl(name, `Combined skymap file ${name} not found for this superevent.`),
    );
  }
  notice.coincComment = flag(request.CoincComment, false, 'CoincComment');
  return notice;
}

function externalCoincidence(
  input: CreateLvkVoeventInput,
  fileUrl: (name: string) => string,
): LvkExternalCoincidence {
  const { superevent, request } = input;
  const sid = superevent.superevent_id;
  if (!superevent.em_type) {
    throw new VoeventRequestError(`em_type for superevent ${sid} not set (is None)`);
  }
  const external = input.externalEvent;
  if (!external || external.graceid !== superevent.em_type) {
    throw new VoeventRequestError(`event for em_type=${superevent.em_type} not found`);
  }
  const grb = external.extra_attributes?.GRB;
  const coinc: LvkExternalCoincidence = {};
  const gcn = optionalText(request.ext_gcn) ?? optionalText(grb?.trigger_id?.toString());
  if (gcn !== undefined) coinc.gcnNoticeId = gcn;
  const ivorn = optionalText(grb?.ivorn);
  if (ivorn !== undefined) coinc.ivorn = ivorn;
  const observatory = optionalText(request.ext_pipeline) ?? optionalText(external.pipeline);
  if (observatory !== undefined) coinc.observatory = observatory;
  const search = optionalText(request.ext_search) ?? optionalText(external.search);
  if (search !== undefined) coinc.search = search;
  const deltaT =
    optionalNumber(request.delta_t, 'delta_t', [-1000, 1000]) ??
    (typeof external.gpstime === 'number'
      ? roundLikePython(external.gpstime - superevent.t_0, 2)
      : undefined);
  if (deltaT !== undefined) coinc.timeDifference = deltaT;
  const timeFar =
    optionalNumber(request.time_coinc_far, 'time_coinc_far', [0, 1000]) ??
    superevent.time_coinc_far ??
    undefined;
  if (timeFar !== undefined) coinc.timeCoincidenceFar = timeFar;
  const spaceFar =
    optionalNumber(request.space_coinc_far, 'space_coinc_far', [0, 1000]) ??
    superevent.space_coinc_far ??
    undefined;
  if (spaceFar !== undefined) coinc.timeSkyPositionCoincidenceFar = spaceFar;
  const combined = optionalText(request.combined_skymap_filename);
  if (combined !== undefined) coinc.jointSkymapUrl = fileUrl(combined);
  return coinc;
}

function param(name: LvkParamName, value: string, dataType: VoParam['dataType']): VoParam {
  // A name outside the vocabulary (read back from someone else's notice) keeps no metadata.
  const spec: { ucd?: string; unit?: string; description?: string } = PARAMS[name] ?? {};
  const p: VoParam = { name, value };
  if (spec.unit !== undefined) p.unit = spec.unit;
  if (spec.ucd !== undefined) p.ucd = spec.ucd;
  p.dataType = dataType;
  if (spec.description !== undefined) p.description = spec.description;
  return p;
}

const intParam = (name: LvkParamName, value: number | boolean) =>
  param(name, String(typeof value === 'boolean' ? Number(value) : value), 'int');
const floatParam = (name: LvkParamName, value: number) =>
  param(name, pythonFloatRepr(value), 'float');
const stringParam = (name: LvkParamName, value: string) => param(name, value, 'string');

/** The VOEvent document of a notice, in GraceDB's element order. */
export function lvkNoticeToVoevent(notice: LvkNotice): VoEvent {
  const params: VoParam[] = [
    {
      ...intParam('Packet_Type', notice.packetType),
      description: packetTypeDescription(notice.type),
    },
    intParam('internal', notice.internal),
    intParam('Pkt_Ser_Num', notice.serial),
    stringParam('GraceID', notice.graceid),
    stringParam('AlertType', notice.type),
    intParam('HardwareInj', notice.hardwareInj),
    intParam('OpenAlert', notice.openAlert),
    stringParam('EventPage', notice.eventPage),
  ];
  const groups: VoGroup[] = [];
  const event: VoEvent = {
    ivorn: notice.ivorn,
    role: notice.role,
    who: { date: notice.date, author: [['contactName', LVK_AUTHOR]] },
    what: { params, groups },
    whereWhen: {
      observatoryLocation: LVK_OBSERVATORY_LOCATION,
      coordSystem: LVK_COORD_SYSTEM,
      isoTime: notice.isoTime,
      timeUnit: 's',
    },
  };
  if (notice.type !== 'Retraction') {
    params.push(stringParam('Instruments', (notice.instruments ?? []).join(',')));
    if (notice.far !== undefined) params.push(floatParam('FAR', notice.far));
    params.push(intParam('Significant', notice.significant ?? false));
    if (notice.group !== undefined) params.push(stringParam('Group', notice.group));
    if (notice.pipeline !== undefined) params.push(stringParam('Pipeline', notice.pipeline));
    if (notice.search !== undefined) params.push(stringParam('Search', notice.search));
    if (notice.centralFreq !== undefined)
      params.push(floatParam('CentralFreq', notice.centralFreq));
    if (notice.duration !== undefined) params.push(floatParam('Duration', notice.duration));
    if (notice.frequency !== undefined) params.push(floatParam('frequency', notice.frequency));

    const coinc = notice.externalCoincidence;
    if (coinc) {
      const p: VoParam[] = [];
      if (coinc.gcnNoticeId !== undefined)
        p.push(stringParam('External_GCN_Notice_Id', coinc.gcnNoticeId));
      if (coinc.ivorn !== undefined) p.push(stringParam('External_Ivorn', coinc.ivorn));
      if (coinc.observatory !== undefined)
        p.push(stringParam('External_Observatory', coinc.observatory));
      if (coinc.search !== undefined) p.push(stringParam('External_Search', coinc.search));
      if (coinc.timeDifference !== undefined)
        p.push(floatParam('Time_Difference', coinc.timeDifference));
      if (coinc.timeCoincidenceFar !== undefined)
        p.push(floatParam('Time_Coincidence_FAR', coinc.timeCoincidenceFar));
      if (coinc.timeSkyPositionCoincidenceFar !== undefined) {
        p.push(
          floatParam('Time_Sky_Position_Coincidence_FAR', coinc.timeSkyPositionCoincidenceFar),
        );
      }
      if (coinc.jointSkymapUrl !== undefined)
        p.push(stringParam('joint_skymap_fits', coinc.jointSkymapUrl));
      groups.push({
        name: 'External Coincidence',
        type: 'External Coincidence',
        params: p,
        description: GROUP_DESCRIPTION['External Coincidence'],
      });
    }
    if (notice.skymapUrl !== undefined) {
      groups.push({
        name: 'GW_SKYMAP',
        type: 'GW_SKYMAP',
        params: [stringParam('skymap_fits', notice.skymapUrl)],
      });
    }
    groups.push({
      name: 'Classification',
      type: 'Classification',
      params: Object.entries(notice.classification ?? {}).map(([k, v]) =>
        floatParam(k as LvkParamName, v),
      ),
      description: GROUP_DESCRIPTION.Classification,
    });
    groups.push({
      name: 'Properties',
      type: 'Properties',
      params: Object.entries(notice.properties ?? {}).map(([k, v]) =>
        floatParam(k as LvkParamName, v),
      ),
      description: GROUP_DESCRIPTION.Properties,
    });
    const instruments = new Set(notice.instruments ?? []);
    event.how = {
      descriptions: [
        HOW_CANDIDATE,
        ...DETECTORS.filter(([ifo]) => instruments.has(ifo)).map(([, text]) => text),
        ...(notice.coincComment ? [HOW_COINC_COMMENT] : []),
      ],
    };
    event.description = ROOT_DESCRIPTION[notice.type as Exclude<LvkNoticeType, 'Retraction'>];
  }
  if (notice.citations.length > 0) {
    event.citations = {
      eventIvorns: notice.citations,
      description: CITATIONS_DESCRIPTION[notice.type],
    };
  }
  return event;
}
