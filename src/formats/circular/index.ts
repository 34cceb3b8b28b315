export {
  CIRCULAR_TYPES,
  type CircularDraft,
  CircularError,
  type CircularInput,
  type CircularType,
  circularUpload,
  composeCircular,
  type SkymapSummary,
  UPDATE_TOPICS,
  type UpdateTopic,
} from './compose.js';
export {
  composeGrbMediumLatency,
  DETECTION_FAP,
  MEDIUM_LATENCY_FILES,
  type MediumLatencyDraft,
  type MediumLatencyInput,
} from './grb-medium-latency.js';
