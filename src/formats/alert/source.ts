import { AlertFormatError } from './types.js';

/**
 * The parts of GraceDB's superevent and event JSON that alerts are made from. Only the fields
 * the alert writers read are typed; the objects carry many more.
 */
export interface GraceDbEvent {
  graceid: string;
  group: string;
  pipeline: string;
  search?: string | null;
  /** Comma-separated (`H1,L1`); a few pipelines upload a Python list text (`['H1', 'L1']`). */
  instruments?: string | null;
  gpstime?: number | null;
  far?: number | null;
  offline?: boolean;
  labels?: string[] | Record<string, unknown>;
  extra_attributes?: Record<string, unknown>;
}

export interface GraceDbSuperevent {
  superevent_id: string;
  category?: string;
  t_0: number;
  far?: number | null;
  preferred_event?: string;
  preferred_event_data?: GraceDbEvent;
  em_type?: string | null;
  time_coinc_far?: number | null;
  space_coinc_far?: number | null;
  labels?: string[];
  links: { self: string; [key: string]: string };
}

/** An external (GRB, SNEWS...) event: what RAVEN coincidence blocks read. */
export interface GraceDbExternalEvent {
  graceid: string;
  pipeline: string;
  search: string;
  gpstime: number;
  extra_attributes?: { GRB?: { trigger_id?: string | number | null; ivorn?: string | null } };
}

/** Detectors of an event, in the order GraceDB lists them. */
export function eventInstruments(event: GraceDbEvent, where: string): string[] {
  const raw = event.instruments;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new AlertFormatError(`${where}: event ${event.graceid} has no instruments`);
  }
  return raw
    .replace(/^\s*\[|\]\s*$/g, '')
    .split(',')
    .map((s) => s.trim().replace(/^['"]|['"]$/g, ''))
    .filter((s) => s !== '');
}

/** GraceDB's base web URL (`https://host/`) from an API self link (`https://host/api/...`). */
export function gracedbWebBase(selfLink: string, where: string): string {
  const at = selfLink.indexOf('/api/');
  if (at < 0) throw new AlertFormatError(`${where}: links.self '${selfLink}' has no /api/ part`);
  return selfLink.slice(0, at + 1);
}

export function requireFiniteNumber(value: unknown, field: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AlertFormatError(`${where}: ${field} must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function requireString(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new AlertFormatError(`${where}: ${field} must be a non-empty string`);
  }
  return value;
}

/** The preferred event's data, which every non-retraction alert needs. */
export function preferredEvent(superevent: GraceDbSuperevent): GraceDbEvent {
  const event = superevent.preferred_event_data;
  if (!event || typeof event !== 'object') {
    throw new AlertFormatError(
      `superevent ${superevent.superevent_id}: preferred_event_data is missing`,
    );
  }
  return event;
}
