import { roundGps } from '../gps-time.js';
import { emptyParsedEvent, numberOrNull, type ParsedEvent, PayloadError } from './parsed-event.js';

/** The JSON uploads of the oLIB and MLy Burst pipelines (§4.2). */

function readJsonObject(data: Uint8Array): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (err) {
    throw new PayloadError(`not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PayloadError('expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function requiredGpstime(json: Record<string, unknown>): number {
  const gpstime = numberOrNull(json.gpstime, 'gpstime');
  if (gpstime === null) throw new PayloadError('gpstime: missing');
  return roundGps(gpstime);
}

function instrumentsOf(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'string') return value;
  throw new PayloadError(`${field}: expected a string or a list of detector names`);
}

/** oLIB's JSON → LalInferenceBurst. */
export function eventFromOlib(data: Uint8Array): ParsedEvent {
  const json = readJsonObject(data);
  const n = (key: string) => numberOrNull(json[key], key);
  const nevents = json.nevents === undefined ? 1 : n('nevents');
  return {
    ...emptyParsedEvent(),
    gpstime: requiredGpstime(json),
    far: n('FAR'),
    instruments: instrumentsOf(json.instruments, 'instruments'),
    nevents: nevents === null ? null : Math.trunc(nevents),
    likelihood: n('likelihood'),
    attributes: {
      LalInferenceBurst: {
        bci: n('BCI'),
        quality_mean: n('quality_posterior_mean'),
        quality_median: n('quality_posterior_median'),
        bsn: n('BSN'),
        omicron_snr_network: n('Omicron_SNR_Network'),
        omicron_snr_H1: n('Omicron_SNR_H1'),
        omicron_snr_L1: n('Omicron_SNR_L1'),
        omicron_snr_V1: n('Omicron_SNR_V1'),
        hrss_mean: n('hrss_posterior_mean'),
        hrss_median: n('hrss_posterior_median'),
        frequency_mean: n('frequency_posterior_mean'),
        frequency_median: n('frequency_posterior_median'),
      },
    },
  };
}

/** MLy's JSON → MLyBurst. */
export function eventFromMly(data: Uint8Array): ParsedEvent {
  const json = readJsonObject(data);
  const n = (key: string) => numberOrNull(json[key], key);
  const ifos = instrumentsOf(json.ifos, 'ifos');
  const scores = json.scores ?? {};
  if (typeof scores !== 'object' || scores === null || Array.isArray(scores)) {
    throw new PayloadError('scores: expected an object {coherency, coincidence, combined}');
  }
  const s = scores as Record<string, unknown>;
  let channels: string[] | null = null;
  if (json.channels !== undefined && json.channels !== null) {
    if (!Array.isArray(json.channels))
      throw new PayloadError('channels: expected a list of strings');
    channels = json.channels.map(String);
  }
  return {
    ...emptyParsedEvent(),
    gpstime: requiredGpstime(json),
    far: n('far'),
    instruments: ifos,
    attributes: {
      MLyBurst: {
        ifos,
        central_freq: n('central_freq'),
        bandwidth: n('bandwidth'),
        duration: n('duration'),
        central_time: n('central_time'),
        detection_statistic: n('detection_statistic'),
        SNR: n('SNR'),
        bbh: n('bbh'),
        sglf: n('sglf'),
        sghf: n('sghf'),
        background: n('background'),
        glitch: n('glitch'),
        freq_correlation: n('freq_correlation'),
        channels,
        scores: {
          coherency: numberOrNull(s.coherency, 'scores.coherency'),
          coincidence: numberOrNull(s.coincidence, 'scores.coincidence'),
          combined: numberOrNull(s.combined, 'scores.combined'),
        },
      },
    },
  };
}
