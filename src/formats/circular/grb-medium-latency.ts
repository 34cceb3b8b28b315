/**
 * The medium-latency GRB circular (gwcelery-spec §7.6): what the targeted searches around a
 * gamma-ray burst found, hours after the burst. X-pipeline (unmodelled, "Burst") and PyGRB
 * (modelled, "CBC") each either found a candidate (a false alarm probability below their
 * threshold) or exclude sources out to a distance.
 */
import { gpsToIsoUtc } from '../time/gps.js';
import { CircularError } from './compose.js';
import { englishList, OPENING, paragraphs } from './wording.js';

/** A false alarm probability below these counts as a detection (the reference's cuts). */
export const DETECTION_FAP = { xpipeline: 0.001, pygrb: 0.01 } as const;

/** The files a targeted search uploads to the external event. */
export const MEDIUM_LATENCY_FILES = {
  xpipelineFap: 'false_alarm_probability_x.json',
  xpipelineDistances: 'distances_x.json',
  pygrbFap: 'false_alarm_probability_pygrb.json',
  pygrbDistances: 'distances_pygrb.json',
} as const;

export interface XpipelineResult {
  /** `Online Xpipeline` of false_alarm_probability_x.json. */
  fap: number;
  /** `Burst Exclusion` of distances_x.json, Mpc; needed when there is no detection. */
  burstExclusionMpc?: number;
}

export interface PygrbResult {
  /** `Online PyGRB` of false_alarm_probability_pygrb.json. */
  fap: number;
  /** `NSNS Exclusion` and `NSBH Exclusion` of distances_pygrb.json, Mpc. */
  nsnsExclusionMpc?: number;
  nsbhExclusionMpc?: number;
}

export interface MediumLatencyInput {
  /** The external event, e.g. E1234. */
  graceid: string;
  /** Its page, for the reader. */
  eventUrl: string;
  /** Fermi, Swift, INTEGRAL, ... */
  observatory: string;
  /** The mission's trigger number. */
  triggerId: string | null;
  /** The burst's trigger time (GPS). */
  gpsTime: number;
  xpipeline?: XpipelineResult;
  pygrb?: PygrbResult;
}

export interface MediumLatencyDraft {
  subject: string;
  body: string;
  /** `SUBJECT: ...`, a blank line, the body. */
  text: string;
  detections: ('CBC' | 'Burst')[];
  exclusions: ('CBC' | 'Burst')[];
}

/** Writes the draft; refuses an input that names no search, or an exclusion without its distances. */
export function composeGrbMediumLatency(input: MediumLatencyInput): MediumLatencyDraft {
  const { graceid, xpipeline, pygrb } = input;
  if (!xpipeline && !pygrb) {
    throw new CircularError(
      `${graceid}: no targeted-search results (${MEDIUM_LATENCY_FILES.xpipelineFap} or ${MEDIUM_LATENCY_FILES.pygrbFap}) on the event`,
    );
  }
  for (const [name, result] of [
    [MEDIUM_LATENCY_FILES.xpipelineFap, xpipeline],
    [MEDIUM_LATENCY_FILES.pygrbFap, pygrb],
  ] as const) {
    if (result && !(Number.isFinite(result.fap) && result.fap >= 0 && result.fap <= 1)) {
      throw new CircularError(
        `${graceid}: ${name} holds a false alarm probability of ${result.fap}, expected a number between 0 and 1`,
      );
    }
  }
  const burstFound = xpipeline !== undefined && xpipeline.fap < DETECTION_FAP.xpipeline;
  const cbcFound = pygrb !== undefined && pygrb.fap < DETECTION_FAP.pygrb;
  if (xpipeline && !burstFound) requireDistance(graceid, xpipeline.burstExclusionMpc, 'Burst');
  if (pygrb && !cbcFound) {
    requireDistance(graceid, pygrb.nsnsExclusionMpc, 'NSNS');
    requireDistance(graceid, pygrb.nsbhExclusionMpc, 'NSBH');
  }

  const detections: ('CBC' | 'Burst')[] = [];
  const exclusions: ('CBC' | 'Burst')[] = [];
  if (pygrb) (cbcFound ? detections : exclusions).push('CBC');
  if (xpipeline) (burstFound ? detections : exclusions).push('Burst');

  const grb = `${input.observatory} trigger ${input.triggerId ?? graceid}`;
  const utc = gpsToIsoUtc(input.gpsTime, 2, { suffix: '' }).replace('T', ' ');
  const searches = englishList(
    [
      pygrb && 'a modelled search for compact binary mergers (PyGRB)',
      xpipeline && 'an unmodelled search for generic transients (X-pipeline)',
    ].filter((s): s is string => typeof s === 'string'),
  );
  const subject = detections.length
    ? `${grb}: LIGO/Virgo/KAGRA candidate from targeted searches`
    : `${grb}: Upper limits from LIGO/Virgo/KAGRA targeted searches`;
  const body = paragraphs([
    OPENING,
    `We searched data from the LIGO, Virgo and KAGRA detectors around the time of ${grb} (${utc} UTC, GPS time ${input.gpsTime.toFixed(2)}; GraceDB ${graceid}: ${input.eventUrl}) with ${searches}.`,
    pygrb && (cbcFound ? cbcDetection(pygrb.fap) : cbcExclusion(pygrb)),
    xpipeline && (burstFound ? burstDetection(xpipeline.fap) : burstExclusion(xpipeline)),
    detections.length
      ? 'Further analysis of the candidate is under way; updates will follow in circulars.'
      : `No significant gravitational-wave candidate was found in association with ${grb}.`,
  ]);
  return { subject, body, text: `SUBJECT: ${subject}\n\n${body}`, detections, exclusions };
}

function requireDistance(graceid: string, mpc: number | undefined, kind: string): void {
  const file =
    kind === 'Burst'
      ? MEDIUM_LATENCY_FILES.xpipelineDistances
      : MEDIUM_LATENCY_FILES.pygrbDistances;
  if (mpc === undefined || !Number.isFinite(mpc) || mpc <= 0) {
    throw new CircularError(
      `${graceid}: no ${kind} exclusion distance in ${file} (needed when the search found no candidate), got ${mpc}`,
    );
  }
}

function fapText(fap: number): string {
  return fap === 0 ? '0' : fap.toExponential(1);
}

function cbcDetection(fap: number): string {
  return `The modelled search found a candidate consistent with a compact binary merger, with a false alarm probability of ${fapText(fap)} (below the ${DETECTION_FAP.pygrb} threshold for reporting).`;
}

function cbcExclusion(pygrb: PygrbResult): string {
  return `The modelled search found no significant candidate (false alarm probability ${fapText(pygrb.fap)}). Assuming a binary neutron star progenitor, we exclude a merger closer than ${Math.round(pygrb.nsnsExclusionMpc!)} Mpc; assuming a neutron star–black hole progenitor, closer than ${Math.round(pygrb.nsbhExclusionMpc!)} Mpc (90% confidence exclusion distances).`;
}

function burstDetection(fap: number): string {
  return `The unmodelled search found a candidate with a false alarm probability of ${fapText(fap)} (below the ${DETECTION_FAP.xpipeline} threshold for reporting).`;
}

function burstExclusion(xpipeline: XpipelineResult): string {
  return `The unmodelled search found no significant candidate (false alarm probability ${fapText(xpipeline.fap)}). For circularly polarized sine-Gaussian signals at 150 Hz carrying 10^-2 solar masses of energy in gravitational waves, we exclude a source closer than ${Math.round(xpipeline.burstExclusionMpc!)} Mpc (90% confidence exclusion distance).`;
}
