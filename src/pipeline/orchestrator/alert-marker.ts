/**
 * The durable record that an alert's notice exists: one superevent log line written right after
 * GraceDB created the VOEvent, naming the alert's identity and the VOEvent. A task that runs
 * again (a redelivery after a crash, a timer that fires twice) finds it and resumes delivery of
 * that same notice instead of creating another.
 */

export interface AlertMarker {
  alertId: string;
  /** `<sid>-<N>-<Type>.xml`. */
  voevent: string;
  /** N, the notice's serial. */
  serial: number;
  /** Position of the marker in the log, to tell what was written after it. */
  index: number;
}

const MARKER = /^Alert (\S+): VOEvent (\S+-(\d+)-[A-Za-z]+\.xml) created$/;

export function alertMarkerComment(alertId: string, voevent: string): string {
  return `Alert ${alertId}: VOEvent ${voevent} created`;
}

/** The marker of `alertId` in a superevent's log, if its notice was created. */
export function findAlertMarker(
  log: readonly { comment?: string | null }[],
  alertId: string,
): AlertMarker | undefined {
  for (const [index, entry] of log.entries()) {
    const match = MARKER.exec(entry.comment ?? '');
    if (match && match[1] === alertId) {
      return { alertId, voevent: match[2]!, serial: Number(match[3]), index };
    }
  }
  return undefined;
}

/** The serial of a VOEvent file name `<sid>-<N>-<Type>.xml`. */
export function voeventSerial(filename: string): number {
  const match = /-(\d+)-[A-Za-z]+\.xml$/.exec(filename);
  if (!match) throw new Error(`'${filename}' is not a VOEvent file name <sid>-<N>-<Type>.xml`);
  return Number(match[1]);
}
