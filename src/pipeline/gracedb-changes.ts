import type { ChangedObject, GraceDbChanges } from '../bus/igwn-alert/reconcile.js';
import type { GraceDbClient } from '../gracedb/client.js';
import { unixToGps } from '../gracedb/gps-time.js';
import { getLogger } from '../log/index.js';

const log = getLogger('pipeline.reconcile');

/** Candidates are looked up by their GPS time: a change to an old one is not chased. */
const LOOKBACK_S = 86400;
/** Bounds the catch-up work after a long outage. */
const MAX_OBJECTS = 200;

/**
 * What the IGWN Alert listener asks GraceDB after a gap. GraceDB has no "modified since" query,
 * so this looks at the superevents and events whose time is recent (t_0 / gpstime within a day
 * of the gap) and returns them with their labels and client-written logs; the listener replays
 * only what falls in the gap and was not dispatched already.
 */
export class GraceDbChangesFromClient implements GraceDbChanges {
  constructor(private readonly gracedb: GraceDbClient) {}

  async changedBetween(since: Date, until: Date): Promise<ChangedObject[]> {
    const from = unixToGps(since.getTime() / 1000 - LOOKBACK_S).toFixed(1);
    const to = unixToGps(until.getTime() / 1000).toFixed(1);
    const [production, mdc, events] = await Promise.all([
      this.gracedb.getSuperevents(`category: production t_0: ${from} .. ${to}`),
      this.gracedb.getSuperevents(`category: mdc t_0: ${from} .. ${to}`),
      this.gracedb.getEvents(`gpstime: ${from} .. ${to} MDC`),
    ]);
    const objects = [...production, ...mdc, ...events] as Record<string, unknown>[];
    if (objects.length > MAX_OBJECTS) {
      log.warn(
        { found: objects.length, kept: MAX_OBJECTS },
        'many candidates changed during the gap; reconciling the most recent ones',
      );
    }
    const recent = objects.slice(-MAX_OBJECTS);
    const out: ChangedObject[] = [];
    for (const object of recent) {
      const id = String(object.superevent_id ?? object.graceid);
      const [labels, logs] = await Promise.all([
        this.gracedb.listLabels(id),
        this.gracedb.getLog(id),
      ]);
      out.push({
        object,
        labels,
        // GraceDB announces only what clients wrote: entries it writes itself are left out.
        logs: (logs as unknown as Record<string, unknown>[]).filter((entry) => !isAutomatic(entry)),
      });
    }
    return out;
  }
}

const AUTOMATIC_LOG =
  /^(Applied label|Removed label|Added tag|Removed tag|Added event|Removed event|Superevent created|Log message|Signoff|New VOEvent|Updated superevent|Set preferred|Added to superevent|Original Data)/;

function isAutomatic(entry: Record<string, unknown>): boolean {
  return typeof entry.comment === 'string' && AUTOMATIC_LOG.test(entry.comment) && !entry.filename;
}
