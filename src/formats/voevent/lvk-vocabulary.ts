/**
 * The fixed vocabulary of LVK VOEvent notices: types, GCN packet numbers, and the Param
 * descriptions and UCDs GraceDB writes (notices-and-transport §2). Kept in one table so that the
 * writer and the reader cannot drift apart.
 */
export const LVK_NOTICE_TYPES = [
  'EarlyWarning',
  'Preliminary',
  'Initial',
  'Update',
  'Retraction',
] as const;
export type LvkNoticeType = (typeof LVK_NOTICE_TYPES)[number];

export const PACKET_TYPE: Record<LvkNoticeType, number> = {
  EarlyWarning: 163,
  Preliminary: 150,
  Initial: 151,
  Update: 152,
  Retraction: 164,
};

export const GCN_NOTICE_NAME: Record<LvkNoticeType, string> = {
  EarlyWarning: 'LVC_EARLY_WARNING',
  Preliminary: 'LVC_PRELIMINARY',
  Initial: 'LVC_INITIAL',
  Update: 'LVC_UPDATE',
  Retraction: 'LVC_RETRACTION',
};

/** GraceDB's two-letter `voevent_type` codes and the long names gracedb-sdk translates. */
export const VOEVENT_TYPE_CODES: Record<string, LvkNoticeType> = {
  EW: 'EarlyWarning',
  PR: 'Preliminary',
  IN: 'Initial',
  UP: 'Update',
  RE: 'Retraction',
  earlywarning: 'EarlyWarning',
  preliminary: 'Preliminary',
  initial: 'Initial',
  update: 'Update',
  retraction: 'Retraction',
};

export const LVK_STREAM_IVORN = 'ivo://gwnet/LVC';
export const LVK_AUTHOR =
  'LIGO Scientific Collaboration, Virgo Collaboration, and KAGRA Collaboration';
export const LVK_OBSERVATORY_LOCATION = 'LIGO Virgo';
export const LVK_COORD_SYSTEM = 'UTC-FK5-GEO';

export const ROOT_DESCRIPTION: Partial<Record<LvkNoticeType, string>> = {
  EarlyWarning: 'Early warning report of a candidate gravitational wave event',
  Preliminary: 'Report of a candidate gravitational wave event',
  Initial: 'Report of a candidate gravitational wave event',
  Update: 'Report of a candidate gravitational wave event',
};

export const CITATIONS_DESCRIPTION: Record<LvkNoticeType, string> = {
  EarlyWarning: 'Early warning localization is now available',
  Preliminary: 'Initial localization is now available (preliminary)',
  Initial: 'Initial localization is now available',
  Update: 'Updated localization is now available',
  Retraction: 'Determined to not be a viable GW event candidate',
};

export const HOW_CANDIDATE =
  'Candidate gravitational wave event identified by low-latency analysis';
export const HOW_COINC_COMMENT =
  'A gravitational wave trigger identified a possible counterpart GRB';

/** Detector descriptions, in the order GraceDB lists them. */
export const DETECTORS: [string, string][] = [
  ['H1', 'H1: LIGO Hanford 4 km gravitational wave detector'],
  ['L1', 'L1: LIGO Livingston 4 km gravitational wave detector'],
  ['V1', 'V1: Virgo 3 km gravitational wave detector'],
  ['K1', 'K1: KAGRA 3 km gravitational wave detector'],
];

export interface ParamSpec {
  ucd?: string;
  unit?: string;
  description: string;
}

