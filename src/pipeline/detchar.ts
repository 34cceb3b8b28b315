/**
 * The data-quality check the alert flows run before a notice (gwcelery-spec §6.2,
 * `check_vectors`): state-vector and DQ-vector bits of the low-latency frames over the
 * candidate's window → the superevent log, the DQR summary file and DQOK / DQV / INJ labels.
 *
 * Reading frames is the detchar area's (not here yet): a `StateVectorSource` says what each bit
 * was over the window, and the default source has no frames, so every bit is unknown — exactly
 * what the reference reports when the frames are unavailable. The bookkeeping around it (which
 * detectors count, the messages, the labels, the DQR file) is complete, so a real source only
 * has to be plugged in.
 */
import { hostname, userInfo } from 'node:os';
import type { Config } from '../config/index.js';
import { defineTask } from '../engine/index.js';
import type { EventJson, GraceDbClient } from '../gracedb/client.js';
import { unixToGps } from '../gracedb/gps-time.js';
import { getLogger } from '../log/index.js';
import { gracedbFor } from './gracedb.js';
import { LABELS } from './orchestrator/labels.js';

const log = getLogger('detchar');

/** The reference's low-latency channels and the bits each carries (`llhoft_channels`). */
const LIGO_STATE_BITS = {
  0: 'HOFT_OK',
  1: 'OBSERVATION_INTENT',
  5: 'NO_STOCH_HW_INJ',
  6: 'NO_CBC_HW_INJ',
  7: 'NO_BURST_HW_INJ',
  8: 'NO_DETCHAR_HW_INJ',
} as const;
export const STATE_VECTOR_CHANNELS: Record<
  string,
  { ifo: string; dmtDq: boolean; bits: Record<number, string> }
> = {
  'H1:DMT-DQ_VECTOR': {
    ifo: 'H1',
    dmtDq: true,
    bits: { 1: 'NO_OMC_DCPD_ADC_OVERFLOW', 2: 'NO_DMT-ETMY_ESD_DAC_OVERFLOW' },
  },
  'L1:DMT-DQ_VECTOR': {
    ifo: 'L1',
    dmtDq: true,
    bits: { 1: 'NO_OMC_DCPD_ADC_OVERFLOW', 2: 'NO_DMT-ETMY_ESD_DAC_OVERFLOW' },
  },
  'H1:GDS-CALIB_STATE_VECTOR': { ifo: 'H1', dmtDq: false, bits: LIGO_STATE_BITS },
  'L1:GDS-CALIB_STATE_VECTOR': { ifo: 'L1', dmtDq: false, bits: LIGO_STATE_BITS },
  'V1:DQ_ANALYSIS_STATE_VECTOR': {
    ifo: 'V1',
    dmtDq: false,
    bits: { ...LIGO_STATE_BITS, 10: 'GOOD_DATA_QUALITY_CAT1' },
  },
};

/** Pipelines whose h(t) is gated, for which the DMT-DQ_VECTOR channels are not checked. */
const GATED_HOFT = new Set(['gstlal', 'spiir', 'pycbc', 'mbta', 'cwb']);

/** A bit over the window: set in every sample (true), not (false), or unreadable (undefined). */
export type BitState = boolean | undefined;

/**
 * Where the bits come from. `bits` answers, per bit number of `channel`, whether it was set in
 * every sample of [start, end); undefined when the data cannot be read.
 */
export interface StateVectorSource {
  readonly description: string;
  bits(
    channel: string,
    bitNumbers: number[],
    start: number,
    end: number,
  ): Promise<Record<number, BitState> | undefined>;
}

/** No low-latency frames on this machine: every bit is unknown. */
export const NO_FRAMES: StateVectorSource = {
  description: 'no low-latency frames are configured',
  async bits() {
    return undefined;
  },
};

let source: StateVectorSource = NO_FRAMES;

/** Plugs in the frame reader (the detchar area). */
export function setStateVectorSource(next: StateVectorSource): void {
  source = next;
}

export interface CheckVectorsResult {
  /** The event with its labels as the check left them (DQOK / DQV / INJ). */
  event: EventJson;
  /** 'skipped': an MDC event or a window ending in the future (early warning). */
  overall: 'good' | 'bad' | 'unknown' | 'skipped';
}

interface BitRow {
  key: string;
  ifo: string;
  state: BitState;
}

function table(title: string, rows: BitRow[]): string {
  const cell = (state: BitState) =>
    state === true
      ? '<td style="background-color:green">1</td>'
      : state === false
        ? '<td style="background-color:red">0</td>'
        : '<td style="background-color:yellow">Unknown</td>';
  return `<table><tr><th colspan=2>${title}</th></tr>${rows
    .map((r) => `<tr><td>${r.key}</td>${cell(r.state)}</tr>`)
    .join('')}</table>`;
}

/** good when every bit is set, bad when one is not, unknown when one cannot be read (or none). */
function overallState(rows: BitRow[]): 'good' | 'bad' | 'unknown' {
  if (rows.length === 0 || rows.some((r) => r.state === undefined)) return 'unknown';
  return rows.some((r) => r.state === false) ? 'bad' : 'good';
}

