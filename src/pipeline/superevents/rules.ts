/**
 * The superevent manager's rules, pure functions over plain event and superevent JSON: what
 * the orchestrator and the console import. The task modules only fetch, call these and write.
 */
export {
  type CandidateEvent,
  CandidateEventError,
  instrumentsOf,
  isCwbBbh,
} from './candidate-event.js';
export { isComplete, REQUIRED_LABELS_BY_GROUP_SEARCH, requiredLabels } from './completeness.js';
export {
  type EntryDecision,
  entryDecision,
  LABEL_PRIORITY,
  NEW_EVENT_PRIORITY,
  type PipelineAlert,
} from './entry-filter.js';
export { type EventWindow, eventWindow, windowHalfWidths } from './event-window.js';
export {
  categoryOf,
  firstOverlapping,
  grownWindow,
  neighbourQuery,
  type SupereventCategory,
  type SupereventChange,
  type SupereventState,
  type SupereventWindow,
  segmentsIntersect,
  supereventChange,
  supereventContaining,
} from './grouping.js';
export {
  compareKeys,
  type PreferredEventKey,
  preferredEventKey,
  searchRank,
  selectPipelinePreferredEvents,
  selectPreferredEvent,
} from './preferred-event.js';
export {
  type PublishabilityTest,
  publishabilityTest,
  type SearchThresholds,
  searchThresholds,
  shouldPublish,
} from './publishability.js';
export { DEFAULT_SUPEREVENT_SETTINGS, type SupereventSettings } from './settings.js';
export { supereventLabels } from './superevent-labels.js';
