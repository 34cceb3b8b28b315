/**
 * Mock gamma-ray-burst notices for joint MDC tests: GCN Classic VOEvents of Fermi GBM (flight
 * position, packet type 111), Swift BAT (GRB position, 61) and INTEGRAL (wakeup, 53) in their
 * missions' layouts (notices-and-transport.md §4.1, §4.3–4.5), with an LVK-internal IVORN that
 * marks them as MDC test events, as the reference's mock external events are.
 */
import { gpsToIsoUtc } from '../../formats/time/gps.js';
import { type VoEvent, type VoParam, writeVoevent } from '../../formats/voevent/index.js';
import { tjdAndSod } from './gcn-time.js';

export const GRB_MISSIONS = ['Fermi', 'Swift', 'INTEGRAL'] as const;
export type GrbMission = (typeof GRB_MISSIONS)[number];

interface MissionLayout {
  packetType: number;
  /** The IVORN path segment GCN uses (its observatory). */
  ivornPath: string;
  shortName: string;
  how: string;
  howUrl: string;
  whatDescription: string;
  /** Mission-specific Params after TrigID and the time. */
  params: (trigId: string) => VoParam[];
}

const LAYOUTS: Record<GrbMission, MissionLayout> = {
  Fermi: {
    packetType: 111,
    ivornPath: 'Fermi',
    shortName: 'Fermi (via VO-GCN)',
    how: 'Fermi Satellite, GBM Instrument',
    howUrl: 'http://gcn.gsfc.nasa.gov/fermi.html',
    whatDescription: 'The Fermi-GBM location of a transient.',
    params: () => [
      { name: 'Sequence_Num', value: '0', ucd: 'meta.id.part' },
      { name: 'Burst_Inten', value: '0', unit: 'cts', ucd: 'phot.count' },
      { name: 'Data_Integ', value: '0.000', unit: 'sec', ucd: 'time.interval' },
      { name: 'Burst_Signif', value: '0.00', unit: 'sigma', ucd: 'stat.snr' },
      { name: 'Lo_Energy', value: '50000', unit: 'keV' },
      { name: 'Hi_Energy', value: '300000', unit: 'keV' },
    ],
  },
  Swift: {
    packetType: 61,
    ivornPath: 'SWIFT',
    shortName: 'VO-GCN',
    how: 'Swift Satellite, BAT Instrument',
    howUrl: 'http://gcn.gsfc.nasa.gov/swift.html',
    whatDescription: 'BAT Prompt Position for a GRB.',
    params: () => [
      { name: 'Segment_Num', value: '0', ucd: 'meta.id.part' },
      { name: 'Integ_Time', value: '1.024', unit: 'sec', ucd: 'time.interval' },
      { name: 'Rate_Signif', value: '12.00', unit: 'sigma', ucd: 'stat.snr' },
      { name: 'Image_Signif', value: '8.00', unit: 'sigma', ucd: 'stat.snr' },
    ],
  },
  INTEGRAL: {
    packetType: 53,
    ivornPath: 'INTEGRAL',
    shortName: 'INTEGRAL (via VO-GCN)',
    how: 'INTEGRAL Satellite',
    howUrl: 'http://gcn.gsfc.nasa.gov/integral.html',
    whatDescription: 'A transient location detected by one or more instruments on INTEGRAL.',
    params: () => [
      { name: 'Inten_Sigma', value: '10.00', unit: 'sigma', ucd: 'stat.snr' },
      { name: 'Time_Scale', value: '0.5000', unit: 'sec', ucd: 'time' },
    ],
  },
};

/** Swift localizes to arc minutes; Fermi GBM and INTEGRAL's wakeups to degrees. */
export const SWIFT_ERROR_RADIUS_DEG = 0.05;

export interface GrbNoticeInput {
  mission: GrbMission;
  /** GPS time of the burst. */
  gpstime: number;
  /** Right ascension and declination, degrees (J2000). */
  ra: number;
  dec: number;
  /** Error radius, degrees. */
  errorRadius: number;
}

/** GCN's trigger number of a mock notice: the whole GPS second, as the reference uses. */
export function grbTriggerId(gpstime: number): string {
  return String(Math.floor(gpstime));
}

/** `ivo://lvk.internal/<Fermi|SWIFT|INTEGRAL>#MDC-test_event_<time>` (§4.2): search MDC. */
export function grbMdcIvorn(mission: GrbMission, gpstime: number): string {
  return `ivo://lvk.internal/${LAYOUTS[mission].ivornPath}#MDC-test_event_${gpsToIsoUtc(gpstime, 3)}`;
}

export function grbMdcNotice(input: GrbNoticeInput): VoEvent {
  const layout = LAYOUTS[input.mission];
  if (!layout) throw new Error(`GRB notice: unknown mission '${input.mission}'`);
  if (!Number.isFinite(input.gpstime) || input.gpstime <= 0) {
    throw new Error(`GRB notice: GPS time must be a positive number, got ${input.gpstime}`);
  }
  if (!(input.ra >= 0 && input.ra < 360) || !(input.dec >= -90 && input.dec <= 90)) {
    throw new Error(`GRB notice: position RA ${input.ra}, Dec ${input.dec} is not on the sky`);
  }
  if (!(input.errorRadius > 0 && input.errorRadius <= 180)) {
    throw new Error(`GRB notice: error radius ${input.errorRadius}° is not in (0, 180]`);
  }
  const trigId = grbTriggerId(input.gpstime);
  const { tjd, sod } = tjdAndSod(input.gpstime);
  return {
    ivorn: grbMdcIvorn(input.mission, input.gpstime),
    role: 'observation',
    who: {
      authorIvorn: 'ivo://nasa.gsfc.tan/gcn',
      author: [['shortName', layout.shortName]],
      date: gpsToIsoUtc(input.gpstime, 0, { suffix: '' }),
      description: `A mock (MDC) ${input.mission} notice written by gwcelery-ts for pipeline tests.`,
    },
    what: {
      params: [
        { name: 'Packet_Type', value: String(layout.packetType) },
        { name: 'Pkt_Ser_Num', value: '1' },
        { name: 'TrigID', value: trigId, ucd: 'meta.id' },
        { name: 'Burst_TJD', value: String(tjd), unit: 'days', ucd: 'time' },
        { name: 'Burst_SOD', value: sod.toFixed(2), unit: 'sec', ucd: 'time' },
        ...layout.params(trigId),
        { name: 'Coords_Type', value: '1', unit: 'dn' },
        { name: 'Coords_String', value: 'source_object' },
      ],
      groups: [],
      description: layout.whatDescription,
    },
    whereWhen: {
      observatoryLocation: 'GEOLUN',
      coordSystem: 'UTC-FK5-GEO',
      isoTime: gpsToIsoUtc(input.gpstime, 2),
      timeUnit: 's',
      position: {
        unit: 'deg',
        name1: 'RA',
        name2: 'Dec',
        c1: Number(input.ra.toFixed(4)),
        c2: Number(input.dec.toFixed(4)),
        errorRadius: Number(input.errorRadius.toFixed(4)),
      },
    },
    how: { descriptions: [layout.how], references: [{ uri: layout.howUrl, type: 'url' }] },
  };
}

export function grbMdcNoticeXml(input: GrbNoticeInput): string {
  return writeVoevent(grbMdcNotice(input));
}
