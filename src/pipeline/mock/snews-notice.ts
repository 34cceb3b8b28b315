/**
 * A mock SNEWS notice: a GCN Classic VOEvent of packet type 149 (notices-and-transport.md §4.1,
 * §4.6) for a supernova-neutrino burst at a given time, with an IVORN that marks it as an LVK
 * MDC test event, as the reference's mock SNEWS events are. SNEWS gives no position: RA = Dec
 * = 0 with a 360° error radius.
 */
import { gpsToIsoUtc } from '../../formats/time/gps.js';
import { type VoEvent, type VoParam, writeVoevent } from '../../formats/voevent/index.js';
import { tjdAndSod } from './gcn-time.js';

export const SNEWS_PACKET_TYPE = 149;
const DETECTOR_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
const DETECTOR_FLAGS = ['Participate', 'Possible', 'Good', 'Override'] as const;

export interface SnewsDetectorFlags {
  participate: boolean;
  possible: boolean;
  good: boolean;
  override: boolean;
}

export interface SnewsNoticeInput {
  /** GPS time of the neutrino burst. */
  gpstime: number;
  /** When the notice was written (default: the burst time). */
  noticeGpstime?: number;
  /** Detectors A–H in order; missing ones took no part. */
  detectors?: readonly SnewsDetectorFlags[];
}

/** A coincidence of three good detectors, the usual shape of a SNEWS alert. */
export const DEFAULT_SNEWS_DETECTORS: readonly SnewsDetectorFlags[] = [
  { participate: true, possible: false, good: true, override: false },
  { participate: true, possible: false, good: true, override: false },
  { participate: false, possible: false, good: false, override: false },
  { participate: true, possible: true, good: false, override: false },
  { participate: true, possible: false, good: true, override: false },
];

/** GCN's trigger number of a mock notice: the whole GPS second, as the reference uses. */
export function snewsTriggerId(gpstime: number): string {
  return String(Math.floor(gpstime));
}

/** The IVORN of an LVK-internal MDC re-issue (§4.2): its `MDC-test_event` marks search MDC. */
export function snewsMdcIvorn(gpstime: number): string {
  return `ivo://lvk.internal/SNEWS#MDC-test_event_${gpsToIsoUtc(gpstime, 3)}`;
}

/**
 * Misc_flags packs four bits per detector, A in the lowest nibble: Participate, Possible, Good,
 * Override from bit 0 up (the layout of GCN's own SNEWS notices).
 */
export function snewsMiscFlags(detectors: readonly SnewsDetectorFlags[]): string {
  let value = 0;
  detectors.slice(0, DETECTOR_LETTERS.length).forEach((d, i) => {
    const nibble =
      (d.participate ? 1 : 0) | (d.possible ? 2 : 0) | (d.good ? 4 : 0) | (d.override ? 8 : 0);
    value += nibble * 16 ** i;
  });
  return `0x${value.toString(16)}`;
}

const bool = (value: boolean) => (value ? 'true' : 'false');

export function snewsMdcNotice(input: SnewsNoticeInput): VoEvent {
  if (!Number.isFinite(input.gpstime) || input.gpstime <= 0) {
    throw new Error(`SNEWS notice: GPS time must be a positive number, got ${input.gpstime}`);
  }
  const detectors = input.detectors ?? DEFAULT_SNEWS_DETECTORS;
  const { tjd, sod } = tjdAndSod(input.gpstime);
  const noticeIso = gpsToIsoUtc(input.noticeGpstime ?? input.gpstime, 0, { suffix: '' });
  const detectorParams: VoParam[] = DETECTOR_LETTERS.flatMap((letter, i) => {
    const d = detectors[i] ?? { participate: false, possible: false, good: false, override: false };
    const values = [d.participate, d.possible, d.good, d.override];
    return DETECTOR_FLAGS.map((flag, j) => ({
      name: `Detector_${letter}_${flag}`,
      value: bool(values[j]!),
    }));
  });
  return {
    ivorn: snewsMdcIvorn(input.gpstime),
    role: 'observation',
    who: {
      authorIvorn: 'ivo://nasa.gsfc.tan/gcn',
      author: [['shortName', 'SNEWS (via VO-TAN)']],
      date: noticeIso,
      description: 'A mock (MDC) SNEWS notice written by gwcelery-ts for pipeline tests.',
    },
    what: {
      params: [
        { name: 'Packet_Type', value: String(SNEWS_PACKET_TYPE) },
        { name: 'Pkt_Ser_Num', value: '1' },
        { name: 'TrigID', value: snewsTriggerId(input.gpstime), ucd: 'meta.id' },
        { name: 'Event_TJD', value: String(tjd), unit: 'days', ucd: 'time' },
        { name: 'Event_SOD', value: sod.toFixed(2), unit: 'sec', ucd: 'time' },
        { name: 'Event_Signal', value: '0', unit: 'counts' },
        // The Trigger_ID bits of a coincidence notice with no test or retraction flag set.
        { name: 'Trigger_ID', value: '0x7' },
        { name: 'Misc_flags', value: snewsMiscFlags(detectors) },
        { name: 'Coords_Type', value: '1', unit: 'dn' },
        { name: 'Coords_String', value: 'source_object' },
      ],
      groups: [
        {
          name: 'Trigger_ID',
          params: [
            { name: 'SubType', value: 'coinc' },
            { name: 'Test', value: 'false' },
            { name: 'RADec_valid', value: 'false' },
            { name: 'Retraction', value: 'false' },
            { name: 'InternalTest', value: 'false' },
          ],
        },
        { name: 'Misc_Flags', params: detectorParams },
      ],
      description:
        'A transient location detected by network of detectors in the SuperNova Early Warning System.',
    },
    whereWhen: {
      observatoryLocation: 'GEOLUN',
      coordSystem: 'UTC-FK5-GEO',
      isoTime: gpsToIsoUtc(input.gpstime, 2),
      timeUnit: 's',
      position: { unit: 'deg', name1: 'RA', name2: 'Dec', c1: 0, c2: 0, errorRadius: 360 },
    },
    how: {
      descriptions: ['SNEWS: SuperNova Early Warning System'],
      references: [{ uri: 'http://gcn.gsfc.nasa.gov/snews.html', type: 'url' }],
    },
  };
}

/** The notice as the XML GCN would deliver. */
export function snewsMdcNoticeXml(input: SnewsNoticeInput): string {
  return writeVoevent(snewsMdcNotice(input));
}