function instrumentsOf(event: EventJson): Set<string> {
  const raw = typeof event.instruments === 'string' ? event.instruments : '';
  return new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

/**
 * Checks the state vectors of an event over [start, end] and reports to `graceid` (the
 * superevent, or the event itself). Returns the event with its labels updated locally so that
 * the next step needs no new query.
 */
export async function checkVectors(
  gracedb: GraceDbClient,
  config: Pick<Config, 'check_vector_prepost'>,
  event: EventJson,
  graceid: string,
  start: number,
  end: number,
  now: number = unixToGps(Date.now() / 1000),
): Promise<CheckVectorsResult> {
  if (end > now || (event.search ?? '').toLowerCase() === 'mdc') {
    log.info({ graceid, event: event.graceid, end, now }, 'data-quality check skipped');
    return { event, overall: 'skipped' };
  }
  const pipeline = event.pipeline ?? '';
  const [pre, post] = config.check_vector_prepost[pipeline] ?? [2, 2];
  const from = start - pre;
  const to = end + post;
  const gated = GATED_HOFT.has(pipeline.toLowerCase());
  const active = instrumentsOf(event);

  const rows: BitRow[] = [];
  for (const [channel, spec] of Object.entries(STATE_VECTOR_CHANNELS)) {
    if (spec.dmtDq && gated) continue;
    const numbers = Object.keys(spec.bits).map(Number);
    let states: Record<number, BitState> | undefined;
    try {
      states = await source.bits(channel, numbers, from, to);
    } catch (err) {
      log.warn({ channel, err: (err as Error).message }, 'state vector unreadable');
    }
    for (const bit of numbers) {
      rows.push({ key: `${channel}:${spec.bits[bit]}`, ifo: spec.ifo, state: states?.[bit] });
    }
  }
  // Injection bits are low when an injection is present; every other bit is a DQ bit. Each
  // bit counts for its own detector (the reference looks at V1's for every key, §13).
  const injRows = rows.filter((r) => r.key.endsWith('_INJ'));
  const dqActive = rows.filter((r) => !r.key.endsWith('_INJ') && active.has(r.ifo));
  const injectionInActive = injRows.some((r) => r.state === false && active.has(r.ifo));
  const suffix = `Check looked within -${pre}/+${post} seconds of superevent. `;

  const labels = new Set(event.labels ?? []);
  let injMessage: string;
  if (injRows.some((r) => r.state === false)) {
    injMessage = `Injection found. ${table('Injection bits', injRows)}`;
  } else if (injRows.length > 0 && injRows.every((r) => r.state === true)) {
    injMessage = 'No HW injections found. ';
  } else {
    injMessage = 'Injection state unknown. ';
  }
  const overall = overallState(dqActive);
  const dqMessage =
    `Detector state for active instruments is ${overall}. ` +
    `${table('Data quality bits', dqActive)}` +
    (gated
      ? `This pipeline uses gated h(t): ${Object.keys(STATE_VECTOR_CHANNELS)
          .filter((c) => STATE_VECTOR_CHANNELS[c]!.dmtDq)
          .join(', ')} not checked. `
      : '');
  // iDQ needs the frames too: with no source it is unknown, as in the reference.
  const idqMessage = 'iDQ false alarm probabilities unknown. ';

  for (const message of [injMessage, dqMessage, idqMessage]) {
    await gracedb.upload(null, null, graceid, `${message}${suffix}`, ['data_quality']);
  }
  if (injectionInActive) {
    await gracedb.createLabel(LABELS.INJ, graceid);
    labels.add(LABELS.INJ);
  } else if (injRows.length > 0 && injRows.every((r) => r.state === true)) {
    await gracedb.removeLabel(LABELS.INJ, graceid);
    labels.delete(LABELS.INJ);
  }
  if (overall === 'good') {
    await gracedb.removeLabel(LABELS.DQV, graceid);
    await gracedb.createLabel(LABELS.DQOK, graceid);
    labels.delete(LABELS.DQV);
    labels.add(LABELS.DQOK);
  } else if (overall === 'bad') {
    await gracedb.removeLabel(LABELS.DQOK, graceid);
    await gracedb.createLabel(LABELS.DQV, graceid);
    labels.delete(LABELS.DQOK);
    labels.add(LABELS.DQV);
  }

  const state = overall === 'good' ? 'pass' : overall === 'bad' ? 'fail' : 'error';
  const summary = `${injMessage}${dqMessage}${idqMessage}${suffix}`;
  const dqr = {
    state,
    process_name: 'gwcelery.tasks.detchar.check_vectors',
    process_version: 'gwcelery-ts',
    librarian: 'gwcelery-ts maintainers',
    date: new Date().toISOString().replace('T', ' ').slice(0, 19),
    hostname: hostname(),
    username: userInfo().username,
    summary,
    figures: [],
    tables: [],
    links: [
      {
        href: 'https://gwcelery.readthedocs.io/en/latest/gwcelery.tasks.detchar.html#gwcelery.tasks.detchar.check_vectors',
        innerHTML: 'a link to the documentation for this process',
      },
      {
        href: 'https://git.ligo.org/emfollow/gwcelery/blob/main/gwcelery/tasks/detchar.py',
        innerHTML: 'a link to the source code in the gwcelery repo',
      },
    ],
    extra: [],
  };
  await gracedb.upload(
    JSON.stringify(dqr),
    `gwcelerydetcharcheckvectors-${graceid}.json`,
    graceid,
    'DQR-compatible json generated from check_vectors results',
  );
  log.info({ graceid, event: event.graceid, overall, source: source.description }, 'DQ check');
  return { event: { ...event, labels: [...labels] }, overall };
}

/** The check as a task (queue celery): what the console's "re-check DQ" button can send. */
export const checkVectorsTask = defineTask(
  { name: 'detchar.check_vectors' },
  async (ctx, eventId: string, graceid: string, start: number, end: number) => {
    const gracedb = gracedbFor(ctx.app.config);
    const event = await gracedb.getEvent(eventId);
    const result = await checkVectors(gracedb, ctx.app.config, event, graceid, start, end);
    return { overall: result.overall, labels: result.event.labels };
  },
);
