/**
 * A VOEvent 2.0 document (IVOA "Sky Event Reporting Metadata" 2.0) as plain data: the parts the
 * LVK notices and the GCN notices use. Values stay text, as in the XML: a Param's meaning comes
 * from its name, not from its dataType (GCN omits dataType everywhere).
 */
export const VOEVENT_NAMESPACE = 'http://www.ivoa.net/xml/VOEvent/v2.0';
export const VOEVENT_SCHEMA_LOCATION =
  'http://www.ivoa.net/xml/VOEvent/v2.0 http://www.ivoa.net/xml/VOEvent/VOEvent-v2.0.xsd';

export const VOEVENT_ROLES = ['observation', 'prediction', 'utility', 'test'] as const;
export type VoeventRole = (typeof VOEVENT_ROLES)[number];

export type ParamDataType = 'string' | 'float' | 'int';

export interface VoParam {
  name: string;
  value: string;
  dataType?: ParamDataType;
  unit?: string;
  ucd?: string;
  utype?: string;
  description?: string;
}

export interface VoGroup {
  name?: string;
  type?: string;
  description?: string;
  params: VoParam[];
}

export interface VoReference {
  uri: string;
  type?: string;
  mimetype?: string;
  meaning?: string;
}

export interface VoWho {
  authorIvorn?: string;
  date?: string;
  description?: string;
  /** Author children (title, shortName, contactName, contactEmail, ...) in document order. */
  author?: [string, string][];
}

export interface VoPosition {
  unit: string;
  name1?: string;
  name2?: string;
  c1: number;
  c2: number;
  errorRadius: number;
}

export interface VoWhereWhen {
  observatoryLocation: string;
  coordSystem: string;
  /** ISOTime text as written (may lack the `Z`). */
  isoTime?: string;
  timeUnit?: string;
  timeError?: number;
  position?: VoPosition;
}

export type CiteType = 'followup' | 'supersedes' | 'retraction';

export interface VoCitations {
  eventIvorns: { ivorn: string; cite: CiteType }[];
  description?: string;
}

export interface VoEvent {
  ivorn: string;
  role: VoeventRole;
  who?: VoWho;
  what?: {
    params: VoParam[];
    groups: VoGroup[];
    description?: string;
    references?: VoReference[];
  };
  whereWhen?: VoWhereWhen;
  how?: { descriptions: string[]; references?: VoReference[] };
  /** Root `Description`. */
  description?: string;
  citations?: VoCitations;
}

/** A VOEvent could not be read or written; the message names the document. */
export class VoeventError extends Error {
  override name = 'VoeventError';
}

/** The first top-level Param of that name. */
export function findParam(event: VoEvent, name: string): VoParam | undefined {
  return event.what?.params.find((p) => p.name === name);
}

/** The first Group whose name (or, for older notices, type) matches. */
export function findGroup(event: VoEvent, name: string): VoGroup | undefined {
  return (
    event.what?.groups.find((g) => g.name === name) ??
    event.what?.groups.find((g) => g.type === name)
  );
}

/** The local ID of an IVORN (the part after `#`). */
export function ivornLocalId(ivorn: string): string {
  const at = ivorn.indexOf('#');
  return at < 0 ? '' : ivorn.slice(at + 1);
}

/**
 * IVORN syntax as Comet checks it (IVOA Identifiers 2.0): authority, optional resource key and a
 * non-empty local ID. A broker refuses an event without a local ID.
 */
export function isValidIvorn(ivorn: string): boolean {
  const match = /^ivo:\/\/([A-Za-z0-9][A-Za-z0-9_\-.~*'()]{2,})(\/[\w\-.~*'()/]*)?#(.+)$/.exec(
    ivorn,
  );
  if (!match) return false;
  const resource = match[2] ?? '';
  if (/\/\/|\/\.\.\/|\/\.\/|\/$/.test(resource)) return false;
  return /^[\w\-.~*'()+=/%!$&,;:@?]+$/.test(match[3]);
}
