import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { roundGps, unixToGps } from '../gps-time.js';
import { emptyParsedEvent, type ParsedEvent, PayloadError } from './parsed-event.js';

/**
 * External (GRB, SNEWS, ...) events arrive as GCN VOEvent notices; GraceDB keeps a handful of
 * their fields as the `GRB` attributes (§4.2). This reads only those fields; the notice itself
 * is stored unchanged as the event file.
 */

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) =>
    name === 'Param' || name === 'Group' || name === 'Description' || name === 'Reference',
});

function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Node)[key];
    if (Array.isArray(current)) current = current[0];
  }
  return current;
}

function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && '#text' in (node as Node)) return String((node as Node)['#text']);
  return undefined;
}

function attr(node: unknown, name: string): string | undefined {
  const value = child(node, `@${name}`);
  return typeof value === 'string' ? value : undefined;
}

/** Params of an element and of its nested Groups, first occurrence of a name wins. */
function collectParams(
  node: unknown,
  out: Map<string, string>,
  topLevel?: Map<string, string>,
): void {
  if (typeof node !== 'object' || node === null) return;
  for (const param of ((node as Node).Param as Node[] | undefined) ?? []) {
    const name = param['@name'];
    const value = param['@value'];
    if (typeof name === 'string' && typeof value === 'string') {
      if (!out.has(name)) out.set(name, value);
      if (topLevel && !topLevel.has(name)) topLevel.set(name, value);
    }
  }
  for (const group of ((node as Node).Group as Node[] | undefined) ?? []) collectParams(group, out);
}

/** ISO 8601 UTC (fraction to microseconds) → GPS seconds. */
function isoToGps(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$/.exec(iso.trim());
  if (!m) throw new PayloadError(`ISOTime '${iso}' is not an ISO 8601 UTC time`);
  const whole = Date.parse(`${m[1]}Z`) / 1000;
  if (!Number.isFinite(whole)) throw new PayloadError(`ISOTime '${iso}' is not a valid date`);
  const fraction = m[2] ? Number(`0${m[2]}`) : 0;
  return roundGps(unixToGps(whole) + fraction);
}

function optionalNumber(value: string | undefined, field: string): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new PayloadError(`${field}: '${value}' is not a number`);
  return n;
}

export function eventFromGrbVoevent(data: Uint8Array): ParsedEvent {
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new PayloadError('not UTF-8 text');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new PayloadError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  const doc = parser.parse(xml) as Node;
  const root = doc.VOEvent;
  if (typeof root !== 'object' || root === null) throw new PayloadError('no VOEvent root element');
  const ivorn = attr(root, 'ivorn');
  if (!ivorn) throw new PayloadError('VOEvent has no ivorn');

  const params = new Map<string, string>();
  const topLevel = new Map<string, string>();
  collectParams(child(root, 'What'), params, topLevel);

  const location = child(root, 'WhereWhen', 'ObsDataLocation');
  const observation = child(location, 'ObservationLocation');
  const coords = child(observation, 'AstroCoords');
  const isoTime = text(child(coords, 'Time', 'TimeInstant', 'ISOTime'));
  if (!isoTime) throw new PayloadError('no WhereWhen ISOTime');
  const position = child(coords, 'Position2D');

  const firstNonZero = (...names: string[]): number | null => {
    for (const name of names) {
      const value = optionalNumber(params.get(name), name);
      if (value !== null && value !== 0) return value;
    }
    return null;
  };
  const firstPresent = (...names: string[]): string | null => {
    for (const name of names) if (params.has(name)) return params.get(name)!;
    return null;
  };

  return {
    ...emptyParsedEvent(),
    gpstime: isoToGps(isoTime),
    far: optionalNumber(topLevel.get('FAR'), 'FAR'),
    attributes: {
      GRB: {
        ivorn,
        author_ivorn: text(child(root, 'Who', 'AuthorIVORN')) ?? null,
        author_shortname: text(child(root, 'Who', 'Author', 'shortName')) ?? null,
        observatory_location_id: attr(child(location, 'ObservatoryLocation'), 'id') ?? null,
        coord_system: attr(child(observation, 'AstroCoordSystem'), 'id') ?? null,
        ra: optionalNumber(text(child(position, 'Value2', 'C1')), 'Position2D C1'),
        dec: optionalNumber(text(child(position, 'Value2', 'C2')), 'Position2D C2'),
        error_radius: optionalNumber(text(child(position, 'Error2Radius')), 'Error2Radius'),
        how_description: text(child(root, 'How', 'Description')) ?? null,
        how_reference_url: attr(child(root, 'How', 'Reference'), 'uri') ?? null,
        T90: null,
        trigger_duration: firstNonZero(
          'Trig_Dur',
          'Trans_Duration',
          'Data_Integ',
          'Integ_Time',
          'Trig_Timescale',
        ),
        designation: null,
        redshift: null,
        trigger_id: firstPresent('TrigID', 'Trans_Num', 'EventID'),
      },
    },
  };
}
