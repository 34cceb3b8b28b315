import { ScienceInputError } from '../errors.js';
import type { NeutronStarModel } from './foucart-disk-mass.js';

/**
 * What em_bright needs from the configuration. The field names are the configuration keys
 * (src/config/keys/science.ts), so a loaded Config can be passed as is; science/ itself never
 * reads the configuration.
 */
export interface EmBrightSettings {
  em_bright_ns_max_mass: number;
  em_bright_ns_radius_km: number;
  em_bright_mass_gap_min: number;
  em_bright_mass_gap_max: number;
  em_bright_ssm_max_mass: number;
  em_bright_method: 'smoothed' | 'point';
  em_bright_mchirp_scatter: number;
  em_bright_eta_scatter: number;
  em_bright_grid_size: number;
  em_bright_cwb_fallback_mass: number;
}

/** Cross-key checks the per-key schemas cannot express. */
export function checkEmBrightSettings(s: EmBrightSettings): void {
  const positive: (keyof EmBrightSettings)[] = [
    'em_bright_ns_max_mass',
    'em_bright_ns_radius_km',
    'em_bright_ssm_max_mass',
    'em_bright_cwb_fallback_mass',
  ];
  for (const key of positive) {
    const v = s[key];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ScienceInputError(key, `must be a positive number, got ${v}`, 'configuration');
    }
  }
  if (!(s.em_bright_mass_gap_min < s.em_bright_mass_gap_max)) {
    throw new ScienceInputError(
      'em_bright_mass_gap_min',
      `must be below em_bright_mass_gap_max (${s.em_bright_mass_gap_min} ≥ ${s.em_bright_mass_gap_max})`,
      'configuration',
    );
  }
  if (!Number.isInteger(s.em_bright_grid_size) || s.em_bright_grid_size < 1) {
    throw new ScienceInputError(
      'em_bright_grid_size',
      `must be a positive integer, got ${s.em_bright_grid_size}`,
      'configuration',
    );
  }
  for (const key of ['em_bright_mchirp_scatter', 'em_bright_eta_scatter'] as const) {
    if (!(s[key] >= 0) || !Number.isFinite(s[key])) {
      throw new ScienceInputError(
        key,
        `must be a non-negative number, got ${s[key]}`,
        'configuration',
      );
    }
  }
}

export function neutronStarModel(s: EmBrightSettings): NeutronStarModel {
  return { maxMass: s.em_bright_ns_max_mass, radiusKm: s.em_bright_ns_radius_km };
}
