import {
  type CoincDocumentInput,
  coincDocument,
  type Psd,
  type SnglInspiral,
  writeLigoLw,
} from '../../src/formats/ligolw/index.js';

/**
 * coinc.xml uploads written with the project's own LIGO_LW writer: a two- or three-detector
 * CBC candidate with the values a test asks for, optionally padded with PSDs to a given size.
 */
export interface CoincOptions {
  gpstime: number;
  far?: number;
  snr?: number;
  ifos?: string[];
  mass1?: number;
  mass2?: number;
  likelihood?: number;
  /** Pad with PSDs until the document has at least this many bytes. */
  minBytes?: number;
}

function psd(instrument: string, bins: number): Psd {
  const data = new Float64Array(bins);
  for (let k = 0; k < bins; k++) data[k] = 1e-46 * (1 + ((k * 7919) % 1000) / 1000);
  return {
    instrument,
    name: 'PSD',
    epoch: { gpsSeconds: 1300000000, gpsNanoSeconds: 0 },
    f0: 0,
    deltaF: 0.125,
    sampleUnits: 's strain^2',
    data,
  };
}

export function coincInput(options: CoincOptions, psdBins = 0): CoincDocumentInput {
  const ifos = options.ifos ?? ['H1', 'L1'];
  const endTime = Math.floor(options.gpstime);
  const endTimeNs = Math.round((options.gpstime - endTime) * 1e9);
  const snr = options.snr ?? 12;
  const mass1 = options.mass1 ?? 1.4;
  const mass2 = options.mass2 ?? 1.3;
  const mtotal = mass1 + mass2;
  const eta = (mass1 * mass2) / mtotal ** 2;
  const mchirp = mtotal * eta ** 0.6;
  const singles: Partial<SnglInspiral>[] = ifos.map((ifo, i) => ({
    process_id: 0,
    event_id: i + 1,
    ifo,
    search: 'test',
    channel: 'FAKE-STRAIN',
    end_time: endTime,
    end_time_ns: endTimeNs,
    mass1,
    mass2,
    mchirp,
    mtotal,
    eta,
    spin1z: 0.1,
    spin2z: -0.1,
    snr: snr / Math.sqrt(ifos.length),
    chisq: 1 + i / 10,
    chisq_dof: 1,
    eff_distance: 100 + 10 * i,
    coa_phase: 0.5 * i,
  }));
  return {
    processes: [{ process_id: 0, program: 'gstlal_inspiral', ifos: ifos.join(',') }],
    snglInspirals: singles,
    coincEvent: {
      coinc_event_id: 1,
      coinc_def_id: 0,
      process_id: 0,
      time_slide_id: 0,
      instruments: ifos.join(','),
      nevents: ifos.length,
      likelihood: options.likelihood ?? 20,
    },
    coincInspiral: {
      coinc_event_id: 1,
      end_time: endTime,
      end_time_ns: endTimeNs,
      ifos: ifos.join(','),
      mass: mtotal,
      mchirp,
      snr,
      false_alarm_rate: 1e-7,
      combined_far: options.far ?? 1e-10,
    },
    timeSlides: ifos.map((instrument) => ({
      instrument,
      offset: 0,
      process_id: 0,
      time_slide_id: 0,
    })),
    psds: psdBins ? Object.fromEntries(ifos.map((ifo) => [ifo, psd(ifo, psdBins)])) : undefined,
  };
}

/** The coinc.xml bytes of a candidate; with minBytes, PSDs grow until the size is reached. */
export function coincXml(options: CoincOptions): Buffer {
  let bins = 0;
  for (;;) {
    const bytes = writeLigoLw(coincDocument(coincInput(options, bins)));
    if (!options.minBytes || bytes.byteLength >= options.minBytes) return bytes;
    bins = Math.max(64, Math.ceil((bins || 64) * (options.minBytes / bytes.byteLength) * 1.05));
  }
}
