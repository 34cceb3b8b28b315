import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { packetAlertType } from '../formats/alert/types.js';
import { validateAlertPacket } from '../formats/alert/validate.js';
import { parseVoevent } from '../formats/voevent/parse.js';
import { getLogger } from '../log/index.js';
import { Bulkhead } from './bulkhead.js';
import {
  type AlertDestination,
  DeliveryError,
  type DestinationHealth,
  type DestinationKind,
  type OutgoingAlert,
} from './destination.js';
import type { AlertKey, AlertLedger, DeliveryReceipt } from './ledger/ledger.js';
import { payloadHash } from './payload.js';

const log = getLogger('alerts.sender');

export type DeliveryStatus =
  /** Delivered by this call. */
  | 'sent'
  /** Delivered earlier (ledger, or found at the destination when in doubt); not sent again. */
  | 'already-sent'
  /** Nothing to send to this destination for this alert. */
  | 'skipped'
  /** Another sender holds this key right now; try again after its lease. */
  | 'busy'
  /** Every attempt failed; the ledger has the error and a later call will check and retry. */
  | 'failed';

export interface DestinationResult {
  destination: string;
  kind: DestinationKind;
  status: DeliveryStatus;
  receipt?: DeliveryReceipt;
  error?: string;
  /** Attempts this call made. */
  attempts: number;
}

/** Points inside a send where tests inject failures (a process killed mid-send). */
export interface SenderHooks {
  /** The send is recorded in the ledger and about to leave the process. */
  afterRecord?(key: AlertKey): void | Promise<void>;
  /** The destination confirmed; the receipt is not yet in the ledger. */
  afterSend?(key: AlertKey, receipt: DeliveryReceipt): void | Promise<void>;
}

export interface AlertSenderOptions {
  ledger: AlertLedger;
  destinations: AlertDestination[];
  /** Identity of this sender in ledger claims; default host:pid:random. */
  owner?: string;
  /**
   * Minimum lease on a claimed key. The lease actually taken also covers every attempt of the
   * destination (timeout × attempts + back-off), so a live sender never loses its key.
   */
  leaseMs?: number;
  /** Pause before retry n (1, 2, ...); default 1 s doubling, at most 30 s. */
  retryDelayMs?: (retry: number) => number;
  hooks?: SenderHooks;
}

function hardTimeoutMs(destination: AlertDestination): number {
  return destination.timeoutMs * 2 + 1_000;
}

export class AlertSendError extends Error {
  override name = 'AlertSendError';
}

/**
 * Sends each alert to every destination exactly once per (superevent, alert type, serial,
 * destination), through the ledger:
 *
 * 1. the packet is validated against both schemas; nothing is sent if it fails;
 * 2. per destination, in that destination's own queue (bulkhead): claim the key in the ledger;
 *    a delivered key is reported `already-sent`, a key held by a live sender `busy`;
 * 3. an in-doubt key (an earlier attempt recorded, no receipt) is first looked for at the
 *    destination; if found, its receipt is recorded and nothing is sent;
 * 4. deliver with the destination's timeout and retries; record the receipt or the error.
 *
 * The exact guarantee is in docs/alerts.md.
 */
export class AlertSender {
  readonly owner: string;
  private readonly ledger: AlertLedger;
  private readonly destinationList: AlertDestination[];
  private readonly bulkheads = new Map<string, Bulkhead>();
  private readonly leaseMs: number;
  private readonly retryDelayMs: (retry: number) => number;
  private readonly hooks: SenderHooks;

  constructor(options: AlertSenderOptions) {
    this.ledger = options.ledger;
    this.destinationList = options.destinations;
    const names = new Set<string>();
    for (const d of this.destinationList) {
      if (names.has(d.name))
        throw new AlertSendError(`two alert destinations are named '${d.name}'`);
      names.add(d.name);
      this.bulkheads.set(d.name, new Bulkhead());
    }
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.retryDelayMs = options.retryDelayMs ?? ((n) => Math.min(1000 * 2 ** (n - 1), 30_000));
    this.hooks = options.hooks ?? {};
  }

