/**
 * Mock events drawn from a many-coincidence file (the "First Two Years" simulation): the
 * coincidence whose sidereal time was passed most recently, moved forward by whole sidereal
 * days (sidereal-match.ts), written with its PSDs.
 */
import {
  coincidenceGps,
  coincidenceUpload,
  loadCoincidenceSet,
  timeShift,
} from './coincidence-set.js';
import type { MockCoincidence, TakenTimes } from './mock-coincidence.js';
import { pickSiderealMatch } from './sidereal-match.js';

export async function first2yearsCoincidence(
  path: string,
  nowGps: number,
  taken: TakenTimes,
): Promise<MockCoincidence> {
  const set = loadCoincidenceSet(path);
  const times = set.coincidences.map(coincidenceGps);
  const pick = await pickSiderealMatch(times, nowGps, { taken });
  const coincidence = set.coincidences[pick.index]!;
  const coincEventId = coincidence.coincEvent.coinc_event_id;
  return {
    gps: pick.gps,
    input: coincidenceUpload(set, coincEventId, timeShift(pick.shiftS, pick.siderealDays)),
    origin: {
      source: 'first2years',
      file: path,
      coincEventId,
      originalGps: times[pick.index]!,
      siderealDays: pick.siderealDays,
    },
  };
}
