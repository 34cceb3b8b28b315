/**
 * What the console reads from the alert ledger (src/alerts/ledger: AlertLedger satisfies it):
 * the alerts sent per superevent, where, when, and how each delivery ended.
 */
export interface LedgerEntry {
  superevent: string;
  alertType: string;
  serial: number;
  destination: string;
  state: 'pending' | 'delivered' | 'failed';
  payloadHash: string;
  /** ISO times. */
  recordedAt: string;
  deliveredAt: string | null;
  attempts: number;
  error: string | null;
  inDoubt?: boolean;
}

export interface AlertLedgerReader {
  list(filter?: {
    superevent?: string;
    destination?: string;
    limit?: number;
  }): Promise<LedgerEntry[]>;
}
