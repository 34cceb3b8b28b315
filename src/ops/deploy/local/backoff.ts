/** How soon a crashed process is started again. */
export interface RestartPolicy {
  /** Wait before the first restart after a crash, in seconds. */
  baseS: number;
  /** Longest wait, in seconds. */
  maxS: number;
  /** A process that ran at least this long before it crashed counts as healthy again. */
  stableAfterS: number;
}

/**
 * The wait before restart number `crashesInARow` (1 for the first crash after a healthy run):
 * doubling, so that a process that cannot start (bad configuration, Redis down) does not spin,
 * capped, so that it comes back soon once the cause is fixed.
 */
export function restartDelayS(policy: RestartPolicy, crashesInARow: number): number {
  const n = Math.max(1, crashesInARow);
  return Math.min(policy.baseS * 2 ** (n - 1), policy.maxS);
}

/** Crashes in a row after one more crash of a process that ran `ranForS` seconds. */
export function nextCrashCount(policy: RestartPolicy, previous: number, ranForS: number): number {
  return ranForS >= policy.stableAfterS ? 1 : previous + 1;
}
