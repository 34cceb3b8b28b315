/**
 * Source classification for low-latency alerts: em_bright (HasNS, HasRemnant, HasMassGap,
 * HasSSM) and p_astro (BNS, NSBH, BBH, Terrestrial), their JSON files and bar charts. Pure
 * functions: no network, queue or configuration access; settings come in as plain objects whose
 * field names are the configuration keys, so a loaded Config can be passed directly.
 */

export type { ClassificationFile } from './classification-file.js';
export { redshiftFromLuminosityDistance } from './cosmology.js';
export {
  EM_BRIGHT_FILENAME,
  type EmBrightForEvent,
  emBrightForEvent,
  shouldComputeEmBright,
} from './em-bright/for-event.js';
export {
  baryonMass,
  compactness,
  iscoRadius,
  type NeutronStarModel,
  remnantMass,
} from './em-bright/foucart-disk-mass.js';
export {
  EM_BRIGHT_PE_KEYS,
  emBrightFromPosteriorSamples,
  type PosteriorColumns,
} from './em-bright/from-posterior-samples.js';
export {
  EM_BRIGHT_KEYS,
  EM_BRIGHT_SSM_KEYS,
  type EmBrightProperties,
  type EmBrightResult,
  emBrightFromTemplate,
  type TemplateParameters,
} from './em-bright/from-template.js';
export type { EmBrightModel } from './em-bright/model.js';
export { type SampleFractions, sampleFractions } from './em-bright/sample-fractions.js';
export { checkEmBrightSettings, type EmBrightSettings } from './em-bright/settings.js';
export { ScienceInputError } from './errors.js';
export {
  cbcTemplate,
  type GraceDbEventJson,
  networkSnr,
  rankingInstruments,
} from './gracedb-event.js';
export { chirpMass, symmetricMassRatio } from './masses.js';
export { chooseSnr } from './p-astro/choose-snr.js';
export {
  astroBayesFactor,
  computePAstro,
  hardCutWeights,
  P_ASTRO_KEYS,
  type PAstroInput,
  type PAstroValues,
} from './p-astro/counts-p-astro.js';
export {
  type PAstroForEvent,
  pAstroFilename,
  pAstroForEvent,
  shouldComputePAstro,
} from './p-astro/for-event.js';
export {
  RAPIDPE_P_ASTRO_FILENAME,
  type RapidPERenormalisation,
  renormaliseRapidPEPAstro,
  renormaliseRapidPEValues,
} from './p-astro/rapidpe-renormalisation.js';
export {
  checkPAstroSettings,
  type FarSnrThreshold,
  type PAstroSettings,
} from './p-astro/settings.js';
export {
  classificationPlotForUpload,
  PLOTTED_P_ASTRO_FILES,
  type PlotOptions,
  plotEmBright,
  plotPAstro,
} from './plots/classification-plots.js';
export { formatProbability } from './plots/format-probability.js';
export { type Bar, type BarChart, drawHorizontalBarChart } from './plots/horizontal-bar-chart.js';
export { parseProbabilityJson } from './probability-json.js';
export { pythonFloatRepr, pythonJsonDumps } from './python-json.js';
