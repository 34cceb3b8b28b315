import { roundGps } from '../gps-time.js';
import {
  emptyParsedEvent,
  formatExponent,
  type ParsedEvent,
  PayloadError,
} from './parsed-event.js';

/**
 * cWB's text trigger file (§4.2): lines `key: value value ...`, one value per detector where
 * that applies, and the FAR on the line after `#significance based on the last day`.
 */
export function eventFromCwb(data: Uint8Array): ParsedEvent {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new PayloadError('not a UTF-8 text file');
  }
  const lines = text.split(/\r?\n/);
  const values = new Map<string, string[]>();
  let far: number | null = null;
  const urls: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.startsWith('#significance based on the last day')) {
      const next = (lines[i + 1] ?? '').trim().split(/\s+/);
      const value = Number(next[1]);
      if (next.length < 2 || !Number.isFinite(value)) {
        throw new PayloadError(
          `line ${i + 2}: expected the FAR as the second number after '#significance based on the last day'`,
        );
      }
      far = value;
      continue;
    }
    if (/^https?:\/\//.test(line)) {
      urls.push(line);
      continue;
    }
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (m && !values.has(m[1]!)) values.set(m[1]!, m[2]!.trim().split(/\s+/).filter(Boolean));
  }
  const first = (key: string): string | undefined => values.get(key)?.[0];
  const num = (key: string, index = 0): number | null => {
    const raw = values.get(key)?.[index];
    if (raw === undefined) return null;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new PayloadError(`${key}: '${raw}' is not a number`);
    return n;
  };
  const times = values.get('time');
  const ifos = values.get('ifo');
  if (!times?.length) throw new PayloadError("no 'time:' line");
  if (!ifos?.length) throw new PayloadError("no 'ifo:' line");
  const order = ifos
    .map((ifo, i) => ({ ifo, time: times[i] }))
    .sort((a, b) => (a.ifo < b.ifo ? -1 : 1));
  const gpstime = num('time');
  const likelihood = num('likelihood');
  const startText = first('start');
  let start_time: number | null = null;
  let start_time_ns: number | null = null;
  if (startText !== undefined) {
    const [s, frac = ''] = startText.split('.');
    start_time = Number(s);
    start_time_ns = Number(frac.padEnd(9, '0').slice(0, 9));
    if (!Number.isFinite(start_time) || !Number.isFinite(start_time_ns)) {
      throw new PayloadError(`start: '${startText}' is not a GPS time`);
    }
  }
  const instruments = order.map((o) => o.ifo).join(',');
  const snr = likelihood === null || likelihood < 0 ? null : Math.sqrt(likelihood);
  const eventLog = [
    'Pipeline: CWB',
    `IFOs: ${instruments}`,
    `GPS time: ${gpstime ?? '---'}`,
    `Likelihood: ${likelihood ?? '---'}`,
    `FAR: ${far === null ? '---' : formatExponent(far)}`,
    '',
  ].join('\n');
  return {
    ...emptyParsedEvent(),
    gpstime: gpstime === null ? null : roundGps(gpstime),
    far,
    instruments,
    likelihood,
    attributes: {
      MultiBurst: {
        ifos: instruments,
        single_ifo_times: order.map((o) => o.time ?? '').join(','),
        start_time,
        start_time_ns,
        duration: num('duration'),
        peak_time: null,
        peak_time_ns: null,
        central_freq: num('frequency'),
        bandwidth: num('bandwidth'),
        amplitude: num('rho'),
        snr,
        confidence: null,
        false_alarm_rate: null,
        ligo_axis_ra: num('phi', 2),
        ligo_axis_dec: num('theta', 2),
        ligo_angle: null,
        ligo_angle_sig: null,
      },
    },
    derivedFiles: [
      { name: 'event.log', data: new TextEncoder().encode(eventLog), comment: 'Log File Created' },
    ],
    notes: urls.map((url) =>
      /\.fits(\.gz)?$/.test(url)
        ? `Skymap FITS file: <a href="${url}">${url}</a>`
        : `Coherent Event Display: <a href="${url}">${url}</a>`,
    ),
  };
}
