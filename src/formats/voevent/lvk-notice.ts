/**
 * What an LVK notice says, as plain data: the content GraceDB renders into a VOEvent
 * (notices-and-transport §2). The writer goes notice → VOEvent → XML, the reader goes back, and
 * the two must agree.
 */
import type { CiteType, VoeventRole } from './document.js';
import type { LvkNoticeType } from './lvk-vocabulary.js';

export interface LvkExternalCoincidence {
  gcnNoticeId?: string;
  ivorn?: string;
  observatory?: string;
  search?: string;
  timeDifference?: number;
  timeCoincidenceFar?: number;
  timeSkyPositionCoincidenceFar?: number;
  jointSkymapUrl?: string;
}

export interface LvkNotice {
  ivorn: string;
  role: VoeventRole;
  type: LvkNoticeType;
  packetType: number;
  serial: number;
  graceid: string;
  /** Who/Date: creation time, UTC, whole seconds. */
  date: string;
  /** Event time (preferred event), UTC ISO with microseconds. */
  isoTime: string;
  internal: boolean;
  hardwareInj: boolean;
  openAlert: boolean;
  eventPage: string;
  /** Everything below is absent from retractions. */
  instruments?: string[];
  far?: number;
  significant?: boolean;
  group?: string;
  pipeline?: string;
  search?: string;
  /** cWB: central frequency (Hz) and duration (s); oLIB: mean frequency (Hz). */
  centralFreq?: number;
  duration?: number;
  frequency?: number;
  skymapUrl?: string;
  classification?: Record<string, number>;
  properties?: Record<string, number>;
  externalCoincidence?: LvkExternalCoincidence;
  coincComment?: boolean;
  citations: { ivorn: string; cite: CiteType }[];
}
