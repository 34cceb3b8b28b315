import { localName, parseXml, rootElement, XmlError } from '../xml/safe-xml.js';
import {
  type CiteType,
  type ParamDataType,
  VOEVENT_NAMESPACE,
  VOEVENT_ROLES,
  type VoCitations,
  type VoEvent,
  VoeventError,
  type VoeventRole,
  type VoGroup,
  type VoParam,
  type VoPosition,
  type VoReference,
  type VoWhereWhen,
  type VoWho,
} from './document.js';

type Node = Record<string, unknown>;

const ARRAYS = ['Param', 'Group', 'Description', 'Reference', 'EventIVORN'] as const;

/**
 * Reads a VOEvent 2.0 document. The root is matched by local name and namespace, children by
 * plain name; unknown elements are ignored, so GCN's notices and GraceDB's (old and new layouts)
 * all read. Entity declarations are refused (see safe-xml).
 */
export function parseVoevent(xml: string | Uint8Array, source = 'VOEvent'): VoEvent {
  const text = typeof xml === 'string' ? xml : Buffer.from(xml).toString('utf8');
  let doc: Node;
  try {
    doc = parseXml(text, { arrays: ARRAYS, source });
  } catch (err) {
    if (err instanceof XmlError) throw new VoeventError(err.message);
    throw err;
  }
  const root = rootElement(doc, source);
  if (localName(root.name) !== 'VOEvent') {
    throw new VoeventError(`${source}: root element is <${root.name}>, not <VOEvent>`);
  }
  const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':')) : '';
  const namespace = root.element[prefix ? `@xmlns:${prefix}` : '@xmlns'];
  if (namespace !== VOEVENT_NAMESPACE) {
    throw new VoeventError(
      `${source}: VOEvent namespace is '${String(namespace)}', expected ${VOEVENT_NAMESPACE} (VOEvent 2.0)`,
    );
  }
  const r = root.element;
  if (r['@version'] !== '2.0') {
    throw new VoeventError(`${source}: VOEvent version '${String(r['@version'])}' is not 2.0`);
  }
  const ivorn = r['@ivorn'];
  if (typeof ivorn !== 'string' || ivorn === '') {
    throw new VoeventError(`${source}: VOEvent has no ivorn`);
  }
  const role = (r['@role'] ?? 'observation') as VoeventRole;
  if (!VOEVENT_ROLES.includes(role)) {
    throw new VoeventError(`${source}: role '${role}' is not a VOEvent role`);
  }
  const where = `${source} (${ivorn})`;
  const event: VoEvent = { ivorn, role };
  const who = child(r, 'Who');
  if (who) event.who = readWho(who);
  const what = child(r, 'What');
  if (what) {
    event.what = {
      params: list(what.Param).map((p) => readParam(p, where)),
      groups: list(what.Group).map((g) => readGroup(g, where)),
    };
    const description = firstText(what.Description);
    if (description !== undefined) event.what.description = description;
    const references = list(what.Reference).map(readReference);
    if (references.length) event.what.references = references;
  }
  const whereWhen = child(r, 'WhereWhen');
  if (whereWhen) {
    const ww = readWhereWhen(whereWhen, where);
    if (ww) event.whereWhen = ww;
  }
  const how = child(r, 'How');
  if (how) {
    event.how = { descriptions: list(how.Description).map(textOf) };
    const references = list(how.Reference).map(readReference);
    if (references.length) event.how.references = references;
  }
  const description = firstText(r.Description);
  if (description !== undefined) event.description = description;
  const citations = child(r, 'Citations');
  if (citations) event.citations = readCitations(citations, where);
  return event;
}

function child(node: Node, name: string): Node | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return child({ [name]: value[0] }, name);
  return typeof value === 'object' && value !== null ? (value as Node) : { '#text': value };
}

function list(value: unknown): Node[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => (typeof v === 'object' && v !== null ? (v as Node) : { '#text': v }));
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object') {
    const text = (node as Node)['#text'];
    return text === undefined ? '' : String(text);
  }
  return node === undefined || node === null ? '' : String(node);
}

function firstText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return textOf(Array.isArray(value) ? value[0] : value);
}

function attr(node: Node, name: string): string | undefined {
  const value = node[`@${name}`];
  return value === undefined ? undefined : String(value);
}

function readParam(node: Node, where: string): VoParam {
  const name = attr(node, 'name');
  if (name === undefined) throw new VoeventError(`${where}: a Param has no name`);
  let value = attr(node, 'value');
  if (value === undefined && node.Value !== undefined) value = textOf(node.Value);
  const param: VoParam = { name, value: value ?? '' };
  const dataType = attr(node, 'dataType');
  if (dataType !== undefined) {
    if (dataType !== 'string' && dataType !== 'float' && dataType !== 'int') {
      throw new VoeventError(`${where}: Param ${name} has dataType '${dataType}'`);
    }
    param.dataType = dataType as ParamDataType;
  }
  for (const key of ['unit', 'ucd', 'utype'] as const) {
    const v = attr(node, key);
    if (v !== undefined) param[key] = v;
  }
  const description = firstText(node.Description);
  if (description !== undefined) param.description = description;
  return param;
}

