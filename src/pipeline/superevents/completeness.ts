/**
 * Completeness (gwcelery-spec §3.2): a candidate is complete once the data products the alerts
 * need (sky map, em_bright, p_astro) are uploaded, which their READY labels announce.
 */
import { type CandidateEvent, groupOf, isCwbBbh, labelsOf, searchOf } from './candidate-event.js';
import { perSearchEntry } from './per-search.js';

const CBC_LABELS = ['PASTRO_READY', 'EMBRIGHT_READY', 'SKYMAP_READY'] as const;
/** Sub-solar-mass candidates have no p_astro. */
const SSM_LABELS = ['EMBRIGHT_READY', 'SKYMAP_READY'] as const;

/**
 * Required labels by lower-cased group and search (the reference's
 * REQUIRED_LABELS_BY_GROUP_SEARCH). cWB's BBH search is looked up as `cbc/bbh`. Group `test`
 * mirrors `cbc`, whose pipelines upload Test events; the reference has no entry for it (§13).
 */
export const REQUIRED_LABELS_BY_GROUP_SEARCH: Readonly<
  Record<string, Readonly<Record<string, readonly string[]>>>
> = Object.freeze({
  cbc: {
    allsky: CBC_LABELS,
    earlywarning: CBC_LABELS,
    mdc: CBC_LABELS,
    bbh: CBC_LABELS,
    ssm: SSM_LABELS,
  },
  burst: { allsky: ['SKYMAP_READY'] },
  test: {
    allsky: CBC_LABELS,
    earlywarning: CBC_LABELS,
    mdc: CBC_LABELS,
    bbh: CBC_LABELS,
    ssm: SSM_LABELS,
  },
});

/**
 * The labels that make this candidate complete, or undefined for a group/search the table does
 * not know (the reference fails on a lookup there; such a candidate is never complete here).
 */
export function requiredLabels(event: CandidateEvent): readonly string[] | undefined {
  const group = isCwbBbh(event) ? 'cbc' : groupOf(event);
  return perSearchEntry(REQUIRED_LABELS_BY_GROUP_SEARCH, group, searchOf(event));
}

/** Whether every required READY label is on the candidate. */
export function isComplete(event: CandidateEvent): boolean {
  const required = requiredLabels(event);
  if (!required) return false;
  const labels = labelsOf(event);
  return required.every((label) => labels.has(label));
}
