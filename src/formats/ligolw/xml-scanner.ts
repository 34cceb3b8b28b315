/**
 * A small, strict XML scanner for LIGO_LW documents.
 *
 * LIGO_LW uses a tiny subset of XML (elements, attributes, character data; a prolog with an XML
 * declaration and a DOCTYPE), but its Stream elements hold megabytes of text. A general-purpose
 * parser builds a string per text node and per attribute and costs several times more than
 * scanning with indexOf; this scanner keeps the text of the elements that carry data and checks
 * the rest is whitespace, while still rejecting what is not well-formed XML (mismatched or
 * unclosed tags, text outside the root, bad entities) with the line where it happens.
 */
import { LigoLwError } from './errors.js';

export interface XmlElement {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Decoded character data; only kept for elements named in `textElements`. */
  text: string;
  /** Offset of the element's `<` in the source. */
  offset: number;
  /** Offset where its character data starts (for line numbers of errors inside a Stream). */
  textOffset: number;
}

/** The decoded document text, with what is needed to place an error in it. */
export class XmlSource {
  constructor(
    readonly text: string,
    readonly file: string | undefined,
  ) {}

  /** 1-based line of an offset in the text. */
  lineAt(offset: number): number {
    let line = 1;
    const end = Math.min(offset, this.text.length);
    for (let i = this.text.indexOf('\n'); i !== -1 && i < end; i = this.text.indexOf('\n', i + 1)) {
      line++;
    }
    return line;
  }

  error(problem: string, offset?: number): LigoLwError {
    return new LigoLwError(problem, {
      file: this.file,
      line: offset === undefined ? undefined : this.lineAt(offset),
    });
  }
}

// Character codes the scanner compares against.
const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const BANG = 33;
const QUOTE = 34;
const APOS = 39;
const SLASH = 47;
const EQUALS = 61;
const GT = 62;
const QUESTION = 63;
const LBRACKET = 91;
const RBRACKET = 93;

function isSpace(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === TAB || c === RETURN;
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 58 || // :
    c === 45 || // -
    c === 46 || // .
    c > 127
  );
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c > 127;
}

/** True when text[start, end) holds only XML whitespace. */
export function isWhitespace(text: string, start = 0, end = text.length): boolean {
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** Replace XML entity and character references; `offset` places errors in the source. */
export function decodeEntities(source: XmlSource, raw: string, offset: number): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp);
    if (semi === -1 || semi - amp > 12) {
      throw source.error("'&' that does not start an entity reference (write &amp;)", offset + amp);
    }
    const ref = raw.slice(amp + 1, semi);
    let decoded: string | undefined;
    if (ref.charCodeAt(0) === 35 /* # */) {
      const code =
        ref[1] === 'x' || ref[1] === 'X'
          ? Number.parseInt(ref.slice(2), 16)
          : /^\d+$/.test(ref.slice(1))
            ? Number.parseInt(ref.slice(1), 10)
            : Number.NaN;
      if (Number.isFinite(code) && code > 0 && code <= 0x10ffff)
        decoded = String.fromCodePoint(code);
    } else {
      decoded = NAMED_ENTITIES[ref];
    }
    if (decoded === undefined) throw source.error(`unknown entity &${ref};`, offset + amp);
    out += raw.slice(from, amp) + decoded;
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

/**
 * Scan a whole document into an element tree and return its root element.
 * `textElements` names the elements whose character data is kept; a document whose root is not
 * `rootName` is rejected as soon as the root opens (an HTML error page fails on <html>, not on
 * whatever it holds).
 */
