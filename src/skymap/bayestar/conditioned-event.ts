/**
 * Everything the sky-map likelihood needs about one event, as flat typed arrays: the output of
 * conditioning (spec §1.2) and the input of the per-pixel likelihood. It is plain data on
 * purpose, so that it crosses to worker threads as one structured-clone message.
 */
export interface ConditionedEvent {
  /** Detector prefixes, in the order of every per-detector array below. */
  readonly detectors: readonly string[];
  /** Greenwich mean sidereal time at the epoch, rad. */
  readonly gmst: number;
  /** GPS time of the epoch: whole seconds and the fractional part (s). */
  readonly epochSeconds: number;
  readonly epochFraction: number;
  /** Sample rate of the SNR series, Hz. */
  readonly sampleRate: number;
  /** Samples per SNR series (odd): the arrival-time window is ±(N−1)/2 samples. */
  readonly nSamples: number;
  /** Time of each series' first sample relative to the epoch, s. */
  readonly epochs: Float64Array;
  /** Detector positions, light-seconds, Earth-fixed, centred on the timing-weighted mean. */
  readonly locations: Float64Array;
  /** Response tensors, 9 per detector, row-major. */
  readonly responses: Float64Array;
  /** SNR = 1 horizon distances r₁, Mpc. */
  readonly horizons: Float64Array;
  /** SNR series as amplitude and unwrapped phase, nSamples per detector. */
  readonly snrAmplitude: Float64Array;
  readonly snrPhase: Float64Array;
  /** Matched-filter SNR of each trigger (the series' peak), for weights and headers. */
  readonly triggerSnrs: Float64Array;
  /** Distance prior: p(r) ∝ r^distancePower on [rMin, rMax], Mpc. */
  readonly rMin: number;
  readonly rMax: number;
  readonly distancePower: number;
  /** The likelihood is tempered by rescale² (0.83 in production, spec §1.9). */
  readonly rescale: number;
}
