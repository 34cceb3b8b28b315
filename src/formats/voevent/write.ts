import { escapeXmlAttribute, escapeXmlText } from '../xml/safe-xml.js';
import {
  isValidIvorn,
  VOEVENT_NAMESPACE,
  VOEVENT_ROLES,
  VOEVENT_SCHEMA_LOCATION,
  type VoEvent,
  VoeventError,
  type VoGroup,
  type VoParam,
  type VoReference,
} from './document.js';

/**
 * Serialises a VOEvent the way GraceDB lays its notices out: XML declaration, a `voe:`-prefixed
 * root with unqualified children (the schema's elementFormDefault), two-space indentation,
 * Param attributes in the order name, value, unit, ucd, dataType, utype.
 */
export function writeVoevent(event: VoEvent): string {
  if (!isValidIvorn(event.ivorn)) {
    throw new VoeventError(`VOEvent ivorn '${event.ivorn}' is not a valid IVORN with a local ID`);
  }
  if (!VOEVENT_ROLES.includes(event.role)) {
    throw new VoeventError(`VOEvent ${event.ivorn}: role '${event.role}' is not a VOEvent role`);
  }
  const out = new Lines();
  out.push(0, "<?xml version='1.0' encoding='UTF-8'?>");
  out.push(
    0,
    `<voe:VOEvent${attrs([
      ['xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance'],
      ['xmlns:voe', VOEVENT_NAMESPACE],
      ['xsi:schemaLocation', VOEVENT_SCHEMA_LOCATION],
      ['version', '2.0'],
      ['role', event.role],
      ['ivorn', event.ivorn],
    ])}>`,
  );
  if (event.who) writeWho(out, event);
  if (event.what) {
    out.push(1, '<What>');
    for (const p of event.what.params) writeParam(out, 2, p);
    for (const g of event.what.groups) writeGroup(out, 2, g);
    if (event.what.description !== undefined) out.leaf(2, 'Description', event.what.description);
    for (const r of event.what.references ?? []) writeReference(out, 2, r);
    out.push(1, '</What>');
  }
  if (event.whereWhen) writeWhereWhen(out, event);
  if (event.how) {
    if (event.how.descriptions.length === 0 && !event.how.references?.length) {
      throw new VoeventError(`VOEvent ${event.ivorn}: How must not be empty`);
    }
    out.push(1, '<How>');
    for (const d of event.how.descriptions) out.leaf(2, 'Description', d);
    for (const r of event.how.references ?? []) writeReference(out, 2, r);
    out.push(1, '</How>');
  }
  if (event.description !== undefined) out.leaf(1, 'Description', event.description);
  if (event.citations) {
    if (event.citations.eventIvorns.length === 0) {
      throw new VoeventError(`VOEvent ${event.ivorn}: Citations needs at least one EventIVORN`);
    }
    out.push(1, '<Citations>');
    for (const c of event.citations.eventIvorns) {
      out.push(2, `<EventIVORN${attrs([['cite', c.cite]])}>${escapeXmlText(c.ivorn)}</EventIVORN>`);
    }
    if (event.citations.description !== undefined) {
      out.leaf(2, 'Description', event.citations.description);
    }
    out.push(1, '</Citations>');
  }
  out.push(0, '</voe:VOEvent>');
  return out.text();
}

class Lines {
  private lines: string[] = [];
  push(depth: number, line: string): void {
    this.lines.push(`${'  '.repeat(depth)}${line}`);
  }
  leaf(depth: number, tag: string, text: string, attributes: [string, string | undefined][] = []) {
    this.push(depth, `<${tag}${attrs(attributes)}>${escapeXmlText(text)}</${tag}>`);
  }
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function attrs(list: [string, string | undefined][]): string {
  return list
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXmlAttribute(v!)}"`)
    .join('');
}

function writeParam(out: Lines, depth: number, p: VoParam): void {
  const open = `<Param${attrs([
    ['name', p.name],
    ['value', p.value],
    ['unit', p.unit],
    ['ucd', p.ucd],
    ['dataType', p.dataType],
    ['utype', p.utype],
  ])}`;
  if (p.description === undefined) {
    out.push(depth, `${open}/>`);
    return;
  }
  out.push(depth, `${open}>`);
  out.leaf(depth + 1, 'Description', p.description);
  out.push(depth, '</Param>');
}

function writeGroup(out: Lines, depth: number, g: VoGroup): void {
  const open = `<Group${attrs([
    ['name', g.name],
    ['type', g.type],
  ])}`;
  if (g.params.length === 0 && g.description === undefined) {
    out.push(depth, `${open}/>`);
    return;
  }
  out.push(depth, `${open}>`);
  for (const p of g.params) writeParam(out, depth + 1, p);
  if (g.description !== undefined) out.leaf(depth + 1, 'Description', g.description);
  out.push(depth, '</Group>');
}

function writeReference(out: Lines, depth: number, r: VoReference): void {
  out.push(
    depth,
    `<Reference${attrs([
      ['uri', r.uri],
      ['type', r.type],
      ['mimetype', r.mimetype],
      ['meaning', r.meaning],
    ])}/>`,
  );
}

function writeWho(out: Lines, event: VoEvent): void {
  const who = event.who!;
  out.push(1, '<Who>');
  if (who.authorIvorn !== undefined) out.leaf(2, 'AuthorIVORN', who.authorIvorn);
  if (who.date !== undefined) out.leaf(2, 'Date', who.date);
  if (who.description !== undefined) out.leaf(2, 'Description', who.description);
  if (who.author) {
    if (who.author.length === 0) {
      throw new VoeventError(`VOEvent ${event.ivorn}: Author must not be empty`);
    }
    out.push(2, '<Author>');
    for (const [tag, text] of who.author) out.leaf(3, tag, text);
    out.push(2, '</Author>');
  }
  out.push(1, '</Who>');
}

function writeWhereWhen(out: Lines, event: VoEvent): void {
  const ww = event.whereWhen!;
  out.push(1, '<WhereWhen>');
  out.push(2, '<ObsDataLocation>');
  out.push(3, `<ObservatoryLocation${attrs([['id', ww.observatoryLocation]])}/>`);
  out.push(3, '<ObservationLocation>');
  out.push(4, `<AstroCoordSystem${attrs([['id', ww.coordSystem]])}/>`);
  out.push(4, `<AstroCoords${attrs([['coord_system_id', ww.coordSystem]])}>`);
  if (ww.isoTime !== undefined) {
    out.push(5, `<Time${attrs([['unit', ww.timeUnit]])}>`);
    out.push(6, '<TimeInstant>');
    out.leaf(7, 'ISOTime', ww.isoTime);
    out.push(6, '</TimeInstant>');
    if (ww.timeError !== undefined) out.leaf(6, 'Error', String(ww.timeError));
    out.push(5, '</Time>');
  }
  if (ww.position) {
    const p = ww.position;
    out.push(5, `<Position2D${attrs([['unit', p.unit]])}>`);
    if (p.name1 !== undefined) out.leaf(6, 'Name1', p.name1);
    if (p.name2 !== undefined) out.leaf(6, 'Name2', p.name2);
    out.push(6, '<Value2>');
    out.leaf(7, 'C1', String(p.c1));
    out.leaf(7, 'C2', String(p.c2));
    out.push(6, '</Value2>');
    out.leaf(6, 'Error2Radius', String(p.errorRadius));
    out.push(5, '</Position2D>');
  }
  out.push(4, '</AstroCoords>');
  out.push(3, '</ObservationLocation>');
  out.push(2, '</ObsDataLocation>');
  out.push(1, '</WhereWhen>');
}