  get destinations(): readonly AlertDestination[] {
    return this.destinationList;
  }

  /** Sends to every destination; resolves when all have finished, one result each. */
  async send(alert: OutgoingAlert): Promise<DestinationResult[]> {
    return Promise.all(this.sendEach(alert).map((d) => d.result));
  }

  /**
   * Starts the sends and returns one promise per destination, so a caller can act on each as it
   * completes instead of waiting for the slowest.
   */
  sendEach(alert: OutgoingAlert): { destination: string; result: Promise<DestinationResult> }[] {
    this.check(alert);
    return this.destinationList.map((destination) => ({
      destination: destination.name,
      result: this.bulkheads.get(destination.name)!.run(() => this.sendOne(destination, alert)),
    }));
  }

  /** Per-destination health: topic up, delivery failure, queue length (the Nagios inputs). */
  health(): Record<string, DestinationHealth> {
    return Object.fromEntries(
      this.destinationList.map((d) => [
        d.name,
        { ...d.health(), queued: this.bulkheads.get(d.name)!.queued },
      ]),
    );
  }

  /** The Kafka destinations' "topic up" and "delivery failure" flags (Nagios checks 7 and 8). */
  producerHealth(): Record<string, { topicUp: boolean; deliveryFailure: boolean }> {
    const out: Record<string, { topicUp: boolean; deliveryFailure: boolean }> = {};
    for (const d of this.destinationList) {
      if (d.kind !== 'kafka') continue;
      const h = d.health();
      out[d.name] = { topicUp: h.topicUp ?? false, deliveryFailure: h.deliveryFailure };
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.destinationList.map((d) => d.close()));
  }

  /** Refuses alerts whose parts disagree; nothing is sent for them. */
  private check(alert: OutgoingAlert): void {
    const label = `alert ${alert.superevent} ${alert.alertType} #${alert.serial}`;
    if (!alert.superevent || !Number.isSafeInteger(alert.serial) || alert.serial < 0) {
      throw new AlertSendError(
        `${label}: superevent and a non-negative integer serial are required`,
      );
    }
    if (!alert.packet && !alert.voevent) throw new AlertSendError(`${label}: nothing to send`);
    if (alert.packet) {
      if (alert.packet.superevent_id !== alert.superevent) {
        throw new AlertSendError(`${label}: the packet is for ${alert.packet.superevent_id}`);
      }
      if (alert.packet.alert_type !== packetAlertType(alert.alertType)) {
        throw new AlertSendError(`${label}: the packet is a ${alert.packet.alert_type} alert`);
      }
      validateAlertPacket(alert.packet);
    }
    if (alert.voevent) {
      const ivorn = parseVoevent(alert.voevent, `${label} VOEvent`).ivorn;
      const fragment = ivorn.slice(ivorn.indexOf('#') + 1);
      if (!fragment.startsWith(`${alert.superevent}-${alert.serial}-`)) {
        throw new AlertSendError(`${label}: the VOEvent is ${ivorn}`);
      }
    }
  }

  private leaseFor(destination: AlertDestination): number {
    const attempts = destination.retries + 1;
    let backoff = 0;
    for (let n = 1; n < attempts; n++) backoff += this.retryDelayMs(n);
    return Math.max(this.leaseMs, hardTimeoutMs(destination) * attempts + backoff);
  }

