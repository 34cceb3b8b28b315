/**
 * The labels the alert workflow reads and writes (gwcelery-spec §3.7, §4). Labels are the state
 * machine: every step writes one to GraceDB and the next step reacts to its notification.
 */
export const LABELS = {
  /** A complete candidate exists: data products are ready. */
  EM_READY: 'EM_READY',
  /** Preferred event frozen; starts the less-significant flow. */
  LOW_SIGNIF_LOCKED: 'LOW_SIGNIF_LOCKED',
  /** A significant complete candidate exists; starts the significant flow. */
  SIGNIF_LOCKED: 'SIGNIF_LOCKED',
  /** A significant complete early-warning candidate exists; starts the early-warning flow. */
  EARLY_WARNING: 'EARLY_WARNING',
  /** The first significant preliminary notice went out. */
  GCN_PRELIM_SENT: 'GCN_PRELIM_SENT',
  /** The first less-significant notice went out. */
  LOW_SIGNIF_PRELIM_SENT: 'LOW_SIGNIF_PRELIM_SENT',
  /** Human vetting requested, approved, rejected. */
  ADVREQ: 'ADVREQ',
  ADVOK: 'ADVOK',
  ADVNO: 'ADVNO',
  /** Asks the data-quality report system to run. */
  DQR_REQUEST: 'DQR_REQUEST',
  /** Data quality good / vetoed in the active detectors; hardware injection. */
  DQOK: 'DQOK',
  DQV: 'DQV',
  INJ: 'INJ',
  /** A RAVEN coincidence makes the candidate publishable and joint. */
  RAVEN_ALERT: 'RAVEN_ALERT',
  COMBINEDSKYMAP_READY: 'COMBINEDSKYMAP_READY',
  HIGH_PROFILE: 'HIGH_PROFILE',
  SKYMAP_READY: 'SKYMAP_READY',
  EMBRIGHT_READY: 'EMBRIGHT_READY',
  PASTRO_READY: 'PASTRO_READY',
} as const;

export type Label = (typeof LABELS)[keyof typeof LABELS];

/** Python's repr of a set of label names, as the reference writes it in log messages. */
export function pythonSetRepr(labels: Iterable<string>): string {
  return `{${[...labels]
    .sort()
    .map((l) => `'${l}'`)
    .join(', ')}}`;
}
