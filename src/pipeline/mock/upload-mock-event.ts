/**
 * One mock MDC CBC event (gwcelery-spec §12 item 97): a coincidence for "now", uploaded to
 * GraceDB as group CBC, pipeline gstlal, search MDC, once as drawn and then as jittered copies
 * spread over a few seconds, as the several gstlal instances of O4 upload one signal.
 */
import type { Config } from '../../config/index.js';
import { coincDocument, writeLigoLw } from '../../formats/ligolw/index.js';
import { unixToGps } from '../../formats/time/gps.js';
import type { GraceDbClient } from '../../gracedb/client.js';
import type { Logger } from '../../log/index.js';
import { first2yearsCoincidence } from './first2years-source.js';
import { generatedCoincidence } from './generated-source.js';
import type { MockCoincidence, MockOrigin } from './mock-coincidence.js';
import { mockSourceFor } from './mock-source.js';
import type { RandomSource } from './random.js';
import type { TakenInterval } from './sidereal-match.js';
import { jitterSnr } from './snr-jitter.js';

export const MOCK_GROUP = 'CBC';
export const MOCK_PIPELINE = 'gstlal';
export const MOCK_SEARCH = 'MDC';

export interface MockEventOptions {
  /** Uploads in all (the first as drawn, the rest jittered); at least 1. */
  uploads: number;
  /** Seconds over which the jittered copies are spread. */
  spreadS: number;
  random: RandomSource;
  /** "Now" (default: the clock). */
  nowGps?: number;
  log?: Logger;
}

export interface MockEventResult {
  /** The first upload. */
  graceid: string;
  /** Every upload, the first one first. */
  graceids: string[];
  /** When GraceDB answered each upload (ms since the epoch), in the order of graceids. */
  uploadedAtMs: number[];
  /** GPS time of the coincidence as uploaded. */
  gpstime: number;
  origin: MockOrigin;
}

/**
 * Times picked by this process recently: a second mock event can be drawn before the first
 * one's superevent exists (short intervals, bursts), and must not land on the same time.
 */
const recentPicks: { gps: number; at: number }[] = [];
const RECENT_PICK_MEMORY_MS = 3600_000;

function rememberPick(gps: number): void {
  const now = Date.now();
  while (recentPicks.length && recentPicks[0]!.at < now - RECENT_PICK_MEMORY_MS)
    recentPicks.shift();
  recentPicks.push({ gps, at: now });
}

/** MDC superevents' windows in GraceDB, plus this process's recent picks. */
function takenTimes(gracedb: GraceDbClient) {
  return async (fromGps: number, toGps: number): Promise<TakenInterval[]> => {
    const superevents = await gracedb.getSuperevents(
      `MDC t_0: ${fromGps.toFixed(3)} .. ${toGps.toFixed(3)}`,
    );
    const taken = superevents.map((s) => ({
      start: Number(s.t_start ?? s.t_0),
      end: Number(s.t_end ?? s.t_0),
    }));
    for (const pick of recentPicks) {
      if (pick.gps >= fromGps && pick.gps <= toGps) taken.push({ start: pick.gps, end: pick.gps });
    }
    return taken;
  };
}

function coincXml(coincidence: Pick<MockCoincidence, 'input'>): Uint8Array {
  return writeLigoLw(coincDocument(coincidence.input));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Draws a coincidence for now from the configured source. */
export async function drawMockCoincidence(
  config: Config,
  gracedb: GraceDbClient,
  nowGps: number,
  random: RandomSource,
): Promise<MockCoincidence> {
  const source = mockSourceFor(config);
  const taken = takenTimes(gracedb);
  const coincidence =
    source.kind === 'first2years'
      ? await first2yearsCoincidence(source.path, nowGps, taken)
      : await generatedCoincidence(nowGps, random, taken);
  rememberPick(coincidence.gps);
  return coincidence;
}

/** Uploads one mock event; resolves once every upload is in GraceDB. */
export async function uploadMockEvent(
  config: Config,
  gracedb: GraceDbClient,
  options: MockEventOptions,
): Promise<MockEventResult> {
  if (!Number.isInteger(options.uploads) || options.uploads < 1) {
    throw new Error(`mock event: uploads must be a whole number ≥ 1, got ${options.uploads}`);
  }
  const nowGps = options.nowGps ?? unixToGps(Date.now() / 1000);
  const coincidence = await drawMockCoincidence(config, gracedb, nowGps, options.random);
  const first = await gracedb.createEvent(
    coincXml(coincidence),
    MOCK_SEARCH,
    MOCK_PIPELINE,
    MOCK_GROUP,
  );
  const graceid = String(first.graceid);
  const firstAt = Date.now();
  options.log?.info(
    { graceid, gpstime: coincidence.gps, origin: coincidence.origin, uploads: options.uploads },
    'mock event uploaded',
  );

  // The copies are built before the clock starts so that their spread is the upload spread.
  const copies = Array.from({ length: options.uploads - 1 }, () => ({
    xml: coincXml({ input: jitterSnr(coincidence.input, options.random) }),
    afterMs: options.random.uniform() * options.spreadS * 1000,
  }));
  const outcomes = await Promise.allSettled(
    copies.map(async (copy) => {
      await delay(copy.afterMs);
      const event = await gracedb.createEvent(copy.xml, MOCK_SEARCH, MOCK_PIPELINE, MOCK_GROUP);
      return { graceid: String(event.graceid), at: Date.now() };
    }),
  );
  const graceids = [graceid];
  const uploadedAtMs = [firstAt];
  const failures: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') {
      graceids.push(outcome.value.graceid);
      uploadedAtMs.push(outcome.value.at);
    } else failures.push((outcome.reason as Error).message);
  }
  if (failures.length) {
    throw new Error(
      `mock event ${graceid}: ${failures.length} of ${copies.length} jittered copies were not uploaded (${graceids.length} uploads are in GraceDB): ${failures[0]}`,
    );
  }
  options.log?.info({ graceid, copies: graceids.slice(1) }, 'mock event copies uploaded');
  return {
    graceid,
    graceids,
    uploadedAtMs,
    gpstime: coincidence.gps,
    origin: coincidence.origin,
  };
}
