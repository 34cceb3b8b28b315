import type { PipelineAlertType } from '../../formats/alert/types.js';

/**
 * The alert ledger: what was sent where, with which payload, and what came back. Every send goes
 * through it so that an alert reaches each destination once per (superevent, alert type, serial):
 *
 *   claim   — before a send: records the attempt (payload hash, time) and reserves the key for
 *             one sender for a lease; durable before anything leaves the process.
 *   delivered / failed — after: the receipt (offset, acks, path) or the error.
 *
 * A key already delivered is never claimed again. A key recorded but never finished (the sender
 * died between "recorded" and "sent", or a timeout left the outcome unknown) is handed to the
 * next claimant marked `in-doubt` once the lease has expired: that sender must check the
 * destination for the earlier delivery before sending (see AlertSender).
 */
export interface AlertKey {
  superevent: string;
  alertType: PipelineAlertType;
  serial: number;
  destination: string;
}

export type LedgerState = 'pending' | 'delivered' | 'failed';

export interface DeliveryReceipt {
  /** ISO time the destination confirmed the delivery. */
  at: string;
  /** Destination-specific proof: Kafka topic/partition/offset, VTP acks, file path. */
  detail: Record<string, unknown>;
}

export interface LedgerRecord extends AlertKey {
  /** sha256 of the bytes of the latest attempt. */
  payloadHash: string;
  state: LedgerState;
  /** When the first attempt was recorded. */
  recordedAt: string;
  updatedAt: string;
  attempts: number;
  claimOwner: string | null;
  /** Epoch ms until which claimOwner holds the key. */
  leaseUntil: number | null;
  deliveredAt: string | null;
  receipt: DeliveryReceipt | null;
  error: string | null;
  /** The last failure may have delivered (a timeout after sending): check before resending. */
  inDoubt: boolean;
}

/**
 * The stored columns of a record, as both stores keep them (snake_case; Redis hands back strings
 * and omits empty fields, SQLite numbers and NULLs).
 */
export type LedgerColumns = Record<string, string | number | null | undefined>;

/** A record from its stored columns: one mapping for both stores. */
export function recordFromColumns(c: LedgerColumns): LedgerRecord {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const number = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  return {
    superevent: String(c.superevent),
    alertType: c.alert_type as LedgerRecord['alertType'],
    serial: Number(c.serial),
    destination: String(c.destination),
    payloadHash: String(c.payload_hash),
    state: c.state as LedgerState,
    recordedAt: String(c.recorded_at),
    updatedAt: String(c.updated_at),
    attempts: Number(c.attempts),
    claimOwner: text(c.claim_owner),
    leaseUntil: number(c.lease_until),
    deliveredAt: text(c.delivered_at),
    receipt: c.receipt ? (JSON.parse(String(c.receipt)) as DeliveryReceipt) : null,
    error: text(c.error),
    inDoubt: Number(c.in_doubt) === 1,
  };
}

export type ClaimResult =
  | {
      outcome: 'claimed';
      /**
       * 'new': first attempt. 'not-delivered': earlier attempts failed before anything reached
       * the destination. 'in-doubt': an earlier attempt may have delivered (its sender died, or
       * it timed out after sending); check the destination before sending.
       */
      previous: 'new' | 'not-delivered' | 'in-doubt';
      record: LedgerRecord;
    }
  | { outcome: 'delivered'; record: LedgerRecord }
  | { outcome: 'busy'; record: LedgerRecord };

export interface LedgerFilter {
  superevent?: string;
  destination?: string;
  /** Most recent first; default 1000. */
  limit?: number;
}

export interface AlertLedger {
  /** Where the ledger lives, for messages (`sqlite:/path`, `redis://host/…`). */
  readonly location: string;
  claim(
    key: AlertKey,
    payloadHash: string,
    owner: string,
    leaseMs: number,
    now?: number,
  ): Promise<ClaimResult>;
  markDelivered(
    key: AlertKey,
    owner: string,
    receipt: DeliveryReceipt,
    now?: number,
  ): Promise<LedgerRecord>;
  /**
   * Records a finished-but-failed attempt; `inDoubt` when it may nevertheless have delivered.
   * A delivered key stays delivered.
   */
  markFailed(
    key: AlertKey,
    owner: string,
    error: string,
    inDoubt: boolean,
    now?: number,
  ): Promise<LedgerRecord>;
  get(key: AlertKey): Promise<LedgerRecord | undefined>;
  list(filter?: LedgerFilter): Promise<LedgerRecord[]>;
  close(): Promise<void>;
}

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export function describeKey(key: AlertKey): string {
  return `${key.superevent} ${key.alertType} #${key.serial} → ${key.destination}`;
}

export function checkKey(key: AlertKey): void {
  if (!key.superevent || !key.destination || !key.alertType) {
    throw new LedgerError(`incomplete alert key: ${JSON.stringify(key)}`);
  }
  if (!Number.isSafeInteger(key.serial) || key.serial < 0) {
    throw new LedgerError(`alert serial must be a non-negative integer: ${describeKey(key)}`);
  }
}
