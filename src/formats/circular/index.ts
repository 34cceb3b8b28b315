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
