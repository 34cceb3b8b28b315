import { ScienceInputError } from '../errors.js';
import type { PAstroSettings } from './settings.js';

/**
 * The SNR that enters the p_astro Bayes factor. Matched-filter SNR keeps growing for loud events
 * while the pipeline's FAR bottoms out at the edge of its background, so for FARs below the
 * pipeline's limiting FAR the SNR is capped at the SNR of that limit; otherwise loud events
 * would be scored on an extrapolation. gstlal is exempt (its FAR does not saturate that way).
 * Thresholds are looked up by pipeline and the sorted, comma-joined instrument set.
 */
export function chooseSnr(
  far: number,
  snr: number,
  pipeline: string,
  instruments: Iterable<string>,
  thresholds: PAstroSettings['p_astro_far_snr_thresholds'],
): number {
  const name = pipeline.toLowerCase();
  if (name === 'gstlal') return snr;
  const ifos = [...new Set(instruments)].sort().join(',');
  const byIfos = thresholds[name];
  if (!byIfos) {
    throw new ScienceInputError(
      'p_astro_far_snr_thresholds',
      `has no entry for pipeline '${name}' (known: ${Object.keys(thresholds).join(', ') || 'none'})`,
      'configuration',
    );
  }
  const t = byIfos[ifos];
  if (!t) {
    throw new ScienceInputError(
      'p_astro_far_snr_thresholds',
      `has no entry for pipeline '${name}' and instruments '${ifos}'`,
      'configuration',
    );
  }
  return far < t.far && snr > t.snr ? t.snr : snr;
}
