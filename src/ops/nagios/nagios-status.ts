/** Nagios plugin statuses; the exit code is the status (gwcelery-spec §8.1). */
export const NAGIOS_STATUS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;

export type NagiosStatusName = keyof typeof NAGIOS_STATUS;

export interface NagiosResult {
  status: NagiosStatusName;
  /** The one-line message after `STATUS: `. */
  message: string;
  /** Lines printed after the status line (what is missing, the traceback, ...). */
  detail?: string;
  /** Which check decided (1-based position in the order), absent for OK and UNKNOWN. */
  check?: number;
}

/** The plugin output: `STATUS: message` and the detail lines below it. */
export function formatNagiosResult(result: NagiosResult): string {
  const first = `${result.status}: ${result.message}`;
  return result.detail ? `${first}\n${result.detail}\n` : `${first}\n`;
}

export function exitCodeOf(result: NagiosResult): number {
  return NAGIOS_STATUS[result.status];
}
