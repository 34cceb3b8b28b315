/**
 * The alert policy (gwcelery-spec §4.2–§4.6): which flow a label starts, whether an alert may be
 * sent and why not, which notice type and flags it carries and which label marks it sent. Pure
 * functions over labels and plain event data; the tasks fetch, call these, and write. Every
 * refusal comes with the text the superevent log gets, the reference's own where it has one.
 */
import type { PipelineAlertType } from '../../formats/alert/types.js';
import { pythonFloatRepr } from '../../formats/text/python-float.js';
import { LABELS, pythonSetRepr } from './labels.js';

/** The alerts the automated flows send (the others are human-driven: initial, update, retraction). */
export type AutomaticAlertType = 'earlywarning' | 'less-significant' | 'preliminary';

export function isAutomaticAlertType(type: string): type is AutomaticAlertType {
  return type === 'earlywarning' || type === 'less-significant' || type === 'preliminary';
}

// ---------------------------------------------------------------------------------------------
// §4.2: what a label added to a superevent starts

export type LabelAction =
  /** LOW_SIGNIF_LOCKED: DQ check, then a less-significant alert. */
  | { action: 'less-significant-flow' }
  /** SIGNIF_LOCKED: lock, re-select the preferred event, DQ check, then a preliminary alert. */
  | { action: 'significant-flow'; applyLowSignifLocked: boolean }
  /** EARLY_WARNING: lock, re-select the preferred event, then an early-warning alert. */
  | { action: 'early-warning-flow'; applyLowSignifLocked: boolean }
  /** GCN_PRELIM_SENT: the second preliminary after the clean-up timeout. */
  | { action: 'schedule-second-preliminary' }
  /** LOW_SIGNIF_PRELIM_SENT: the second less-significant alert after the clean-up timeout. */
  | { action: 'schedule-second-less-significant' }
  /** ADVOK: the initial alert. */
  | { action: 'initial-alert' }
  /** ADVNO: the retraction. */
  | { action: 'retraction-alert' }
  /** ADVREQ: the reference opens an RRT chat channel here (not available in this deployment). */
  | { action: 'advocate-requested' }
  /** The label would start a flow, but the superevent's labels rule it out. */
  | { action: 'skip'; log: string }
  /** Nothing reacts to this label. */
  | { action: 'none' };

export const SKIP_LESS_SIGNIFICANT_LOG =
  'The superevent already has a significant/EW event, skipping launching less-significant alert';
export const SKIP_EARLY_WARNING_LOG = 'Superevent superseded by full BW event, skipping EW.';

/** What the superevent handler does when `label` is added to a superevent carrying `labels`. */
export function labelAction(label: string, labels: ReadonlySet<string>): LabelAction {
  switch (label) {
    case LABELS.LOW_SIGNIF_LOCKED:
      if (labels.has(LABELS.SIGNIF_LOCKED) || labels.has(LABELS.EARLY_WARNING)) {
        return { action: 'skip', log: SKIP_LESS_SIGNIFICANT_LOG };
      }
      return { action: 'less-significant-flow' };
    case LABELS.SIGNIF_LOCKED:
      return {
        action: 'significant-flow',
        applyLowSignifLocked: !labels.has(LABELS.LOW_SIGNIF_LOCKED),
      };
    case LABELS.EARLY_WARNING:
      if (labels.has(LABELS.SIGNIF_LOCKED)) return { action: 'skip', log: SKIP_EARLY_WARNING_LOG };
      return {
        action: 'early-warning-flow',
        applyLowSignifLocked: !labels.has(LABELS.LOW_SIGNIF_LOCKED),
      };
    case LABELS.GCN_PRELIM_SENT:
      return { action: 'schedule-second-preliminary' };
    case LABELS.LOW_SIGNIF_PRELIM_SENT:
      return { action: 'schedule-second-less-significant' };
    case LABELS.ADVOK:
      return { action: 'initial-alert' };
    case LABELS.ADVNO:
      return { action: 'retraction-alert' };
    case LABELS.ADVREQ:
      return { action: 'advocate-requested' };
    default:
      return { action: 'none' };
  }
}

/** Log lines of the flows (the reference's texts). */
export const FLOW_LOG = {
  dqCheckLessSignificant:
    'Automated DQ check before sending less-significant preliminary alert. New results supersede old results.',
  dqCheckSignificant:
    'Automated DQ check before sending significant alert. New results supersede old results.',
  cleanedUpSignificant: 'Superevent cleaned up after significant event.',
  cleanedUpEarlyWarning: 'Superevent cleaned up before sending EW alert.',
  cleanedUpFirstPreliminary: 'Superevent cleaned up after first preliminary alert',
  cleanedUpSecondLessSignificant: 'Superevent cleaned up before second less-significant alert',
} as const;

// ---------------------------------------------------------------------------------------------
// §4.2 LOW_SIGNIF_PRELIM_SENT: the second less-significant alert