export const PARAMS = {
  Packet_Type: { description: '' },
  internal: {
    description:
      'Indicates whether this event should be distributed to LSC/Virgo/KAGRA members only',
  },
  Pkt_Ser_Num: {
    description: 'A number that increments by 1 each time a new revision is issued for this event',
  },
  GraceID: { ucd: 'meta.id', description: 'Identifier in GraceDB' },
  AlertType: { ucd: 'meta.version', description: 'VOEvent alert type' },
  HardwareInj: {
    ucd: 'meta.number',
    description: 'Indicates that this event is a hardware injection if 1, no if 0',
  },
  OpenAlert: {
    ucd: 'meta.number',
    description: 'Indicates that this event is an open alert if 1, no if 0',
  },
  EventPage: {
    ucd: 'meta.ref.url',
    description: 'Web page for evolving status of this GW candidate',
  },
  Instruments: {
    ucd: 'meta.code',
    description: 'List of instruments used in analysis to identify this event',
  },
  FAR: {
    ucd: 'arith.rate;stat.falsealarm',
    unit: 'Hz',
    description: 'False alarm rate for GW candidates with this strength or greater',
  },
  Significant: {
    ucd: 'meta.number',
    description: 'Indicates that this event is significant if 1, no if 0',
  },
  Group: { ucd: 'meta.code', description: 'Data analysis working group' },
  Pipeline: { ucd: 'meta.code', description: 'Low-latency data analysis pipeline' },
  Search: { ucd: 'meta.code', description: 'Specific low-latency search' },
  CentralFreq: {
    ucd: 'gw.frequency',
    unit: 'Hz',
    description: 'Central frequency of GW burst signal',
  },
  Duration: {
    ucd: 'time.duration',
    unit: 's',
    description: 'Measured duration of GW burst signal',
  },
  frequency: { ucd: 'gw.frequency', unit: 'Hz', description: 'Mean frequency of GW burst signal' },
  skymap_fits: { ucd: 'meta.ref.url', description: 'Sky Map FITS' },
  BNS: {
    ucd: 'stat.probability',
    description:
      'Probability that the source is a binary neutron star merger (both objects lighter than 3 solar masses)',
  },
  NSBH: {
    ucd: 'stat.probability',
    description:
      'Probability that the source is a neutron star-black merger (secondary lighter than 3 solar masses)',
  },
  BBH: {
    ucd: 'stat.probability',
    description:
      'Probability that the source is a binary black hole merger (both objects heavier than 3 solar masses)',
  },
  Terrestrial: {
    ucd: 'stat.probability',
    description:
      'Probability that the source is terrestrial (i.e., a background noise fluctuation or a glitch)',
  },
  HasNS: {
    ucd: 'stat.probability',
    description:
      'Probability that at least one object in the binary has a mass that is less than 3 solar masses',
  },
  HasRemnant: {
    ucd: 'stat.probability',
    description: 'Probability that a nonzero mass was ejected outside the central remnant object',
  },
  HasMassGap: {
    ucd: 'stat.probability',
    description: 'Probability that the source has at least one object between 3 and 5 solar masses',
  },
  HasSSM: {
    ucd: 'stat.probability',
    description:
      'Probability that the source has at least one object less than 1 solar mass (sub-solar mass)',
  },
  External_GCN_Notice_Id: { ucd: 'meta.id', description: 'GCN trigger ID of external event' },
  External_Ivorn: { ucd: 'meta.id', description: 'IVORN of external event' },
  External_Observatory: { ucd: 'meta.code', description: 'External Observatory' },
  External_Search: { ucd: 'meta.code', description: 'External astrophysical search' },
  Time_Difference: {
    ucd: 'meta.code',
    description:
      'Time difference between GW candidate and external event, centered on the GW candidate',
  },
  Time_Coincidence_FAR: {
    ucd: 'arith.rate;stat.falsealarm',
    unit: 'Hz',
    description: 'Estimated coincidence false alarm rate in Hz using timing',
  },
  Time_Sky_Position_Coincidence_FAR: {
    ucd: 'arith.rate;stat.falsealarm',
    unit: 'Hz',
    description: 'Estimated coincidence false alarm rate in Hz using timing and sky position',
  },
  joint_skymap_fits: { ucd: 'meta.ref.url', description: 'Combined GW-External Sky Map FITS' },
} satisfies Record<string, ParamSpec>;
export type LvkParamName = keyof typeof PARAMS;

export const GROUP_DESCRIPTION = {
  Classification:
    'Source classification: binary neutron star (BNS), neutron star-black hole (NSBH), binary black hole (BBH), or terrestrial (noise)',
  Properties:
    'Qualitative properties of the source, conditioned on the assumption that the signal is an astrophysical compact binary merger',
  'External Coincidence': 'Properties of joint coincidence found by RAVEN',
} as const;

export function packetTypeDescription(type: LvkNoticeType): string {
  return `The Notice Type number is assigned/used within GCN, eg type=${PACKET_TYPE[type]} is an ${GCN_NOTICE_NAME[type]} notice`;
}
