import { ScienceInputError } from '../errors.js';

export interface FarSnrThreshold {
  /** FAR (Hz) below which the SNR is capped. */
  far: number;
  /** The cap. */
  snr: number;
}

/**
 * What the counts-based p_astro needs from the configuration. Field names are the configuration
 * keys (src/config/keys/science.ts), so a loaded Config can be passed as is.
 */
export interface PAstroSettings {
  p_astro_snr_star: number;
  p_astro_far_star_hz: number;
  p_astro_livetime_s: number;
  p_astro_mean_counts: { BNS: number; NSBH: number; BBH: number };
  p_astro_far_snr_thresholds: Readonly<Record<string, Readonly<Record<string, FarSnrThreshold>>>>;
  p_astro_fallback_searches: readonly { pipeline: string; search: string }[];
}

export function checkPAstroSettings(s: PAstroSettings): void {
  for (const key of ['p_astro_snr_star', 'p_astro_far_star_hz', 'p_astro_livetime_s'] as const) {
    if (!(s[key] > 0) || !Number.isFinite(s[key])) {
      throw new ScienceInputError(key, `must be a positive number, got ${s[key]}`, 'configuration');
    }
  }
  for (const category of ['BNS', 'NSBH', 'BBH'] as const) {
    const v = s.p_astro_mean_counts?.[category];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      throw new ScienceInputError(
        `p_astro_mean_counts.${category}`,
        `must be a non-negative number, got ${v}`,
        'configuration',
      );
    }
  }
}
