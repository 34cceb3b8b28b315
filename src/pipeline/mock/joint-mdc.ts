/**
 * Mock gamma-ray bursts beside mock gravitational-wave events (gwcelery-spec §12 item 98), so
 * that RAVEN's coincidence path is exercised by the canary too: one MDC superevent in
 * `joint_mdc_freq` gets one to three GRB notices (60/30/10 %) from distinct missions (Fermi
 * 60 %, Swift 30 %, INTEGRAL 10 %) inside the CBC–GRB coincidence window, at random sky
 * positions.
 */
import type { GraceDbClient } from '../../gracedb/client.js';
import { fileExternalMdcNotice } from './file-external-notice.js';
import {
  type GrbMission,
  grbMdcIvorn,
  grbMdcNoticeXml,
  grbTriggerId,
  SWIFT_ERROR_RADIUS_DEG,
} from './grb-notice.js';
import type { RandomSource } from './random.js';

/**
 * Where a GRB may fall relative to a CBC merger for RAVEN to pair them: from 1 s before to 5 s
 * after (the reference's GRB_CBC window, searched from the GRB as [−5, +1] s).
 */
export const CBC_GRB_WINDOW_S: readonly [number, number] = [-1, 5];

const COUNT_WEIGHTS = [0.6, 0.3, 0.1];
const MISSION_WEIGHTS: readonly [GrbMission, number][] = [
  ['Fermi', 0.6],
  ['Swift', 0.3],
  ['INTEGRAL', 0.1],
];

/**
 * Whether a superevent gets mock GRBs: its letters read as a number (a = 1, …, z = 26, aa = 27,
 * as in MS190124ac → 29) divisible by `frequency`, so that one in `frequency` does, and the same
 * one on every deployment that sees it.
 */
export function isJointMdc(supereventId: string, frequency: number): boolean {
  const letters = /([a-z]+)$/i.exec(supereventId)?.[1]?.toLowerCase();
  if (!letters || !(frequency >= 1)) return false;
  let value = 0;
  for (const c of letters) value = value * 26 + (c.charCodeAt(0) - 96);
  return value % Math.floor(frequency) === 0;
}

/** How many GRBs and from which missions (distinct, drawn without replacement). */
export function chooseMissions(random: RandomSource): GrbMission[] {
  let u = random.uniform();
  let count = 1;
  for (const weight of COUNT_WEIGHTS) {
    u -= weight;
    if (u < 0) break;
    count++;
  }
  count = Math.min(count, MISSION_WEIGHTS.length);
  const pool = [...MISSION_WEIGHTS];
  const chosen: GrbMission[] = [];
  while (chosen.length < count) {
    let v = random.uniform() * pool.reduce((sum, [, w]) => sum + w, 0);
    let index = 0;
    while (index < pool.length - 1 && v >= pool[index]![1]) {
      v -= pool[index]![1];
      index++;
    }
    chosen.push(pool.splice(index, 1)[0]![0]);
  }
  return chosen;
}

export interface GrbEventResult {
  graceid: string;
  pipeline: GrbMission;
  gpstime: number;
  trigger_id: string;
  ivorn: string;
  ra: number;
  dec: number;
  error_radius: number;
  created: boolean;
}

/** One mock GRB from `mission` near `gwGpstime`, filed in GraceDB as an External MDC event. */
export async function uploadGrbMdcEvent(
  gracedb: GraceDbClient,
  mission: GrbMission,
  gwGpstime: number,
  random: RandomSource,
): Promise<GrbEventResult> {
  const [before, after] = CBC_GRB_WINDOW_S;
  const gpstime = gwGpstime + before + (after - before) * random.uniform();
  // Isotropic: uniform in RA and in sin(Dec).
  const ra = 360 * random.uniform();
  const dec = (Math.asin(2 * random.uniform() - 1) * 180) / Math.PI;
  const errorRadius = mission === 'Swift' ? SWIFT_ERROR_RADIUS_DEG : 1 + 29 * random.uniform();
  const triggerId = grbTriggerId(gpstime);
  const filed = await fileExternalMdcNotice(gracedb, {
    pipeline: mission,
    triggerId,
    xml: grbMdcNoticeXml({ mission, gpstime, ra, dec, errorRadius }),
  });
  return {
    ...filed,
    pipeline: mission,
    gpstime,
    trigger_id: triggerId,
    ivorn: grbMdcIvorn(mission, gpstime),
    ra,
    dec,
    error_radius: errorRadius,
  };
}

/** The mock GRBs of one MDC superevent, one after the other (each is a GraceDB write). */
export async function uploadJointMdcEvents(
  gracedb: GraceDbClient,
  gwGpstime: number,
  random: RandomSource,
  missions: readonly GrbMission[] = chooseMissions(random),
): Promise<GrbEventResult[]> {
  const results: GrbEventResult[] = [];
  for (const mission of missions) {
    results.push(await uploadGrbMdcEvent(gracedb, mission, gwGpstime, random));
  }
  return results;
}
