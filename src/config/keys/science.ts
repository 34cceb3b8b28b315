import { z } from 'zod';
import { defineKeys } from '../define.js';

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

const farSnrThreshold = z.object({ far: nonNegative, snr: positive });
const noCap = { far: 0, snr: 1e10 };
const capAt10 = { far: 3.203009291289352e-10, snr: 10 };

/**
 * Keys of the source-classification layer (em_bright, p_astro). The science functions take these
 * keys by name from a loaded Config; none of them differs between presets because the numbers are
 * physics, not deployment.
 */
export const scienceKeys = defineKeys({
  em_bright_ns_max_mass: {
    schema: positive,
    default: 3.0,
    description:
      'Maximum neutron-star mass (M☉): HasNS = P(m2 ≤ this), and the BNS/BBH cut of the remnant-mass fit',
  },
  em_bright_ns_radius_km: {
    schema: positive,
    default: 15,
    description:
      'Neutron-star radius (km) giving the compactness in the Foucart et al. 2018 remnant-mass fit (HasRemnant)',
  },
  em_bright_mass_gap_min: {
    schema: positive,
    default: 3,
    description: 'Lower edge (M☉, inclusive) of the mass gap for HasMassGap',
  },
  em_bright_mass_gap_max: {
    schema: positive,
    default: 5,
    description: 'Upper edge (M☉, inclusive) of the mass gap for HasMassGap',
  },
  em_bright_ssm_max_mass: {
    schema: positive,
    default: 1.0,
    description: 'Sub-solar-mass bound (M☉): HasSSM = P(m2 < this), for the SSM search',
  },
  em_bright_method: {
    schema: z.enum(['smoothed', 'point']),
    default: 'smoothed',
    description:
      "Template em_bright: 'smoothed' spreads the template over an SNR-scaled mass lattice, 'point' classifies the template alone (0 or 1)",
  },
  em_bright_mchirp_scatter: {
    schema: nonNegative,
    default: 0.1,
    description: 'Smoothed em_bright: σ of ln(chirp mass) times the network SNR',
  },
  em_bright_eta_scatter: {
    schema: nonNegative,
    default: 0.3,
    description: 'Smoothed em_bright: σ of the symmetric mass ratio η times the network SNR',
  },
  em_bright_grid_size: {
    schema: z.number().int().min(1).max(1000),
    default: 100,
    description: 'Smoothed em_bright: lattice nodes per axis (n² mass samples; 100 gives 1% steps)',
  },
  em_bright_cwb_fallback_mass: {
    schema: positive,
    default: 30,
    description: 'cWB BBH em_bright: component mass (M☉) used when cWB reports no chirp mass',
  },
  p_astro_snr_star: {
    schema: positive,
    default: 8.5,
    description: 'p_astro fallback: threshold SNR ρ* of the foreground density 3ρ*³/ρ⁴',
  },
  p_astro_far_star_hz: {
    schema: positive,
    default: 1 / (30 * 86400),
    description: 'p_astro fallback: threshold FAR* (Hz) of the background density FAR/FAR*',
  },
  p_astro_livetime_s: {
    schema: positive,
    default: 14394240,
    description:
      'p_astro fallback: livetime (s) behind the mean counts; the terrestrial count is FAR* × livetime',
  },
  p_astro_mean_counts: {
    schema: z.object({ BNS: nonNegative, NSBH: nonNegative, BBH: nonNegative }),
    default: { BNS: 2.11050326523, NSBH: 1.56679410666, BBH: 9.26042350393 },
    description:
      'p_astro fallback: Poisson mean counts per source category (reference H1L1V1-mean_counts-1126051217-61603201)',
  },
  p_astro_far_snr_thresholds: {
    schema: z.record(z.string(), z.record(z.string(), farSnrThreshold)),
    default: {
      pycbc: {
        H1: noCap,
        L1: noCap,
        V1: noCap,
        'H1,L1': capAt10,
        'H1,V1': capAt10,
        'L1,V1': capAt10,
        'H1,L1,V1': capAt10,
      },
      spiir: {
        H1: noCap,
        L1: noCap,
        V1: noCap,
        'H1,L1': noCap,
        'H1,V1': noCap,
        'L1,V1': noCap,
        'H1,L1,V1': noCap,
      },
      mbta: {
        H1: noCap,
        L1: noCap,
        V1: noCap,
        'H1,L1': { far: 3.963723997970573e-10, snr: 10 },
        'H1,V1': { far: 7.046620440836575e-10, snr: 10 },
        'L1,V1': { far: 7.046620440836575e-10, snr: 10 },
        'H1,L1,V1': { far: 1e-14, snr: 12 },
      },
    },
    description:
      'p_astro fallback: per pipeline and sorted instruments, cap the SNR at snr when FAR < far (reference H1L1V1-pipeline-far_snr-thresholds)',
  },
  p_astro_fallback_searches: {
    schema: z.array(z.object({ pipeline: z.string().min(1), search: z.string().min(1) })),
    default: [
      { pipeline: 'spiir', search: 'earlywarning' },
      { pipeline: 'pycbc', search: 'earlywarning' },
      { pipeline: 'gstlal', search: 'mdc' },
    ],
    description:
      'Pipeline/search pairs whose p_astro gwcelery computes itself (all others upload their own)',
  },
});
