import type { CoincDocumentInput } from '../../formats/ligolw/index.js';
import type { TakenInterval } from './sidereal-match.js';

/** Where a mock event's coincidence came from, for logs, results and the docs. */
export interface MockOrigin {
  source: 'first2years' | 'generated';
  /** The coincidence file, when drawn from one. */
  file?: string;
  coincEventId?: number;
  /** Its GPS time in the file, and the whole sidereal days it was moved by. */
  originalGps?: number;
  siderealDays?: number;
  /** A simulated binary: its population, network, masses (M☉), distance (Mpc) and SNR. */
  population?: 'BNS' | 'NSBH' | 'BBH';
  detectors?: string[];
  mass1?: number;
  mass2?: number;
  distance?: number;
  networkSnr?: number;
}

/** One mock event before upload: its time and the coinc.xml tables, PSDs and SNR series. */
export interface MockCoincidence {
  gps: number;
  input: CoincDocumentInput;
  origin: MockOrigin;
}

/** Stretches of GPS time already used by MDC superevents between two times. */
export type TakenTimes = (fromGps: number, toGps: number) => Promise<readonly TakenInterval[]>;
