import type { Logger } from '../../log/index.js';
import type { BusMessage } from '../message.js';
import type { Publisher } from '../publisher.js';
import { describeError } from '../subscription-state.js';

export interface HeartbeatHealth {
  topic: string;
  intervalS: number;
  staleAfterS: number;
  /** The last heartbeat this listener sent (ms since the epoch). */
  lastSentAt?: number;
  /** When the newest heartbeat that came back had been sent. */
  lastReturnedSentAt?: number;
  /** Seconds since the newest heartbeat that came back was sent (or since start-up). */
  ageS: number;
  /** Publish-to-read time of the newest returned heartbeat. */
  roundTripMs?: number;
  fresh: boolean;
  sendFailures: number;
  lastSendError?: string;
}

interface HeartbeatPayload {
  heartbeat: string;
  seq: number;
  sent_at: number;
}

/**
 * Proof that the whole path works, not just the socket: the listener publishes to its own
 * heartbeat topic every few seconds and reads it back through the same subscription as the
 * alerts. A heartbeat that does not come back within the staleness limit means the listener is
 * not listening, whatever the connection state says (a wedged consumer, a revoked ACL, a broker
 * accepting connections but not serving).
 */
export class Heartbeat {
  private timer?: NodeJS.Timeout;
  private seq = 0;
  private readonly startedAt = Date.now();
  private lastSentAt?: number;
  private lastReturnedSentAt?: number;
  private roundTripMs?: number;
  private sendFailures = 0;
  private lastSendError?: string;
  private sending = false;

  constructor(
    private readonly publisher: Publisher,
    readonly topic: string,
    /** Unique per listener process: whose heartbeats to count. */
    private readonly sender: string,
    private readonly intervalMs: number,
    private readonly staleMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    // One heartbeat in flight at a time: during an outage publishes wait for their timeout,
    // and piling them up would only flood the broker when it comes back.
    if (this.sending) return;
    this.sending = true;
    const payload: HeartbeatPayload = {
      heartbeat: this.sender,
      seq: ++this.seq,
      sent_at: Date.now(),
    };
    try {
      await this.publisher.publish(this.topic, JSON.stringify(payload), { key: this.sender });
      this.lastSentAt = payload.sent_at;
    } catch (err) {
      this.sendFailures++;
      this.lastSendError = describeError(err);
      this.log.warn(
        { topic: this.topic, err: this.lastSendError },
        `IGWN Alert listener could not publish its heartbeat to ${this.topic}: ${this.lastSendError}`,
      );
    } finally {
      this.sending = false;
    }
  }

  /** A message read back from the heartbeat topic. */
  received(message: BusMessage): void {
    let payload: Partial<HeartbeatPayload>;
    try {
      payload = JSON.parse(message.value.toString('utf8'));
    } catch {
      this.log.warn(
        { topic: message.topic, offset: message.offset },
        `ignoring a message on the heartbeat topic ${message.topic} at offset ${message.offset} that is not a heartbeat`,
      );
      return;
    }
    if (payload.heartbeat !== this.sender || typeof payload.sent_at !== 'number') return;
    if (this.lastReturnedSentAt === undefined || payload.sent_at > this.lastReturnedSentAt) {
      this.lastReturnedSentAt = payload.sent_at;
      this.roundTripMs = Date.now() - payload.sent_at;
    }
  }

  health(now = Date.now()): HeartbeatHealth {
    const reference = this.lastReturnedSentAt ?? this.startedAt;
    const ageMs = Math.max(0, now - reference);
    return {
      topic: this.topic,
      intervalS: this.intervalMs / 1000,
      staleAfterS: this.staleMs / 1000,
      lastSentAt: this.lastSentAt,
      lastReturnedSentAt: this.lastReturnedSentAt,
      ageS: ageMs / 1000,
      roundTripMs: this.roundTripMs,
      fresh: ageMs <= this.staleMs,
      sendFailures: this.sendFailures,
      lastSendError: this.lastSendError,
    };
  }
}
