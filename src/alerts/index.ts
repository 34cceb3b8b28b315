export {
  AlertDelivery,
  type AlertDeliveryConfig,
  type AlertDeliveryHealth,
  alertDeliveryProblem,
  parseListenAddress,
} from './alert-delivery.js';
export {
  type AlertDestination,
  DeliveryError,
  type DestinationHealth,
  type OutgoingAlert,
} from './destination.js';
export { FileDestination } from './destinations/file-destination.js';
export {
  ALERT_KEY_HEADER,
  KafkaDestination,
  parseKafkaUrl,
} from './destinations/kafka-destination.js';
export { VtpDestination } from './destinations/vtp-destination.js';
export {
  ECHO_DIFFERS_MESSAGE,
  type EchoCheckOptions,
  type EchoResult,
  VoeventEchoCheck,
} from './echo-check.js';
export * from './ledger/index.js';
export { packetCopyUpload } from './packet-copy.js';
export {
  AlertSendError,
  AlertSender,
  type AlertSenderOptions,
  type DeliveryStatus,
  type DestinationResult,
  type SenderHooks,
} from './sender.js';
