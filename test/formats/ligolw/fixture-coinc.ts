/**
 * The project's own small coinc.xml and psd.xml.gz, used by tests on a fresh clone (without
 * ../shared). Run `npx tsx test/formats/ligolw/fixture-coinc.ts` to rewrite the committed files
 * under test/fixtures/ligolw/; a test checks they still equal what the writer produces.
 *
 * A three-detector BNS-like coincidence: H1, L1, V1 triggers with 9-sample SNR series at
 * 4096 Hz centred on the trigger times, and coarse (16 Hz) analytic PSDs.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CoincDocumentInput,
  coincDocument,
  type Psd,
  psdDocument,
  type SnglInspiral,
  type SnrSeries,
  writeLigoLw,
} from '../../../src/formats/ligolw/index.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/ligolw/', import.meta.url));
export const FIXTURE_COINC = `${FIXTURE_DIR}coinc.xml`;
export const FIXTURE_PSD = `${FIXTURE_DIR}psd.xml.gz`;

const DETECTORS = [
  { ifo: 'H1', snr: 9.25, phase: 0.5, ns: 123456789, horizon: 180, eventId: 10 },
  { ifo: 'L1', snr: 7.5, phase: -1.25, ns: 130456789, horizon: 210, eventId: 11 },
  { ifo: 'V1', snr: 4.75, phase: 2.75, ns: 120956789, horizon: 60, eventId: 12 },
] as const;

const END_TIME = 1300000000;
const SAMPLE_RATE = 4096;
const SNR_SAMPLES = 9;

/** An analytic, aLIGO-shaped one-sided PSD in strain²/Hz, scaled per detector. */
export function fixturePsd(instrument: string, scale: number): Psd {
  const deltaF = 16;
  const bins = 129; // 0 to 2048 Hz
  const data = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    const f = Math.max(k * deltaF, 10);
    const x = f / 200;
    data[k] =
      scale *
      1e-47 *
      (x ** -4.14 - 5 * x ** -2 + 111 * ((1 - x ** 2 + 0.5 * x ** 4) / (1 + 0.5 * x ** 2)));
  }
  return {
    instrument,
    name: 'PSD',
    epoch: { gpsSeconds: END_TIME - 16, gpsNanoSeconds: 0 },
    f0: 0,
    deltaF,
    sampleUnits: 's strain^2',
    data,
  };
}

function snrSeries(eventId: number, snr: number, phase: number, ns: number): SnrSeries {
  const real = new Float64Array(SNR_SAMPLES);
  const imag = new Float64Array(SNR_SAMPLES);
  const middle = (SNR_SAMPLES - 1) / 2;
  for (let k = 0; k < SNR_SAMPLES; k++) {
    const amplitude = snr * Math.exp(-((k - middle) ** 2) / 6);
    const argument = phase + 0.3 * (k - middle);
    real[k] = Math.fround(amplitude * Math.cos(argument));
    imag[k] = Math.fround(amplitude * Math.sin(argument));
  }
  // The middle sample falls on the trigger time (to the nearest ns).
  const epochNs = ns - Math.round((middle * 1e9) / SAMPLE_RATE);
  return {
    eventId,
    name: 'snr',
    epoch: { gpsSeconds: END_TIME, gpsNanoSeconds: epochNs },
    f0: 0,
    deltaT: 1 / SAMPLE_RATE,
    sampleUnits: '',
    real,
    imag,
  };
}

export function fixtureCoincInput(): CoincDocumentInput {
  const sngls: Partial<SnglInspiral>[] = DETECTORS.map((d) => ({
    process_id: 0,
    ifo: d.ifo,
    search: 'bns',
    channel: 'GDS-CALIB_STRAIN',
    end_time: END_TIME,
    end_time_ns: d.ns,
    template_duration: 41.5,
    eff_distance: d.horizon / d.snr,
    coa_phase: d.phase,
    mass1: 1.4,
    mass2: 1.3,
    mchirp: 1.17,
    mtotal: 2.7,
    eta: 0.2497,
    f_final: 1630,
    snr: d.snr,
    chisq: d.ifo === 'V1' ? null : 1.05,
    chisq_dof: d.ifo === 'V1' ? null : 1,
    sigmasq: d.horizon ** 2,
    Gamma0: 1234,
    spin1x: 0,
    spin1y: 0,
    spin1z: 0.01,
    spin2x: 0,
    spin2y: 0,
    spin2z: -0.02,
    event_id: d.eventId,
  }));
  const networkSnr = Math.sqrt(DETECTORS.reduce((sum, d) => sum + d.snr ** 2, 0));
  return {
    processes: [
      {
        process_id: 0,
        program: 'gstlal_inspiral',
        version: '1.0',
        comment: 'gwcelery-ts test fixture',
        is_online: 1,
        node: 'fixture.example.org',
        username: 'gwcelery',
        unix_procid: 4242,
        start_time: END_TIME - 3600,
        end_time: null,
        ifos: 'H1,L1,V1',
      },
    ],
    processParams: [
      {
        process_id: 0,
        program: 'gstlal_inspiral',
        param: '--gps-start-time',
        type: 'lstring',
        value: String(END_TIME - 3600),
      },
      { process_id: 0, program: 'gstlal_inspiral', param: '--track-psd', type: null, value: null },
      {
        process_id: 0,
        program: 'gstlal_inspiral',
        param: '--comment',
        type: 'lstring',
        value: 'say "hi", \\ & <bye>',
      },
    ],
    snglInspirals: sngls,
    coincEvent: {
      coinc_event_id: 3,
      coinc_def_id: 0,
      instruments: 'H1,L1,V1',
      likelihood: 42.125,
      nevents: 3,
      process_id: 0,
      time_slide_id: 0,
    },
    timeSlides: DETECTORS.map((d) => ({
      time_slide_id: 0,
      instrument: d.ifo,
      offset: 0,
      process_id: 0,
    })),
    coincInspiral: {
      coinc_event_id: 3,
      combined_far: 1.5e-12,
      end_time: END_TIME,
      end_time_ns: DETECTORS[0].ns,
      false_alarm_rate: 2e-8,
      ifos: 'H1,L1,V1',
      mass: 2.7,
      mchirp: 1.17,
      minimum_duration: 41.5,
      snr: networkSnr,
    },
    psds: DETECTORS.map((d) => fixturePsd(d.ifo, d.ifo === 'V1' ? 9 : 1)),
    snrSeries: DETECTORS.map((d) => snrSeries(d.eventId, d.snr, d.phase, d.ns)),
  };
}

/** The bytes of the committed fixtures. */
export function fixtureFiles(): { coinc: Buffer; psdXml: Buffer } {
  const input = fixtureCoincInput();
  return {
    coinc: writeLigoLw(coincDocument(input)),
    psdXml: writeLigoLw(psdDocument(input.psds!)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = fixtureFiles();
  writeFileSync(FIXTURE_COINC, files.coinc);
  writeFileSync(FIXTURE_PSD, writeLigoLw(psdDocument(fixtureCoincInput().psds!), { gzip: true }));
  console.log(`wrote ${FIXTURE_COINC} and ${FIXTURE_PSD}`);
}
