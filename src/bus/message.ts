/** One message as a subscriber receives it, whatever the driver. */
export interface BusMessage {
  /** Topic name on the wire (for IGWN Alert: `<group>.<topic>`). */
  topic: string;
  /** Kafka partition; 0 for the in-process and Redis drivers, whose topics are one log each. */
  partition: number;
  /**
   * Position in the partition, as the driver writes it: a decimal integer (in-process, Kafka) or
   * a Redis stream id `<ms>-<seq>`. Compare with compareOffsets(), never as strings.
   */
  offset: string;
  key?: string;
  value: Buffer;
  headers: Record<string, string>;
  /** Milliseconds since the epoch at which the broker accepted the message. */
  timestamp: number;
}

/**
 * Where a subscription starts reading. An offset is inclusive: the message at that offset is the
 * first one delivered. A timestamp selects the first message accepted at or after it.
 */
export type StartPosition =
  | 'earliest'
  | 'latest'
  | { offset: string; partition?: number }
  | { timestamp: number };

function parseOffset(offset: string): [bigint, bigint] {
  const dash = offset.indexOf('-');
  if (dash < 0) {
    if (!/^\d+$/.test(offset)) throw new Error(`invalid bus offset '${offset}'`);
    return [BigInt(offset), 0n];
  }
  const ms = offset.slice(0, dash);
  const seq = offset.slice(dash + 1);
  if (!/^\d+$/.test(ms) || !/^\d+$/.test(seq)) throw new Error(`invalid bus offset '${offset}'`);
  return [BigInt(ms), BigInt(seq)];
}

/** Orders two offsets of the same partition: negative, zero or positive like a comparator. */
export function compareOffsets(a: string, b: string): number {
  const [a1, a2] = parseOffset(a);
  const [b1, b2] = parseOffset(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  return 0;
}

/** Checks an offset's syntax early, so that a typo in `gwcelery bus seek` is a clear error. */
export function assertOffset(offset: string): void {
  parseOffset(offset);
}

export function describePosition(position: StartPosition): string {
  if (typeof position === 'string') return position;
  if ('timestamp' in position) return `time ${new Date(position.timestamp).toISOString()}`;
  return position.partition === undefined
    ? `offset ${position.offset}`
    : `offset ${position.partition}:${position.offset}`;
}

/**
 * A position as an operator writes it: `earliest`, `latest`, an offset (`42`, or a Redis id
 * `1700000000000-0`), or an ISO 8601 time.
 */
export function parseStartPosition(text: string): StartPosition {
  const value = text.trim();
  if (value === 'earliest' || value === 'latest') return value;
  if (/^\d+(-\d+)?$/.test(value)) return { offset: value };
  const ms = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(ms)) return { timestamp: ms };
  throw new Error(
    `invalid position '${text}': expected earliest, latest, an offset or an ISO 8601 time`,
  );
}
