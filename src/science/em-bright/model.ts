import type { EmBrightSettings } from './settings.js';

/**
 * Which model produced an em_bright result. The uploaded em_bright.json must keep exactly the
 * reference's keys (the Kafka alert schema types `properties` as a map of doubles, so a string
 * field would break every alert); the model therefore travels beside the file, for the task's
 * log line and upload comment.
 */
export interface EmBrightModel {
  /** Short identifier: `analytic-smoothed`, `analytic-point` or `analytic-samples`. */
  name: 'analytic-smoothed' | 'analytic-point' | 'analytic-samples';
  /** One sentence with every number that shaped the result. */
  description: string;
}

function physics(s: EmBrightSettings): string {
  return (
    `HasNS: m2 ≤ ${s.em_bright_ns_max_mass} M☉; HasRemnant: Foucart et al. 2018 remnant mass > 0 ` +
    `with R_NS = ${s.em_bright_ns_radius_km} km; HasMassGap: a component in ` +
    `[${s.em_bright_mass_gap_min}, ${s.em_bright_mass_gap_max}] M☉; ` +
    `HasSSM: m2 < ${s.em_bright_ssm_max_mass} M☉`
  );
}

const NOT_LVK = 'analytic stand-in, not the LVK trained classifiers (unavailable)';

export function templateModel(s: EmBrightSettings, smoothed: boolean, snr?: number): EmBrightModel {
  if (!smoothed) {
    return {
      name: 'analytic-point',
      description: `${NOT_LVK}; template point estimate (values are 0 or 1); ${physics(s)}`,
    };
  }
  const n = s.em_bright_grid_size;
  return {
    name: 'analytic-smoothed',
    description:
      `${NOT_LVK}; template smoothed over a ${n}×${n} normal-quantile lattice with ` +
      `σ(ln Mc) = ${s.em_bright_mchirp_scatter}/SNR and σ(η) = ${s.em_bright_eta_scatter}/SNR` +
      `${snr === undefined ? '' : ` (SNR ${snr})`}; ${physics(s)}`,
  };
}

export function samplesModel(s: EmBrightSettings, count: number): EmBrightModel {
  return {
    name: 'analytic-samples',
    description:
      `fractions of ${count} posterior samples with one fixed equation of state (the reference ` +
      `marginalises over 10,000 EOS draws, unavailable); ${physics(s)}`,
  };
}