  private async sendOne(
    destination: AlertDestination,
    alert: OutgoingAlert,
  ): Promise<DestinationResult> {
    const key: AlertKey = {
      superevent: alert.superevent,
      alertType: alert.alertType,
      serial: alert.serial,
      destination: destination.name,
    };
    const base = { destination: destination.name, kind: destination.kind, attempts: 0 };
    const payload = destination.payload(alert);
    if ('skip' in payload) return { ...base, status: 'skipped', error: payload.skip };
    const { bytes } = payload;

    const claim = await this.ledger.claim(
      key,
      payloadHash(bytes),
      this.owner,
      this.leaseFor(destination),
    );
    if (claim.outcome === 'delivered') {
      return { ...base, status: 'already-sent', receipt: claim.record.receipt ?? undefined };
    }
    if (claim.outcome === 'busy') {
      return {
        ...base,
        status: 'busy',
        error: `held by ${claim.record.claimOwner} until ${new Date(claim.record.leaseUntil ?? 0).toISOString()}`,
      };
    }
    if (claim.previous === 'in-doubt') {
      const found = await this.lookForEarlierDelivery(
        destination,
        key,
        bytes,
        new Date(claim.record.recordedAt),
      );
      if (found === 'unknown') {
        const error =
          'an earlier attempt may have been delivered and the destination cannot tell; not sending again';
        await this.ledger.markFailed(key, this.owner, error, true);
        return { ...base, status: 'failed', error };
      }
      if (found) {
        await this.ledger.markDelivered(key, this.owner, found);
        log.info(
          { key, receipt: found },
          'in-doubt alert was already delivered; not sending again',
        );
        return { ...base, status: 'already-sent', receipt: found };
      }
    }
    await this.hooks.afterRecord?.(key);

    let lastError = '';
    let lastAmbiguous = false;
    let attempts = 0;
    for (let attempt = 1; attempt <= destination.retries + 1; attempt++) {
      if (attempt > 1) {
        await sleep(this.retryDelayMs(attempt - 1));
        if (lastAmbiguous) {
          // The failed attempt may still have landed (a timeout says nothing about the far end).
          const found = await this.lookForEarlierDelivery(
            destination,
            key,
            bytes,
            new Date(claim.record.recordedAt),
          );
          if (found === 'unknown') {
            lastError = `${lastError}; it may have been delivered and the destination cannot tell, so it is not sent again`;
            break;
          }
          if (found) {
            await this.ledger.markDelivered(key, this.owner, found);
            return { ...base, attempts, status: 'already-sent', receipt: found };
          }
        }
      }
      attempts = attempt;
      try {
        const receipt = await this.attempt(destination, bytes, key);
        await this.hooks.afterSend?.(key, receipt);
        await this.ledger.markDelivered(key, this.owner, receipt);
        log.info({ key, receipt }, 'alert delivered');
        return { ...base, attempts, status: 'sent', receipt };
      } catch (err) {
        lastError = (err as Error).message;
        lastAmbiguous = !(err instanceof DeliveryError) || err.ambiguous;
        log.warn(
          { key, attempt, err: lastError, ambiguous: lastAmbiguous },
          'alert delivery attempt failed',
        );
        if (err instanceof DeliveryError && !err.retryable) break;
      }
    }
    await this.ledger.markFailed(key, this.owner, lastError, lastAmbiguous);
    log.error({ key, err: lastError }, 'alert delivery failed');
    return { ...base, attempts, status: 'failed', error: lastError };
  }

  private async attempt(
    destination: AlertDestination,
    bytes: Uint8Array,
    key: AlertKey,
  ): Promise<DeliveryReceipt> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Destinations enforce their own timeout and know whether anything left; this cap only
    // guards against one that does not return at all.
    const capMs = hardTimeoutMs(destination);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new DeliveryError(`${destination.name}: no answer within ${capMs} ms`));
      }, capMs);
    });
    try {
      return await Promise.race([destination.deliver(bytes, key, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private async lookForEarlierDelivery(
    destination: AlertDestination,
    key: AlertKey,
    bytes: Uint8Array,
    since: Date,
  ): Promise<DeliveryReceipt | undefined | 'unknown'> {
    try {
      return await destination.findDelivery(key, bytes, since);
    } catch (err) {
      log.error(
        { key, err: (err as Error).message },
        'cannot tell whether an earlier attempt was delivered',
      );
      return 'unknown';
    }
  }
}
