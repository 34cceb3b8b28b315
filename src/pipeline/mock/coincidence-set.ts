/**
 * A many-coincidence LIGO_LW file (the "First Two Years" gstlal output, or the project's own
 * generated set), read once per process, and the coinc.xml of one of its coincidences moved to
 * a new time: the tables a pipeline upload carries plus the PSDs of its detectors.
 */
import { readFileSync, statSync } from 'node:fs';
import {
  type CoincDocumentInput,
  type Coincidence,
  type CoincTables,
  LigoLwError,
  type Psd,
  readCoincidences,
} from '../../formats/ligolw/index.js';

export interface CoincidenceSet {
  /** The file, for messages. */
  path: string;
  tables: CoincTables;
  coincidences: Coincidence[];
  psds: Record<string, Psd>;
}

/** Parsing the first-two-years file takes a few hundred milliseconds: keep one per process. */
let cached: { key: string; set: CoincidenceSet } | undefined;

/** Reads a coincidence file (plain or gzipped), from this process's cache when unchanged. */
export function loadCoincidenceSet(path: string): CoincidenceSet {
  let key: string;
  try {
    const stat = statSync(path);
    key = `${path}|${stat.size}|${stat.mtimeMs}`;
  } catch (err) {
    throw new Error(
      `mock events: cannot read the coincidence file ${path}: ${(err as Error).message}`,
    );
  }
  if (cached?.key === key) return cached.set;
  const { tables, coincidences, psds } = readCoincidences(readFileSync(path), { fileName: path });
  // Only zero-lag sngl↔sngl coincidences are candidates; injection-finding rows are not.
  const usable = coincidences.filter(
    (c) =>
      c.snglInspirals.length > 0 &&
      Object.values(c.offsets).every((offset) => offset === 0) &&
      c.snglInspirals.every((s) => psds[s.ifo] !== undefined),
  );
  if (usable.length === 0) {
    throw new LigoLwError(
      'no coincidence with sngl_inspiral rows and a PSD for each of their detectors',
      { file: path },
    );
  }
  const set = { path, tables, coincidences: usable, psds };
  cached = { key, set };
  return set;
}

/** GPS time of a coincidence (its coinc_inspiral end time), in seconds. */
export function coincidenceGps(c: Coincidence): number {
  return c.coincInspiral.end_time + c.coincInspiral.end_time_ns * 1e-9;
}

/** A time shift as whole seconds plus nanoseconds, so that nanosecond end times stay exact. */
export interface TimeShift {
  seconds: number;
  nanoseconds: number;
  /** The whole sidereal days it spans (each adds 2π to the unwrapped sidereal times). */
  siderealDays: number;
}

export function timeShift(shiftS: number, siderealDays: number): TimeShift {
  let seconds = Math.floor(shiftS);
  let nanoseconds = Math.round((shiftS - seconds) * 1e9);
  if (nanoseconds === 1e9) {
    seconds += 1;
    nanoseconds = 0;
  }
  return { seconds, nanoseconds, siderealDays };
}

function shifted(time: number, ns: number, by: TimeShift): { time: number; ns: number } {
  let t = time + by.seconds;
  let n = ns + by.nanoseconds;
  if (n >= 1e9) {
    t += 1;
    n -= 1e9;
  }
  return { time: t, ns: n };
}

/**
 * The upload of one coincidence, moved by `shift`: its process and that process's parameters,
 * its triggers, the coinc_event (likelihood as its natural logarithm, which current gstlal
 * writes and p_astro expects; the first-two-years gstlal wrote the likelihood itself), its
 * coinc_event_map, definer and time slide, and one PSD per detector.
 */
export function coincidenceUpload(
  set: CoincidenceSet,
  coincEventId: number,
  shift: TimeShift,
): CoincDocumentInput {
  const coincidence = set.coincidences.find((c) => c.coincEvent.coinc_event_id === coincEventId);
  if (!coincidence) {
    throw new LigoLwError(`no usable coincidence with coinc_event_id ${coincEventId}`, {
      file: set.path,
    });
  }
  const { coincEvent, coincInspiral } = coincidence;
  const processId = coincEvent.process_id;
  const processes = coincidence.process
    ? [coincidence.process]
    : [{ process_id: processId ?? 0, program: 'gstlal_inspiral' }];
  const twoPiDays = 2 * Math.PI * shift.siderealDays;
  const snglInspirals = coincidence.snglInspirals.map((s) => {
    const { time, ns } = shifted(s.end_time, s.end_time_ns, shift);
    return {
      ...s,
      end_time: time,
      end_time_ns: ns,
      end_time_gmst: s.end_time_gmst === null ? null : s.end_time_gmst + twoPiDays,
    };
  });
  const end = shifted(coincInspiral.end_time, coincInspiral.end_time_ns, shift);
  const likelihood = coincEvent.likelihood;
  const eventIds = new Set(snglInspirals.map((s) => s.event_id));
  const psds = Object.fromEntries(
    [...new Set(snglInspirals.map((s) => s.ifo))].map((ifo) => [ifo, set.psds[ifo]!]),
  );
  return {
    processes,
    processParams: set.tables.processParams.filter((p) => p.process_id === processId),
    snglInspirals,
    coincDefiners: set.tables.coincDefiners.filter(
      (d) => d.coinc_def_id === coincEvent.coinc_def_id,
    ),
    coincEvent: {
      ...coincEvent,
      likelihood: likelihood !== null && likelihood > 0 ? Math.log(likelihood) : null,
    },
    coincEventMap: set.tables.coincEventMap.filter(
      (m) =>
        m.coinc_event_id === coincEvent.coinc_event_id &&
        m.table_name === 'sngl_inspiral' &&
        eventIds.has(m.event_id),
    ),
    timeSlides: set.tables.timeSlides.filter((t) => t.time_slide_id === coincEvent.time_slide_id),
    coincInspiral: { ...coincInspiral, end_time: end.time, end_time_ns: end.ns },
    psds,
  };
}
