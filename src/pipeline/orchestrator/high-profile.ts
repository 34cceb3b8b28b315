/**
 * HIGH_PROFILE (gwcelery-spec §7.8): a preliminary alert of a candidate the rapid-response team
 * should look at first. Checked on preliminary alerts only; RAVEN applies it to coincidences on
 * its own.
 */
import { LABELS } from './labels.js';

export interface HighProfileInput {
  supereventLabels: ReadonlySet<string>;
  /** The superevent's member events (G-events), for the lowest-FAR one. */
  events: readonly { graceid: string; group?: unknown; search?: unknown; far?: unknown }[];
  /** The preferred event's group. */
  preferredGroup: string;
  pAstro?: Record<string, unknown> | null;
  emBright?: Record<string, unknown> | null;
  /** Area of the 90% credible region of the alert's sky map, deg². */
  area90?: number;
}

export type HighProfileDecision = { apply: boolean; reason: string };

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');
const num = (source: Record<string, unknown> | null | undefined, key: string) => {
  const v = source?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export function highProfileDecision(input: HighProfileInput): HighProfileDecision {
  if (input.supereventLabels.has(LABELS.HIGH_PROFILE)) {
    return { apply: false, reason: 'HIGH_PROFILE already applied' };
  }
  const withFar = input.events.filter(
    (e) => typeof e.far === 'number' && Number.isFinite(e.far as number),
  );
  const lowest = withFar.reduce<(typeof withFar)[number] | undefined>(
    (best, e) => (best === undefined || (e.far as number) < (best.far as number) ? e : best),
    undefined,
  );
  if (lowest && lower(lowest.group) === 'burst' && lower(lowest.search) !== 'bbh') {
    return {
      apply: true,
      reason: `The event with the lowest FAR (${lowest.graceid}) is a Burst event. Applying HIGH_PROFILE.`,
    };
  }
  if (lower(input.preferredGroup) === 'cbc') {
    const terrestrial = num(input.pAstro, 'Terrestrial');
    if (terrestrial !== undefined && terrestrial < 0.5) {
      const reasons: string[] = [];
      const bns = num(input.pAstro, 'BNS');
      const nsbh = num(input.pAstro, 'NSBH');
      const remnant = num(input.emBright, 'HasRemnant');
      if (bns !== undefined && bns > 0.1) reasons.push(`p_BNS ${bns.toFixed(2)} > 0.1`);
      if (nsbh !== undefined && nsbh > 0.1) reasons.push(`p_NSBH ${nsbh.toFixed(2)} > 0.1`);
      if (remnant !== undefined && remnant > 0.1)
        reasons.push(`HasRemnant ${remnant.toFixed(2)} > 0.1`);
      if (input.area90 !== undefined && input.area90 < 100)
        reasons.push(`90% area ${input.area90.toFixed(1)} deg² < 100 deg²`);
      if (reasons.length > 0) {
        return {
          apply: true,
          reason: `CBC candidate with p_terr ${terrestrial.toFixed(2)} < 0.5 and ${reasons.join(', ')}. Applying HIGH_PROFILE.`,
        };
      }
    }
  }
  return { apply: false, reason: 'No HIGH_PROFILE condition satisfied.' };
}
