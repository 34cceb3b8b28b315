export {
  type CreatedLvkVoevent,
  type CreateLvkVoeventInput,
  type CreateVoeventRequest,
  createLvkVoevent,
  lvkNoticeFor,
  lvkNoticeToVoevent,
  VoeventRequestError,
} from './create-lvk-voevent.js';
export * from './document.js';
export type { LvkExternalCoincidence, LvkNotice } from './lvk-notice.js';
export { LVK_NOTICE_TYPES, type LvkNoticeType, PACKET_TYPE } from './lvk-vocabulary.js';
export { parseVoevent } from './parse.js';
export { readLvkVoevent } from './read-lvk-voevent.js';
export { writeVoevent } from './write.js';
