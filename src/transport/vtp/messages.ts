import {
  escapeXmlText,
  localName,
  parseXml,
  rootElement,
  XmlError,
} from '../../formats/xml/safe-xml.js';

/**
 * VTP transport messages (iamalive, ack, nak, authenticate) and the classification of incoming
 * frames. Transport messages are not VOEvents: root `Transport`, with one of three namespace
 * spellings in use, all accepted.
 */
export const TRANSPORT_NAMESPACE = 'http://telescope-networks.org/schema/Transport/v1.1';
const TRANSPORT_NAMESPACES = new Set([
  TRANSPORT_NAMESPACE,
  'http://www.telescope-networks.org/xml/Transport/v1.1',
  'http://telescope-networks.org/xml/Transport/v1.1',
]);
const SCHEMA_LOCATION =
  'http://telescope-networks.org/schema/Transport/v1.1 http://www.telescope-networks.org/schema/Transport-v1.1.xsd';

export type TransportRole = 'iamalive' | 'ack' | 'nak' | 'authenticate';
const TRANSPORT_ROLES = new Set<TransportRole>(['iamalive', 'ack', 'nak', 'authenticate']);

export interface TransportMessage {
  kind: 'transport';
  role: TransportRole;
  origin: string;
  response?: string;
  timestamp?: string;
  meta: { params: [string, string][]; result?: string };
}

export interface VoeventFrame {
  kind: 'voevent';
  ivorn: string;
  role: string;
  /** The frame bytes, unchanged: they are forwarded and compared byte for byte. */
  bytes: Buffer;
}

export type VtpFrame = TransportMessage | VoeventFrame;

export class VtpMessageError extends Error {
  override name = 'VtpMessageError';
}

export interface TransportOptions {
  role: TransportRole;
  origin: string;
  response?: string;
  params?: [string, string][];
  result?: string;
  /** Write an (empty) Meta even without params or result: authenticate replies always carry one. */
  meta?: boolean;
  now?: Date;
}

/** Writes a transport message (children in the schema's fixed order). */
export function transportMessage(options: TransportOptions): string {
  const time = `${(options.now ?? new Date()).toISOString().slice(0, 19)}Z`;
  const lines = [
    "<?xml version='1.0' encoding='UTF-8'?>",
    `<trn:Transport xmlns:trn="${TRANSPORT_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.0" role="${options.role}" xsi:schemaLocation="${SCHEMA_LOCATION}">`,
    `  <Origin>${escapeXmlText(options.origin)}</Origin>`,
  ];
  if (options.response !== undefined) {
    lines.push(`  <Response>${escapeXmlText(options.response)}</Response>`);
  }
  lines.push(`  <TimeStamp>${time}</TimeStamp>`);
  const params = options.params ?? [];
  if (params.length || options.result !== undefined || options.meta) {
    lines.push('  <Meta>');
    for (const [name, value] of params) {
      lines.push(`    <Param name="${escapeAttr(name)}" value="${escapeAttr(value)}"/>`);
    }
    if (options.result !== undefined) {
      lines.push(`    <Result>${escapeXmlText(options.result)}</Result>`);
    }
    lines.push('  </Meta>');
  }
  lines.push('</trn:Transport>');
  return `${lines.join('\n')}\n`;
}

function escapeAttr(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;');
}

/** Reads a frame: a VOEvent (kept as bytes) or a transport message. */
export function parseFrame(bytes: Buffer, source: string): VtpFrame {
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(bytes.toString('utf8'), { arrays: ['Param'], source });
  } catch (err) {
    if (err instanceof XmlError) throw new VtpMessageError(err.message);
    throw err;
  }
  const { name, element } = rootElement(doc, source);
  const local = localName(name);
  const role = String(element['@role'] ?? '');
  if (local === 'VOEvent') {
    const ivorn = element['@ivorn'];
    if (typeof ivorn !== 'string' || ivorn === '') {
      throw new VtpMessageError(`${source}: VOEvent without an ivorn`);
    }
    return { kind: 'voevent', ivorn, role: role || 'observation', bytes };
  }
  if (local !== 'Transport') {
    throw new VtpMessageError(`${source}: unexpected root element <${name}>`);
  }
  const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : '';
  const namespace = element[prefix ? `@xmlns:${prefix}` : '@xmlns'];
  if (typeof namespace === 'string' && !TRANSPORT_NAMESPACES.has(namespace)) {
    throw new VtpMessageError(`${source}: unknown Transport namespace '${namespace}'`);
  }
  if (!TRANSPORT_ROLES.has(role as TransportRole)) {
    throw new VtpMessageError(
      `${source}: Transport role '${role}' is not iamalive/ack/nak/authenticate`,
    );
  }
  const text = (v: unknown): string | undefined =>
    v === undefined
      ? undefined
      : typeof v === 'object' && v !== null
        ? String((v as Record<string, unknown>)['#text'] ?? '')
        : String(v);
  const origin = text(element.Origin);
  if (origin === undefined) throw new VtpMessageError(`${source}: Transport ${role} has no Origin`);
  const message: TransportMessage = {
    kind: 'transport',
    role: role as TransportRole,
    origin,
    meta: { params: [] },
  };
  const response = text(element.Response);
  if (response !== undefined) message.response = response;
  const timestamp = text(element.TimeStamp);
  if (timestamp !== undefined) message.timestamp = timestamp;
  const meta = element.Meta as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object') {
    for (const p of (meta.Param as Record<string, unknown>[] | undefined) ?? []) {
      message.meta.params.push([String(p['@name'] ?? ''), String(p['@value'] ?? '')]);
    }
    const result = text(meta.Result);
    if (result !== undefined) message.meta.result = result;
  }
  return message;
}