export function scanXml(
  source: XmlSource,
  textElements: ReadonlySet<string>,
  rootName: string,
): XmlElement {
  const text = source.text;
  const n = text.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const firstTag = text.indexOf('<', pos);
  if (firstTag === -1 || !isWhitespace(text, pos, firstTag)) {
    throw source.error('not XML: the document does not start with a tag', pos);
  }

  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) characterData(pos, textEnd, false);
    if (lt === -1) break;

    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) {
      pos = endTag(lt);
    } else if (next === QUESTION) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) throw truncated(`processing instruction at line ${source.lineAt(lt)}`);
      pos = end + 2;
    } else if (next === BANG) {
      pos = markupDeclaration(lt);
    } else {
      pos = startTag(lt);
    }
  }

  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    throw truncated(`<${open.name}> opened at line ${source.lineAt(open.offset)} is never closed`);
  }
  if (!root) throw source.error('not XML: no root element');
  return root;

  function truncated(what: string): LigoLwError {
    return source.error(`truncated document: ${what}`, n);
  }

  function characterData(start: number, end: number, cdata: boolean): void {
    const current = stack[stack.length - 1];
    if (!current) {
      if (cdata || !isWhitespace(text, start, end)) {
        throw source.error(
          root ? 'text after the root element' : 'not XML: text before the root element',
          start,
        );
      }
      return;
    }
    if (!textElements.has(current.name)) {
      if (cdata || !isWhitespace(text, start, end)) {
        throw source.error(`<${current.name}> holds no text, found some`, start);
      }
      return;
    }
    const raw = text.slice(start, end);
    const decoded = cdata ? raw : decodeEntities(source, raw, start);
    if (current.text.length === 0) current.textOffset = start;
    current.text += decoded;
  }

  function markupDeclaration(lt: number): number {
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) throw truncated(`comment at line ${source.lineAt(lt)} is never closed`);
      return end + 3;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end === -1) throw truncated(`CDATA section at line ${source.lineAt(lt)} is never closed`);
      characterData(lt + 9, end, true);
      return end + 3;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      if (root || stack.length > 0) throw source.error('DOCTYPE inside the document', lt);
      // Skip to the closing '>', stepping over quoted strings and an internal subset [...].
      let depth = 0;
      for (let i = lt + 9; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE || c === APOS) {
          const close = text.indexOf(String.fromCharCode(c), i + 1);
          if (close === -1) break;
          i = close;
        } else if (c === LBRACKET) depth++;
        else if (c === RBRACKET) depth--;
        else if (c === GT && depth <= 0) return i + 1;
      }
      throw truncated('DOCTYPE is never closed');
    }
    throw source.error('not XML: unknown markup declaration', lt);
  }

  function readName(start: number, what: string): number {
    if (start >= n) throw truncated(`${what} at the end of the text`);
    if (!isNameStart(text.charCodeAt(start))) {
      throw source.error(
        `not XML: invalid ${what} name near '${text.slice(start, start + 10)}'`,
        start,
      );
    }
    let i = start + 1;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    return i;
  }

  function skipSpace(i: number): number {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    return i;
  }

  function endTag(lt: number): number {
    const nameEnd = readName(lt + 2, 'end tag');
    const name = text.slice(lt + 2, nameEnd);
    const gt = skipSpace(nameEnd);
    if (gt >= n) throw truncated(`end tag </${name}> is cut off`);
    if (text.charCodeAt(gt) !== GT) throw source.error(`not XML: malformed end tag </${name}`, lt);
    const open = stack.pop();
    if (!open) throw source.error(`end tag </${name}> without a start tag`, lt);
    if (open.name !== name) {
      throw source.error(
        `end tag </${name}> does not match <${open.name}> opened at line ${source.lineAt(open.offset)}`,
        lt,
      );
    }
    return gt + 1;
  }

  function startTag(lt: number): number {
    const nameEnd = readName(lt + 1, 'element');
    const element: XmlElement = {
      name: text.slice(lt + 1, nameEnd),
      attributes: new Map(),
      children: [],
      text: '',
      offset: lt,
      textOffset: -1,
    };
    let i = nameEnd;
    for (;;) {
      const before = i;
      i = skipSpace(i);
      if (i >= n) throw truncated(`start tag <${element.name}> is cut off`);
      const c = text.charCodeAt(i);
      if (c === GT) {
        open(element, false);
        return i + 1;
      }
      if (c === SLASH) {
        if (text.charCodeAt(i + 1) !== GT) {
          throw source.error(`not XML: malformed start tag <${element.name}>`, lt);
        }
        open(element, true);
        return i + 2;
      }
      if (i === before) throw source.error(`not XML: malformed start tag <${element.name}>`, lt);
      const attrEnd = readName(i, 'attribute');
      const attr = text.slice(i, attrEnd);
      i = skipSpace(attrEnd);
      if (text.charCodeAt(i) !== EQUALS) {
        throw source.error(`not XML: attribute ${attr} of <${element.name}> has no value`, i);
      }
      i = skipSpace(i + 1);
      const quote = text.charCodeAt(i);
      if (quote !== QUOTE && quote !== APOS) {
        throw source.error(`not XML: attribute ${attr} of <${element.name}> is not quoted`, i);
      }
      const close = text.indexOf(String.fromCharCode(quote), i + 1);
      if (close === -1) throw truncated(`attribute ${attr} of <${element.name}> is cut off`);
      const raw = text.slice(i + 1, close);
      if (raw.includes('<')) throw source.error(`not XML: '<' in attribute ${attr}`, i);
      if (element.attributes.has(attr)) {
        throw source.error(`not XML: attribute ${attr} repeated in <${element.name}>`, i);
      }
      element.attributes.set(attr, decodeEntities(source, raw, i + 1));
      i = close + 1;
    }
  }

  function open(element: XmlElement, selfClosing: boolean): void {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw source.error(`a second root element <${element.name}>`, element.offset);
    else if (element.name !== rootName) {
      throw source.error(
        `the root element is <${element.name}>, not <${rootName}>`,
        element.offset,
      );
    } else root = element;
    if (!selfClosing) stack.push(element);
  }
}
