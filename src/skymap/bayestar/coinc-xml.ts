import {
  coincDocument,
  type Psd,
  type SnrSeries,
  writeLigoLw,
} from '../../formats/ligolw/index.js';
import type { CoincEvent } from './coinc-event.js';
import { chirpMass } from './taylorf2.js';

/**
 * A CoincEvent (typically a simulated one) written as the coinc.xml a search pipeline uploads:
 * process, sngl_inspiral, coinc_event(_map), time_slide and coinc_inspiral tables, one PSD per
 * detector and one SNR series per trigger, in gstlal's layout. coincEventFromLigoLw reads it
 * back; so does ligo.skymap.
 */

export interface CoincXmlOptions {
  readonly gzip?: boolean;
  /** coinc_inspiral.combined_far (Hz), for mock events that need a significance. */
  readonly far?: number;
}

function splitNs(ns: bigint): { seconds: number; nanoseconds: number } {
  return { seconds: Number(ns / 1_000_000_000n), nanoseconds: Number(ns % 1_000_000_000n) };
}

export function coincXml(coinc: CoincEvent, options: CoincXmlOptions = {}): Uint8Array {
  const { mass1, mass2 } = coinc.template;
  const ifos = coinc.triggers.map((t) => t.detector).join(',');
  const mchirp = chirpMass(mass1, mass2);
  const eta = (mass1 * mass2) / (mass1 + mass2) ** 2;
  const first = splitNs(coinc.triggers[0].timeNs);
  const snglInspirals = coinc.triggers.map((t, i) => {
    const { seconds, nanoseconds } = splitNs(t.timeNs);
    return {
      event_id: i,
      process_id: 0,
      ifo: t.detector,
      search: 'bayestar',
      channel: 'SIMULATED',
      end_time: seconds,
      end_time_ns: nanoseconds,
      snr: t.snr,
      coa_phase: t.phase,
      mass1,
      mass2,
      mtotal: mass1 + mass2,
      mchirp,
      eta,
      f_final: coinc.template.fFinal ?? null,
      sigmasq: t.sigmasq ?? null,
      eff_distance: t.sigmasq ? Math.sqrt(t.sigmasq) / t.snr : null,
      spin1x: 0,
      spin1y: 0,
      spin1z: 0,
      spin2x: 0,
      spin2y: 0,
      spin2z: 0,
    };
  });
  const psds: Psd[] = coinc.triggers.map((t) => ({
    name: 'PSD',
    epoch: { gpsSeconds: first.seconds, gpsNanoSeconds: 0 },
    f0: t.psd.f0,
    deltaF: t.psd.deltaF,
    sampleUnits: 's strain^2',
    data: Float64Array.from(t.psd.values),
    instrument: t.detector,
  }));
  const snrSeries: SnrSeries[] = [];
  coinc.triggers.forEach((t, i) => {
    if (!t.snrSeries) return;
    const { seconds, nanoseconds } = splitNs(t.snrSeries.epochNs);
    snrSeries.push({
      name: 'snr',
      epoch: { gpsSeconds: seconds, gpsNanoSeconds: nanoseconds },
      f0: 0,
      deltaT: t.snrSeries.deltaT,
      sampleUnits: '',
      real: Float64Array.from(t.snrSeries.re),
      imag: Float64Array.from(t.snrSeries.im),
      eventId: i,
    });
  });
  const networkSnr = Math.sqrt(coinc.triggers.reduce((sum, t) => sum + t.snr * t.snr, 0));
  const document = coincDocument({
    processes: [{ process_id: 0, program: coinc.program, ifos, comment: coinc.id ?? null }],
    snglInspirals,
    coincEvent: {
      coinc_event_id: 0,
      process_id: 0,
      instruments: ifos,
      nevents: coinc.triggers.length,
      time_slide_id: 0,
    },
    timeSlides: coinc.triggers.map((t) => ({
      time_slide_id: 0,
      instrument: t.detector,
      offset: 0,
      process_id: 0,
    })),
    coincInspiral: {
      coinc_event_id: 0,
      end_time: first.seconds,
      end_time_ns: first.nanoseconds,
      ifos,
      snr: networkSnr,
      mass: mass1 + mass2,
      mchirp,
      combined_far: options.far ?? null,
      false_alarm_rate: options.far ?? null,
      minimum_duration: null,
    },
    psds,
    snrSeries,
  });
  return writeLigoLw(document, { gzip: options.gzip });
}
