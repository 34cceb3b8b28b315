import { parseVoevent } from '../../formats/voevent/parse.js';
import { NoSubscribersError, type VtpBroadcaster } from '../../transport/vtp/broadcaster.js';
import {
  type AlertDestination,
  DeliveryError,
  type DestinationHealth,
  type OutgoingAlert,
} from '../destination.js';
import type { AlertKey, DeliveryReceipt } from '../ledger/ledger.js';

export interface VtpDestinationOptions {
  /** undefined when broadcasting is disabled (empty whitelist). */
  broadcaster: VtpBroadcaster | undefined;
  name?: string;
  ackTimeoutMs?: number;
  timeoutMs?: number;
  retries?: number;
}

/**
 * Sends the VOEvent bytes, unchanged, to every subscriber of the broadcaster (GCN). Delivered
 * means written to at least one subscriber; the receipt lists who acknowledged. With no
 * subscriber connected the attempt fails and is retried (GCN reconnects); with broadcasting
 * disabled the destination is skipped.
 *
 * In doubt (a sender died mid-send) the event is sent again: VTP offers no way to ask a
 * subscriber what it received, and brokers recognise a repeated IVORN (Comet keeps 30 days).
 */
export class VtpDestination implements AlertDestination {
  readonly kind = 'vtp' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly ackTimeoutMs: number;
  private status: Omit<DestinationHealth, 'queued' | 'kind'> = { deliveryFailure: false };

  constructor(private readonly options: VtpDestinationOptions) {
    this.name = options.name ?? 'gcn-voevent';
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.timeoutMs = options.timeoutMs ?? this.ackTimeoutMs + 5_000;
    this.retries = options.retries ?? 10;
  }

  payload(alert: OutgoingAlert): { bytes: Uint8Array } | { skip: string } {
    if (!this.options.broadcaster) {
      return { skip: 'VOEvent broadcasting is disabled (empty voevent_broadcaster_whitelist)' };
    }
    return alert.voevent ? { bytes: alert.voevent } : { skip: 'the alert carries no VOEvent' };
  }

  async deliver(bytes: Uint8Array, key: AlertKey): Promise<DeliveryReceipt> {
    const broadcaster = this.options.broadcaster!;
    const ivorn = parseVoevent(bytes, `${key.superevent} VOEvent`).ivorn;
    try {
      const result = await broadcaster.broadcast(bytes, ivorn, {
        ackTimeoutMs: Math.min(this.ackTimeoutMs, Math.max(0, this.timeoutMs - 1000)),
      });
      this.status = { deliveryFailure: false, lastDeliveryAt: new Date().toISOString() };
      return { at: new Date().toISOString(), detail: { ...result } };
    } catch (err) {
      const message = `${this.name}: ${(err as Error).message}`;
      this.status = { ...this.status, deliveryFailure: true, lastError: message };
      // Nothing was written when broadcast throws: no subscriber, or a frame too large to send.
      throw new DeliveryError(message, {
        retryable: err instanceof NoSubscribersError || !/VTP frame limit/.test(message),
        ambiguous: false,
      });
    }
  }

  async findDelivery(): Promise<DeliveryReceipt | undefined> {
    return undefined;
  }

  health(): Omit<DestinationHealth, 'queued'> {
    return {
      kind: this.kind,
      ...this.status,
      peers: this.options.broadcaster?.peerList().length ?? 0,
    };
  }

  async close(): Promise<void> {}
}
