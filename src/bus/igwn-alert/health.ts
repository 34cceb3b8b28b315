import type { Outage } from '../bus.js';
import type { HeartbeatHealth } from './heartbeat.js';

/**
 * Everything an operator (console, /metrics, `gwcelery nagios`) needs to know about the IGWN
 * Alert listener, as one plain object: is it connected, does its heartbeat come back, how far
 * behind is it per topic, how long since each topic said anything, what it dropped and why.
 */
export interface ListenerHealth {
  healthy: boolean;
  /** Why it is not healthy, in words an operator can act on; empty when healthy. */
  problems: string[];
  server: string;
  group: string;
  consumerGroup: string;
  /** Bare topics subscribed (the `igwn-alert-topics` inspect key compares these). */
  topics: string[];
  startedAt: number;
  connection: {
    connected: boolean;
    since: number;
    reconnects: number;
    lastError?: { message: string; at: number };
    outages: Outage[];
  };
  /** Absent when no heartbeat topic is configured. */
  heartbeat?: HeartbeatHealth;
  lag: {
    /** Messages not yet handled over all alert topics; null until the broker answered once. */
    total: number | null;
    checkedAt?: number;
    /** Why the last lag query failed (the broker is unreachable); the figures are then old. */
    error?: string;
  };
  perTopic: Record<
    string,
    {
      lag: number | null;
      handled: number;
      lastOffset?: string;
      /** Broker time of the newest message handled on the topic. */
      lastMessageAt?: number;
      lastMessageAgeS?: number;
    }
  >;
  counts: {
    received: number;
    dispatched: number;
    duplicates: number;
    invalid: number;
    wrongServer: number;
    unknownTopic: number;
    dispatchFailures: number;
    permanentFailures: number;
  };
  reconciliation: {
    enabled: boolean;
    runs: number;
    pending?: { since: number; until: number };
    lastRun?: { at: number; since: number; until: number; replayed: number; skipped: number };
    lastError?: string;
  };
}

/** What can report listener health (the running IgwnAlertListener). */
export interface HealthSource {
  health(now?: number): ListenerHealth;
}

let current: HealthSource | undefined;

/** @internal The listener registers itself while it runs, and only itself unregisters. */
export function setCurrentListener(source: HealthSource, running: boolean): void {
  if (running) current = source;
  else if (current === source) current = undefined;
}

/**
 * The health of the IGWN Alert listener running in this process, for the console, /metrics
 * and `gwcelery nagios`; undefined when this process runs none.
 */
export function listenerHealth(now = Date.now()): ListenerHealth | undefined {
  return current?.health(now);
}
