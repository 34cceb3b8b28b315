import type { GraceDbClient } from '../../../gracedb/client.js';
import { gpsToUnix } from '../../../gracedb/gps-time.js';
import { getLogger } from '../../../log/index.js';
import type { AlertLedgerReader, LedgerEntry } from '../superevents/alert-ledger-reader.js';
import type { ConsoleMetrics } from './console-metrics.js';

const log = getLogger('console.alert-latency');

/**
 * Feeds the alert-latency histogram: polls the ledger for newly delivered alerts and observes
 * delivery time minus the superevent's t₀. Alerts already delivered when the console starts
 * are not counted again (a restart must not double the histogram).
 */
export class AlertLatencyTracker {
  private readonly seen = new Set<string>();
  private readonly t0 = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private seeded = false;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly ledger: AlertLedgerReader,
    private readonly gracedb: GraceDbClient,
    private readonly metrics: ConsoleMetrics,
    private readonly everyMs = 15_000,
  ) {}

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private key(e: LedgerEntry): string {
    return `${e.superevent}/${e.alertType}/${e.serial}/${e.destination}`;
  }

  private async pollOnce(): Promise<void> {
    let entries: LedgerEntry[];
    try {
      entries = await this.ledger.list({ limit: 500 });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'cannot read the alert ledger');
      return;
    }
    for (const entry of entries) {
      if (entry.state !== 'delivered' || !entry.deliveredAt) continue;
      const key = this.key(entry);
      if (this.seen.has(key)) continue;
      if (!this.seeded) {
        this.seen.add(key);
        continue;
      }
      try {
        let t0 = this.t0.get(entry.superevent);
        if (t0 === undefined) {
          t0 = gpsToUnix((await this.gracedb.getSuperevent(entry.superevent)).t_0) * 1000;
          this.t0.set(entry.superevent, t0);
        }
        this.seen.add(key);
        this.metrics.alertLatency.observe(
          { alert_type: entry.alertType, destination: entry.destination },
          (Date.parse(entry.deliveredAt) - t0) / 1000,
        );
      } catch (err) {
        // Retried at the next poll.
        log.warn(
          { err: (err as Error).message, superevent: entry.superevent },
          'no t0 for an alert',
        );
      }
    }
    this.seeded = true;
  }
}
