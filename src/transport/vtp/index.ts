export {
  type BroadcasterOptions,
  type BroadcastResult,
  NoSubscribersError,
  type PeerInfo,
  VtpBroadcaster,
} from './broadcaster.js';
export { COMET_MAX_FRAME_BYTES, encodeFrame, FrameDecoder, FrameError } from './framing.js';
export { localIvo } from './local-ivo.js';
export {
  parseFrame,
  type TransportMessage,
  transportMessage,
  type VoeventFrame,
  type VtpFrame,
  VtpMessageError,
} from './messages.js';
export { type ReceiverOptions, type ReceiverPeer, VtpReceiver } from './receiver.js';
export { Whitelist } from './whitelist.js';
