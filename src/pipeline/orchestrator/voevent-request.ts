/**
 * The fields of GraceDB's "create VOEvent" request for an alert (gwcelery-spec §4.5 step 8):
 * GraceDB renders the notice; the orchestrator only says what goes in it.
 */
import type { PipelineAlertType } from '../../formats/alert/types.js';
import { skymapType } from './alert-files.js';
import { isSignificantAlert, voeventTypeOf } from './policy.js';

export interface VoeventRequestInput {
  alertType: PipelineAlertType;
  /** Versioned name of the sky map on the superevent; absent for a retraction. */
  skymapFilename?: string;
  /** em_bright.json contents (HasNS, HasRemnant, HasMassGap, HasSSM). */
  emBright?: Record<string, unknown> | null;
  /** p_astro contents (BNS, NSBH, BBH, Terrestrial). */
  pAstro?: Record<string, unknown> | null;
  ravenCoinc?: boolean;
  /** Versioned name of the combined GW × external map on the superevent. */
  combinedSkymapFilename?: string;
}

/** em_bright keys as the VOEvent form names them. */
const EM_BRIGHT_FIELDS: [string, string][] = [
  ['HasNS', 'ProbHasNS'],
  ['HasRemnant', 'ProbHasRemnant'],
  ['HasMassGap', 'HasMassGap'],
  ['HasSSM', 'HasSSM'],
];
const P_ASTRO_FIELDS = ['BNS', 'NSBH', 'BBH', 'Terrestrial'];

export interface VoeventRequest {
  voeventType: ReturnType<typeof voeventTypeOf>;
  fields: Record<string, string | number | boolean>;
}

function probability(source: Record<string, unknown>, key: string, file: string): number {
  const value = source[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`${file}: ${key} must be a probability, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The type and form fields of the VOEvent GraceDB creates for this alert. */
export function voeventRequest(input: VoeventRequestInput): VoeventRequest {
  const voeventType = voeventTypeOf(input.alertType);
  const fields: Record<string, string | number | boolean> = {
    internal: false,
    open_alert: true,
  };
  if (voeventType === 'retraction') return { voeventType, fields };
  fields.Significant = isSignificantAlert(input.alertType);
  if (input.skymapFilename) {
    fields.skymap_filename = input.skymapFilename;
    fields.skymap_type = skymapType(input.skymapFilename);
  }
  fields.raven_coinc = input.ravenCoinc ?? false;
  if (input.combinedSkymapFilename) fields.combined_skymap_filename = input.combinedSkymapFilename;
  for (const [key, field] of EM_BRIGHT_FIELDS) {
    if (input.emBright && key in input.emBright) {
      fields[field] = probability(input.emBright, key, 'em_bright');
    }
  }
  for (const key of P_ASTRO_FIELDS) {
    if (input.pAstro && key in input.pAstro)
      fields[key] = probability(input.pAstro, key, 'p_astro');
  }
  return { voeventType, fields };
}
