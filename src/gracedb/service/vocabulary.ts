/**
 * The names GraceDB knows: groups, pipelines, searches, labels and blessed tags (§1.2). The
 * service validates uploads against them exactly as the real one does, so that a typo in the
 * pipeline is caught here rather than in production.
 */

export const GROUPS = ['CBC', 'Burst', 'Detchar', 'External', 'Test'] as const;

export const PIPELINES = [
  'gstlal',
  'pycbc',
  'spiir',
  'MBTA',
  'MBTAOnline',
  'CWB',
  'CWB2G',
  'oLIB',
  'MLy',
  'aframe',
  'Fermi',
  'Swift',
  'INTEGRAL',
  'AGILE',
  'SNEWS',
  'SVOM',
  'EinsteinProbe',
  'IceCube',
  'CHIME',
  'PyGRB',
  'HardwareInjection',
  'X',
  'Q',
  'Omega',
  'Ringdown',
] as const;

/** Pipelines GraceDB still lists but refuses uploads from. */
export const RETIRED_PIPELINES = new Set(['X', 'Q', 'Omega']);

export const SEARCHES = [
  'AllSky',
  'LowMass',
  'HighMass',
  'GRB',
  'Supernova',
  'MDC',
  'LowMassSim',
  'AllSkyLong',
  'O2VirgoTest',
  'BBH',
  'IMBH',
  'SubGRB',
  'EarlyWarning',
  'SubGRBTargeted',
  'SSM',
  'FRB',
  'LensingSubthreshold',
  'VTInjection',
  'HEN',
] as const;

/** Every label name the pipeline (and its operators) apply. */
export const LABELS = [
  'ADVNO',
  'ADVOK',
  'ADVREQ',
  'COMBINEDSKYMAP_READY',
  'DQOK',
  'DQR_REQUEST',
  'DQV',
  'EARLY_WARNING',
  'EMBRIGHT_READY',
  'EM_COINC',
  'EM_READY',
  'EM_SENT',
  'EM_Selected',
  'EM_SelectedConfident',
  'EM_Throttled',
  'EXT_SKYMAP_READY',
  'GCN_PRELIM_SENT',
  'H1NO',
  'H1OK',
  'H1OPS',
  'HIGH_PROFILE',
  'INJ',
  'L1NO',
  'L1OK',
  'L1OPS',
  'LOW_SIGNIF_LOCKED',
  'LOW_SIGNIF_PRELIM_SENT',
  'NOT_GRB',
  'PASTRO_READY',
  'PE_READY',
  'RAVEN_ALERT',
  'SIGNIF_LOCKED',
  'SKYMAP_READY',
  'SOG_READY',
  'SNEWS_COINC',
  'SWIFT_GO',
  'SWIFT_NO',
  'V1NO',
  'V1OK',
  'V1OPS',
] as const;

/** Labels only the signoff machinery may apply or remove (§2.8). */
export const PROTECTED_LABELS = new Set([
  'ADVOK',
  'ADVNO',
  'H1OK',
  'H1NO',
  'L1OK',
  'L1NO',
  'V1OK',
  'V1NO',
]);

export const INSTRUMENTS = { H1: 'LHO', L1: 'LLO', V1: 'Virgo' } as const;

/** Tags with display names that GraceDB ships with ("blessed" tags). */
export const BLESSED_TAGS: Record<string, string> = {
  analyst_comments: 'Analyst Comments',
  em_follow: 'EM Followup',
  psd: 'Noise Curves',
  data_quality: 'Data Quality',
  sky_loc: 'Sky Localization',
  background: 'Background Information',
  ext_coinc: 'External Coincidence',
  strain: 'Strain Data',
  tfplots: 'Time-Frequency Info',
  pe: 'Parameter Estimation',
  sig_info: 'Significance Info',
  audio: 'Sound Files',
};

export const TAG_NAME = /^[0-9a-zA-Z_-]*$/;

/** Case-insensitive lookup of a known name; returns its canonical spelling. */
export function canonicalName(names: readonly string[], given: string): string | undefined {
  const lower = given.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower);
}
