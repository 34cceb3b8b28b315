import type { PsdSeries } from './psd.js';
import type { TemplateParameters } from './signal-model.js';

/**
 * A coincident compact-binary candidate as BAYESTAR reads it from a search pipeline's upload
 * (coinc.xml): one trigger per detector, all from the same template. Independent of the file
 * format: ligolw-event.ts builds it from a LIGO_LW document, simulate.ts from an injection.
 */

/** A complex matched-filter SNR time series, uniformly sampled. */
export interface ComplexTimeSeries {
  /** GPS time of the first sample, ns. */
  readonly epochNs: bigint;
  /** Sample spacing, s. */
  readonly deltaT: number;
  readonly re: ArrayLike<number>;
  readonly im: ArrayLike<number>;
}

export interface DetectorTrigger {
  /** Detector prefix (H1, L1, V1, K1, I1). */
  readonly detector: string;
  /** GPS time of the SNR peak (sngl_inspiral end_time, time-slide offset applied), ns. */
  readonly timeNs: bigint;
  /** Matched-filter SNR at the peak. */
  readonly snr: number;
  /** Phase of the complex SNR at the peak (coa_phase), in the pipeline's own convention. */
  readonly phase: number;
  /** Noise PSD the pipeline used for this detector. */
  readonly psd: PsdSeries;
  /** The pipeline's SNR time series around the trigger, when it sent one. */
  readonly snrSeries?: ComplexTimeSeries;
  /** σ² (sngl_inspiral sigmasq): the squared SNR = 1 horizon in Mpc², when reported. */
  readonly sigmasq?: number;
}

export interface CoincEvent {
  /** Event identifier for messages and the FITS OBJECT card (e.g. the GraceDB id). */
  readonly id?: string;
  /** process.program of the pipeline: decides the sign convention of phases (spec §1.1). */
  readonly program: string;
  readonly template: TemplateParameters;
  readonly triggers: readonly DetectorTrigger[];
}

/** Pipelines whose SNR phases are the complex conjugate of the FINDCHIRP convention. */
const ANTI_FINDCHIRP_PROGRAMS = new Set([
  'gstlal_inspiral',
  'gstlal_inspiral_postcohspiir_online',
  'gstlal_inspiral_postcoh',
  'MBTAOnline',
  'MBTA',
  'bayestar_realize_coincs',
  'bayestar-realize-coincs',
  'sgnl-inspiral',
  'sgnl_inspiral',
]);

/**
 * Whether the pipeline's phases must be conjugated (true), left alone (false), or the program
 * is unknown, which is an error: a wrong sign would silently mirror the sky map.
 */
export function conjugatesPhases(program: string): boolean {
  if (ANTI_FINDCHIRP_PROGRAMS.has(program)) return true;
  if (/^pycbc/i.test(program)) return false;
  throw new Error(
    `unknown pipeline program '${program}': its SNR phase convention is not known (expected gstlal_inspiral, MBTAOnline, gstlal_inspiral_postcohspiir_online, sgnl-inspiral, bayestar-realize-coincs or pycbc*)`,
  );
}