function readGroup(node: Node, where: string): VoGroup {
  const group: VoGroup = { params: list(node.Param).map((p) => readParam(p, where)) };
  const name = attr(node, 'name');
  const type = attr(node, 'type');
  if (name !== undefined) group.name = name;
  if (type !== undefined) group.type = type;
  const description = firstText(node.Description);
  if (description !== undefined) group.description = description;
  return group;
}

function readReference(node: Node): VoReference {
  const ref: VoReference = { uri: attr(node, 'uri') ?? '' };
  for (const key of ['type', 'mimetype', 'meaning'] as const) {
    const v = attr(node, key);
    if (v !== undefined) ref[key] = v;
  }
  return ref;
}

function readWho(node: Node): VoWho {
  const who: VoWho = {};
  if (node.AuthorIVORN !== undefined) who.authorIvorn = textOf(node.AuthorIVORN);
  if (node.Date !== undefined) who.date = textOf(node.Date);
  const description = firstText(node.Description);
  if (description !== undefined) who.description = description;
  const author = child(node, 'Author');
  if (author) {
    who.author = [];
    for (const [key, value] of Object.entries(author)) {
      if (key.startsWith('@') || key === '#text') continue;
      for (const v of Array.isArray(value) ? value : [value]) who.author.push([key, textOf(v)]);
    }
  }
  return who;
}

function readWhereWhen(node: Node, where: string): VoWhereWhen | undefined {
  const odl = child(node, 'ObsDataLocation');
  if (!odl) return undefined;
  const observatory = child(odl, 'ObservatoryLocation');
  const observation = child(odl, 'ObservationLocation');
  if (!observatory || !observation) {
    throw new VoeventError(
      `${where}: ObsDataLocation needs ObservatoryLocation and ObservationLocation`,
    );
  }
  const system = child(observation, 'AstroCoordSystem');
  const coords = child(observation, 'AstroCoords');
  if (!system || !coords) {
    throw new VoeventError(`${where}: ObservationLocation needs AstroCoordSystem and AstroCoords`);
  }
  const ww: VoWhereWhen = {
    observatoryLocation: attr(observatory, 'id') ?? '',
    coordSystem: attr(system, 'id') ?? attr(coords, 'coord_system_id') ?? '',
  };
  const time = child(coords, 'Time');
  if (time) {
    const instant = child(time, 'TimeInstant');
    if (instant?.ISOTime !== undefined) ww.isoTime = textOf(instant.ISOTime);
    const unit = attr(time, 'unit');
    if (unit !== undefined) ww.timeUnit = unit;
    if (time.Error !== undefined) ww.timeError = numberOf(time.Error, 'Time/Error', where);
  }
  const position = child(coords, 'Position2D');
  if (position) {
    const value2 = child(position, 'Value2');
    if (!value2 || position.Error2Radius === undefined) {
      throw new VoeventError(`${where}: Position2D needs Value2 and Error2Radius`);
    }
    const pos: VoPosition = {
      unit: attr(position, 'unit') ?? '',
      c1: numberOf(value2.C1, 'Position2D/Value2/C1', where),
      c2: numberOf(value2.C2, 'Position2D/Value2/C2', where),
      errorRadius: numberOf(position.Error2Radius, 'Position2D/Error2Radius', where),
    };
    if (position.Name1 !== undefined) pos.name1 = textOf(position.Name1);
    if (position.Name2 !== undefined) pos.name2 = textOf(position.Name2);
    ww.position = pos;
  }
  return ww;
}

function numberOf(value: unknown, field: string, where: string): number {
  const text = textOf(value).trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) {
    throw new VoeventError(`${where}: ${field} '${text}' is not a number`);
  }
  return n;
}

function readCitations(node: Node, where: string): VoCitations {
  const eventIvorns = list(node.EventIVORN).map((e) => {
    const cite = attr(e, 'cite');
    if (cite !== 'followup' && cite !== 'supersedes' && cite !== 'retraction') {
      throw new VoeventError(
        `${where}: EventIVORN cite '${cite}' is not followup/supersedes/retraction`,
      );
    }
    return { ivorn: textOf(e), cite: cite as CiteType };
  });
  const citations: VoCitations = { eventIvorns };
  const description = firstText(node.Description);
  if (description !== undefined) citations.description = description;
  return citations;
}