const SECOND_LESS_SIGNIFICANT_BLOCKERS = [
  LABELS.ADVREQ,
  LABELS.ADVOK,
  LABELS.ADVNO,
  LABELS.SIGNIF_LOCKED,
  LABELS.EARLY_WARNING,
] as const;

/**
 * Whether the second less-significant alert may go out: not once a human was asked or a
 * significant or early-warning candidate appeared. The refusal text is ours (the reference
 * stops without a log message).
 */
export function secondLessSignificantDecision(
  labels: ReadonlySet<string>,
): { send: true } | { send: false; blockers: string[]; log: string } {
  const blockers = SECOND_LESS_SIGNIFICANT_BLOCKERS.filter((l) => labels.has(l)).sort();
  if (blockers.length === 0) return { send: true };
  return {
    send: false,
    blockers,
    log: `Not sending the second less-significant alert: the superevent has labels ${pythonSetRepr(blockers)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// §4.4: whether an automated alert may be sent

/** Labels that stop an automated notice when present at send time (§4.4 step 5). */
export const SEND_BLOCKING_LABELS: Readonly<Record<AutomaticAlertType, readonly string[]>> = {
  preliminary: [LABELS.ADVOK, LABELS.ADVNO],
  earlywarning: [LABELS.SIGNIF_LOCKED, LABELS.ADVOK, LABELS.ADVNO],
  'less-significant': [LABELS.EARLY_WARNING, LABELS.SIGNIF_LOCKED, LABELS.ADVOK, LABELS.ADVNO],
};

/** The blocking labels of `alertType` present on the superevent, sorted; empty when none. */
export function blockingLabels(
  alertType: AutomaticAlertType,
  labels: ReadonlySet<string>,
): string[] {
  return SEND_BLOCKING_LABELS[alertType].filter((l) => labels.has(l)).sort();
}

export function blockingLog(blockers: readonly string[]): string {
  return `Blocking automated notice due to labels ${pythonSetRepr(blockers)}`;
}

export const ONLY_MDC_LOG =
  'Skipping alert because gwcelery has been configured to only send alerts for MDC events.';

/** What the orchestrator knows about the preferred event when it decides. */
export interface AlertCandidate {
  graceid: string;
  search: string | null | undefined;
  far: number | null | undefined;
  labels: ReadonlySet<string>;
  /** shouldPublish(event, {significant: true}) and (…, {significant: false}). */
  publishable: { significant: boolean; lessSignificant: boolean };
}

export interface AutomaticAlertRequest {
  alertType: AutomaticAlertType;
  candidate: AlertCandidate;
  /** Fresh superevent labels, fetched just before deciding. */
  supereventLabels: ReadonlySet<string>;
  /** False for the manual "change preferred event" path: copy and annotate only. */
  initiateVoevent: boolean;
  onlyAlertForMdc: boolean;
}

export type AutomaticAlertDecision =
  | {
      send: true;
      /** Early warning: DQR_REQUEST follows after the configured delay. */
      scheduleDqrRequest: boolean;
    }
  | {
      send: false;
      reason:
        | 'only-mdc'
        | 'not-publishable'
        | 'data-quality-veto'
        | 'injection'
        | 'superevent-injection'
        | 'no-voevent-requested'
        | 'blocked-by-labels';
      /** Early warning: DQR_REQUEST follows even when labels block the notice (as in the reference). */
      scheduleDqrRequest: boolean;
      /** The superevent log line; undefined where the reference is silent on purpose. */
      log: string | undefined;
    };

/** Whether the alert's significance level lets this candidate out (§3.5, §4.4 step 2). */
export function significanceOf(alertType: PipelineAlertType): 'significant' | 'less-significant' {
  return alertType === 'less-significant' ? 'less-significant' : 'significant';
}

/**
 * §4.4 steps 2, 4 and 5 and the superevent-INJ rule of §4.5 step 1. The sky map, em_bright and
 * p_astro are copied to the superevent whatever this says; it only decides the notice.
 */
export function automaticAlertDecision(request: AutomaticAlertRequest): AutomaticAlertDecision {
  const { alertType, candidate, supereventLabels } = request;
  const level = significanceOf(alertType);
  const what = `${alertType} alert`;
  const refuse = (
    reason: Extract<AutomaticAlertDecision, { send: false }>['reason'],
    log: string | undefined,
    scheduleDqrRequest = false,
  ): AutomaticAlertDecision => ({ send: false, reason, log, scheduleDqrRequest });

  if (request.onlyAlertForMdc && (candidate.search ?? '').toLowerCase() !== 'mdc') {
    return refuse('only-mdc', ONLY_MDC_LOG);
  }
  // Nothing to explain when no notice was asked for (the console's change of preferred event).
  if (!request.initiateVoevent) return refuse('no-voevent-requested', undefined);
  const publishable =
    level === 'significant'
      ? candidate.publishable.significant
      : candidate.publishable.lessSignificant;
  if (!publishable) {
    return refuse(
      'not-publishable',
      `Not sending a ${what}: the preferred event ${candidate.graceid} (FAR ${formatFar(candidate.far)}) does not pass the ${level} publishability test`,
    );
  }
  if (candidate.labels.has(LABELS.DQV)) {
    return refuse(
      'data-quality-veto',
      `Not sending a ${what}: the preferred event ${candidate.graceid} is labelled DQV`,
    );
  }
  if (candidate.labels.has(LABELS.INJ)) {
    return refuse(
      'injection',
      `Not sending a ${what}: the preferred event ${candidate.graceid} is labelled INJ`,
    );
  }
  const scheduleDqrRequest = alertType === 'earlywarning';
  const blockers = blockingLabels(alertType, supereventLabels);
  if (blockers.length > 0) {
    return refuse('blocked-by-labels', blockingLog(blockers), scheduleDqrRequest);
  }
  if (supereventLabels.has(LABELS.INJ)) {
    return refuse('superevent-injection', supereventInjectionLog(alertType), scheduleDqrRequest);
  }
  return { send: true, scheduleDqrRequest };
}

function formatFar(far: number | null | undefined): string {
  return typeof far === 'number' ? `${pythonFloatRepr(far)} Hz` : 'none';
}

/** §4.5 step 1: no alert of any type for a superevent labelled INJ. */
export function supereventInjectionLog(alertType: PipelineAlertType): string {
  return `Not sending a ${alertType} alert: the superevent is labelled INJ`;
}

// ---------------------------------------------------------------------------------------------
// §4.3, §4.5: what the notice says and which label marks it sent

/** GraceDB's VOEvent type of an alert: a less-significant alert is a Preliminary notice. */
export function voeventTypeOf(
  alertType: PipelineAlertType,
): 'earlywarning' | 'preliminary' | 'initial' | 'update' | 'retraction' {
  return alertType === 'less-significant' ? 'preliminary' : alertType;
}

/** The notice's `Significant` flag: 0 only for less-significant alerts. */
export function isSignificantAlert(alertType: PipelineAlertType): boolean {
  return alertType !== 'less-significant';
}

/**
 * The label that marks the first alert of its kind as sent: GCN_PRELIM_SENT after a
 * preliminary, LOW_SIGNIF_PRELIM_SENT after a less-significant alert. Applied only when absent
 * (the §13 fix: the reference re-applies it after the second preliminary and relies on GraceDB
 * refusing the duplicate to stop a third).
 */
export function sentMarkerLabel(
  alertType: PipelineAlertType,
  labels: ReadonlySet<string>,
): string | undefined {
  const marker =
    alertType === 'preliminary'
      ? LABELS.GCN_PRELIM_SENT
      : alertType === 'less-significant'
        ? LABELS.LOW_SIGNIF_PRELIM_SENT
        : undefined;
  return marker && !labels.has(marker) ? marker : undefined;
}

/** Alert types that get a GCN Circular draft (§4.5 step 4, §4.5 retraction). */
export function hasCircularDraft(alertType: PipelineAlertType): boolean {
  return (
    alertType === 'earlywarning' ||
    alertType === 'preliminary' ||
    alertType === 'initial' ||
    alertType === 'retraction'
  );
}

/**
 * A RAVEN coincidence alert (§4.5 step 3): the superevent carries RAVEN_ALERT and names its
 * preferred external event.
 */
export function isRavenCoincidence(
  labels: ReadonlySet<string>,
  emType: string | null | undefined,
): boolean {
  return labels.has(LABELS.RAVEN_ALERT) && typeof emType === 'string' && emType !== '';
}

/** The combined GW × external sky map goes out only once the external event has both labels. */
export function needsCombinedSkymap(externalLabels: ReadonlySet<string>): boolean {
  return externalLabels.has(LABELS.RAVEN_ALERT) && externalLabels.has(LABELS.COMBINEDSKYMAP_READY);
}

// ---------------------------------------------------------------------------------------------
// Alert identity: what makes "the second preliminary" the same alert when a timer or a task
// runs again, so that it is sent once.

/**
 * The identity of one alert of a superevent. Automated alerts have a fixed identity per
 * superevent (`preliminary-2` is the one sent after the clean-up timeout), so a redelivered
 * task or a re-fired timer finds the alert it already sent. Manual alerts carry the id of
 * their request.
 */
export function alertId(
  alertType: PipelineAlertType,
  occurrence: 1 | 2 | { request: string },
): string {
  if (typeof occurrence === 'object') {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(occurrence.request)) {
      throw new Error(
        `alert request id '${occurrence.request}' must be 1-64 letters, digits, '.', '_' or '-'`,
      );
    }
    return `${alertType}-request-${occurrence.request}`;
  }
  if (alertType === 'earlywarning' || alertType === 'initial' || alertType === 'retraction') {
    return alertType;
  }
  return `${alertType}-${occurrence}`;
}
