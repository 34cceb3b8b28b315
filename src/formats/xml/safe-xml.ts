import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML reading for documents that arrive from the network (VOEvents, VTP messages): well-formedness
 * checked first, no DTD and no entities beyond XML's five and character references. A document
 * with a DOCTYPE is refused outright, as Comet refuses entity nodes, so that no entity expansion
 * (billion laughs, external entities) can happen.
 */
export class XmlError extends Error {
  override name = 'XmlError';
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references in one pass. */
export function decodeXmlText(text: string, where = 'XML'): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlError(`${where}: bare '&' in text`);
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    const value = PREDEFINED[name];
    if (value === undefined) throw new XmlError(`${where}: undeclared entity &${name};`);
    return value;
  });
}

export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export interface ParseXmlOptions {
  /** Element names that always parse as arrays. */
  arrays: readonly string[];
  /** Names the document in errors (a file name, a peer). */
  source: string;
}

/**
 * Parses to plain objects: attributes as `@name`, element text as `#text` when the element also
 * has attributes or children, otherwise the text itself.
 */
export function parseXml(text: string, options: ParseXmlOptions): Record<string, unknown> {
  const { source } = options;
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new XmlError(`${source}: a DOCTYPE or entity declaration is not allowed`);
  }
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new XmlError(
      `${source}: not well-formed XML: ${check.err.msg} (line ${check.err.line}, column ${check.err.col})`,
    );
  }
  const arrays = new Set(options.arrays);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false,
    isArray: (name) => arrays.has(name),
    tagValueProcessor: (_name, value) => decodeXmlText(value, source),
    attributeValueProcessor: (_name, value) => decodeXmlText(value, source),
  });
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(`${source}: ${(err as Error).message}`);
  }
}

/** Splits `prefix:local` names. */
export function localName(name: string): string {
  const at = name.indexOf(':');
  return at < 0 ? name : name.slice(at + 1);
}

/** The single root element of a parsed document: its qualified name and content. */
export function rootElement(
  doc: Record<string, unknown>,
  source: string,
): { name: string; element: Record<string, unknown> } {
  const names = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (names.length !== 1) throw new XmlError(`${source}: expected one root element`);
  const name = names[0];
  const element = doc[name];
  return {
    name,
    element:
      element && typeof element === 'object'
        ? (element as Record<string, unknown>)
        : { '#text': element },
  };
}
