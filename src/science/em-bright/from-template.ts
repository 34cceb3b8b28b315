import { requireFinite, requirePositive, ScienceInputError } from '../errors.js';
import { type EmBrightModel, templateModel } from './model.js';
import { sampleFractions } from './sample-fractions.js';
import { checkEmBrightSettings, type EmBrightSettings } from './settings.js';
import { templateLattice } from './template-lattice.js';

/** The matched-filter template of the preferred pipeline (SingleInspiral[0]) and network SNR. */
export interface TemplateParameters {
  mass1: number;
  mass2: number;
  spin1z: number;
  spin2z: number;
  /** Network SNR; required by the smoothed method, ignored by the point estimate. */
  snr?: number;
}

/** Key order of em_bright.json, as the reference writes it. */
export const EM_BRIGHT_KEYS = ['HasNS', 'HasRemnant', 'HasMassGap'] as const;
/** Key order for the sub-solar-mass search. */
export const EM_BRIGHT_SSM_KEYS = ['HasSSM', 'HasNS', 'HasMassGap'] as const;

export type EmBrightProperties = Readonly<Record<string, number>>;

export interface EmBrightResult {
  /** The source properties, keys in the reference's order. */
  properties: EmBrightProperties;
  model: EmBrightModel;
}

function checkedTemplate(t: TemplateParameters, source?: string): Required<TemplateParameters> {
  const mass1 = requirePositive(t.mass1, 'mass1', source);
  const mass2 = requirePositive(t.mass2, 'mass2', source);
  const spin1z = requireFinite(t.spin1z, 'spin1z', source);
  const spin2z = requireFinite(t.spin2z, 'spin2z', source);
  for (const [field, chi] of [
    ['spin1z', spin1z],
    ['spin2z', spin2z],
  ] as const) {
    if (Math.abs(chi) > 1) {
      throw new ScienceInputError(field, `must be within [-1, 1], got ${chi}`, source);
    }
  }
  const snr = t.snr === undefined ? Number.NaN : requirePositive(t.snr, 'snr', source);
  return { mass1, mass2, spin1z, spin2z, snr };
}

/**
 * em_bright from template parameters (the reference's `source_properties`): HasNS, HasRemnant,
 * HasMassGap, or for the sub-solar-mass search (`search` = ssm) HasSSM, HasNS, HasMassGap.
 *
 * The smoothed method (default) spreads the template over a lattice whose width shrinks as
 * 1/SNR, so that a template near a boundary yields a probability rather than a hard 0 or 1; the
 * point method classifies the template alone. `source` names the event in error messages.
 */
export function emBrightFromTemplate(
  template: TemplateParameters,
  settings: EmBrightSettings,
  options: { search?: string; source?: string } = {},
): EmBrightResult {
  checkEmBrightSettings(settings);
  const t = checkedTemplate(template, options.source);
  const smoothed = settings.em_bright_method === 'smoothed';
  if (smoothed && Number.isNaN(t.snr)) {
    throw new ScienceInputError(
      'snr',
      "is missing: the smoothed em_bright method scales its scatter with 1/SNR (give the SNR or set em_bright_method to 'point')",
      options.source,
    );
  }
  const widths = smoothed
    ? {
        lnMchirp: settings.em_bright_mchirp_scatter / t.snr,
        eta: settings.em_bright_eta_scatter / t.snr,
      }
    : { lnMchirp: 0, eta: 0 };
  const samples = templateLattice(
    t.mass1,
    t.mass2,
    t.spin1z,
    t.spin2z,
    widths,
    settings.em_bright_grid_size,
  );
  const f = sampleFractions(samples, settings);
  const ssm = options.search?.toLowerCase() === 'ssm';
  const properties: EmBrightProperties = ssm
    ? { HasSSM: f.HasSSM, HasNS: f.HasNS, HasMassGap: f.HasMassGap }
    : { HasNS: f.HasNS, HasRemnant: f.HasRemnant, HasMassGap: f.HasMassGap };
  return { properties, model: templateModel(settings, smoothed, smoothed ? t.snr : undefined) };
}
