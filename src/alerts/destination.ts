import type { AlertPacket, PipelineAlertType } from '../formats/alert/types.js';
import type { AlertKey, DeliveryReceipt } from './ledger/ledger.js';

/** One alert as the pipeline hands it over for delivery. */
export interface OutgoingAlert {
  superevent: string;
  alertType: PipelineAlertType;
  /** The alert's serial number for the superevent (the VOEvent's N). */
  serial: number;
  /** The igwn.alerts packet, for Kafka and the JSON/Avro files. */
  packet?: AlertPacket;
  /** The VOEvent bytes as GraceDB stored them, for VTP and the XML file; sent unchanged. */
  voevent?: Uint8Array;
}

export interface DestinationHealth {
  kind: DestinationKind;
  /** Kafka: the topic answered the last metadata probe. */
  topicUp?: boolean;
  /** The last delivery attempt failed (cleared by the next success). */
  deliveryFailure: boolean;
  lastError?: string;
  lastDeliveryAt?: string;
  /** Sends waiting in this destination's own queue. */
  queued: number;
  /** VTP: connected subscribers. */
  peers?: number;
}

export type DestinationKind = 'kafka' | 'vtp' | 'file';

/**
 * A place alerts go. Each destination has its own connection, queue, timeout and retries (a
 * bulkhead), so one that hangs or refuses cannot hold back the others.
 */
export interface AlertDestination {
  readonly name: string;
  readonly kind: DestinationKind;
  /** Milliseconds one delivery attempt may take. */
  readonly timeoutMs: number;
  /** Further attempts after a failed one. */
  readonly retries: number;
  /**
   * The bytes this destination sends for the alert, or a reason why it sends nothing for it
   * (the alert has no VOEvent, broadcasting is disabled...). Encoding errors throw.
   */
  payload(alert: OutgoingAlert): { bytes: Uint8Array } | { skip: string };
  /** Sends the bytes; resolves with the destination's receipt. Must give up when `signal` aborts. */
  deliver(bytes: Uint8Array, key: AlertKey, signal: AbortSignal): Promise<DeliveryReceipt>;
  /**
   * For an in-doubt key: looks for an earlier delivery (recorded at or after `since`), returning
   * its receipt, or undefined when there is none. Throws when it cannot tell.
   */
  findDelivery(key: AlertKey, bytes: Uint8Array, since: Date): Promise<DeliveryReceipt | undefined>;
  health(): Omit<DestinationHealth, 'queued'>;
  close(): Promise<void>;
}

/**
 * A delivery that failed. `retryable` false: trying again cannot help (too large...).
 * `ambiguous` false: nothing reached the destination (connection refused, no subscriber), so a
 * retry needs no check; true: the far end may have received it (a timeout after sending).
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  constructor(message: string, options: { retryable?: boolean; ambiguous?: boolean } = {}) {
    super(message);
    this.retryable = options.retryable ?? true;
    this.ambiguous = options.ambiguous ?? true;
  }
}

export function keyLabel(key: Pick<AlertKey, 'superevent' | 'alertType' | 'serial'>): string {
  return `${key.superevent}/${key.alertType}/${key.serial}`;
}
