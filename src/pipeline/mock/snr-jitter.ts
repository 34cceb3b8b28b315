/**
 * Jittered copies of a mock upload, standing in for the several pipeline instances that upload
 * one real signal: each detector's SNR moves a little, and everything that follows from the SNR
 * moves with it, so that the copies rank differently (the superevent manager's preferred event
 * changes between them, as it does in O4) without contradicting themselves.
 */
import type { CoincDocumentInput } from '../../formats/ligolw/index.js';
import type { RandomSource } from './random.js';

/** Standard deviation of the per-detector SNR perturbation. */
export const SNR_JITTER_SIGMA = 0.05;

/**
 * A copy of `input` with each trigger's SNR perturbed by N(0, σ²) and, consistently:
 *   - the network SNR ρ = √Σρᵢ²,
 *   - the false-alarm rates scaled by exp(−Δ(ρ²)/2), the Gaussian-noise tail (a louder copy is
 *     rarer),
 *   - the log likelihood ratio shifted by Δ(ρ²)/2,
 *   - each trigger's effective distance scaled by ρᵢ/ρᵢ' (it is σ/ρᵢ).
 * Rows not touched are shared with `input`; rows changed are new objects.
 */
export function jitterSnr(
  input: CoincDocumentInput,
  random: RandomSource,
  sigma = SNR_JITTER_SIGMA,
): CoincDocumentInput {
  let before = 0;
  let after = 0;
  const snglInspirals = input.snglInspirals.map((s) => {
    const snr = s.snr ?? 0;
    // Keep an SNR positive however unlucky the draw.
    const jittered = Math.max(snr + sigma * random.normal(), snr / 2);
    before += snr * snr;
    after += jittered * jittered;
    const effDistance =
      s.eff_distance === null || s.eff_distance === undefined || jittered === 0
        ? (s.eff_distance ?? null)
        : (s.eff_distance * snr) / jittered;
    return { ...s, snr: jittered, eff_distance: effDistance };
  });
  const halfDelta = (after - before) / 2;
  const scale = Math.exp(-halfDelta);
  const far = (value: number | null | undefined) =>
    value === null || value === undefined ? (value ?? null) : value * scale;
  const likelihood = input.coincEvent.likelihood;
  return {
    ...input,
    snglInspirals,
    coincEvent: {
      ...input.coincEvent,
      likelihood:
        likelihood === null || likelihood === undefined
          ? (likelihood ?? null)
          : likelihood + halfDelta,
    },
    coincInspiral: {
      ...input.coincInspiral,
      snr: Math.sqrt(after),
      combined_far: far(input.coincInspiral.combined_far),
      false_alarm_rate: far(input.coincInspiral.false_alarm_rate),
    },
  };
}
