/**
 * Reading a LIGO_LW document from bytes (plain or gzip-compressed XML) into a LigoLwDocument.
 */
import { gunzipSync } from 'node:zlib';
import { decodeBinaryArray } from './array-binary.js';
import {
  type ArrayEncoding,
  LigoLwArray,
  type LigoLwColumn,
  LigoLwComment,
  LigoLwContainer,
  type LigoLwDim,
  LigoLwDocument,
  type LigoLwNode,
  LigoLwParam,
  LigoLwTable,
  LigoLwTime,
  type TimeType,
} from './document.js';
import { LigoLwError } from './errors.js';
import { parseGpsTime } from './gps-time.js';
import { columnShortName, stripSuffix, tableShortName } from './names.js';
import { StreamSyntaxError, type StreamToken, tokenizeStream } from './stream-tokenizer.js';
import {
  type CellValue,
  type ComplexType,
  type FloatType,
  type IntType,
  isLigoLwType,
  isNumericType,
  type LigoLwType,
  type NumericType,
  parseComplex,
  parseFloatToken,
  parseInteger,
  parseValue,
  typeCategory,
} from './types.js';
import { scanXml, type XmlElement, XmlSource } from './xml-scanner.js';

export interface ReadOptions {
  /** Name of the file the bytes came from; every error message starts with it. */
  fileName?: string;
}

/** Elements whose character data carries values. */
const TEXT_ELEMENTS: ReadonlySet<string> = new Set(['Stream', 'Param', 'Time', 'Dim', 'Comment']);

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/** Decompress (when the bytes are gzip, whatever the file is called) and decode UTF-8. */
export function decodeLigoLwText(bytes: Uint8Array, options: ReadOptions = {}): string {
  const file = options.fileName;
  if (bytes.length === 0) throw new LigoLwError('not XML: the input is empty', { file });
  let xml: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      xml = gunzipSync(bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LigoLwError(`gzip data is corrupt (${reason})`, { file }, { cause: error });
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch (error) {
    throw new LigoLwError('not XML: the bytes are not UTF-8 text', { file }, { cause: error });
  }
}

/** Parse a LIGO_LW document from bytes (plain or gzipped) or from already-decoded text. */
export function readLigoLw(input: Uint8Array | string, options: ReadOptions = {}): LigoLwDocument {
  const text = typeof input === 'string' ? input : decodeLigoLwText(input, options);
  const source = new XmlSource(text, options.fileName);
  const root = scanXml(source, TEXT_ELEMENTS, 'LIGO_LW');
  return new LigoLwDocument(new DocumentBuilder(source).container(root), options.fileName);
}

class DocumentBuilder {
  constructor(private readonly source: XmlSource) {}

  private error(problem: string, offset: number): LigoLwError {
    return this.source.error(problem, offset);
  }

  container(element: XmlElement): LigoLwContainer {
    const children: LigoLwNode[] = [];
    for (const child of element.children) {
      switch (child.name) {
        case 'LIGO_LW':
          children.push(this.container(child));
          break;
        case 'Table':
          children.push(this.table(child));
          break;
        case 'Param':
          children.push(this.param(child));
          break;
        case 'Time':
          children.push(this.time(child));
          break;
        case 'Array':
          children.push(this.array(child));
          break;
        case 'Comment':
          children.push(new LigoLwComment(child.text));
          break;
        default:
          throw this.error(`unsupported element <${child.name}> inside <LIGO_LW>`, child.offset);
      }
    }
    return new LigoLwContainer(
      element.attributes.get('Name') ?? null,
      children,
      element.attributes.get('Type') ?? null,
    );
  }

  private requiredAttribute(element: XmlElement, attribute: string): string {
    const value = element.attributes.get(attribute);
    if (value === undefined) {
      throw this.error(`<${element.name}> has no ${attribute} attribute`, element.offset);
    }
    return value;
  }

  private type(element: XmlElement, what: string, fallback?: LigoLwType): LigoLwType {
    const type = element.attributes.get('Type') ?? fallback;
    if (type === undefined) throw this.error(`${what} has no Type attribute`, element.offset);
    if (!isLigoLwType(type)) throw this.error(`${what} has unknown type '${type}'`, element.offset);
    return type;
  }

  private tokens(stream: XmlElement, delimiter: string, what: string): StreamToken[] {
    try {
      return tokenizeStream(stream.text, delimiter);
    } catch (error) {
      if (!(error instanceof StreamSyntaxError)) throw error;
      const offset = stream.textOffset === -1 ? stream.offset : stream.textOffset + error.offset;
      throw this.error(`${what}: ${error.message}`, offset);
    }
  }

  private checkLocalStream(stream: XmlElement, what: string): void {
    const type = stream.attributes.get('Type') ?? 'Local';
    if (type !== 'Local') {
      throw this.error(
        `${what}: Stream Type '${type}' is not supported (only Local)`,
        stream.offset,
      );
    }
  }

  table(element: XmlElement): LigoLwTable {
    const name = tableShortName(this.requiredAttribute(element, 'Name'));
    const what = `table ${name}`;
    const columns: LigoLwColumn[] = [];
    let comment: string | null = null;
    let stream: XmlElement | undefined;
    for (const child of element.children) {
      if (stream) throw this.error(`${what}: <${child.name}> after the Stream`, child.offset);
      if (child.name === 'Column') {
        const xmlName = this.requiredAttribute(child, 'Name');
        const column = columnShortName(xmlName);
        if (columns.some((c) => c.name === column)) {
          throw this.error(`${what}: column ${column} appears twice`, child.offset);
        }
        columns.push({
          name: column,
          xmlName,
          type: this.type(child, `${what}, column ${xmlName}`),
        });
      } else if (child.name === 'Stream') {
        stream = child;
      } else if (child.name === 'Comment') {
        comment = child.text;
      } else {
        throw this.error(`${what}: unsupported element <${child.name}>`, child.offset);
      }
    }
    if (!stream) return new LigoLwTable(name, columns, [], ',', comment);

    this.checkLocalStream(stream, what);
    if (stream.attributes.has('Encoding')) {
      throw this.error(`${what}: encoded table Streams are not supported`, stream.offset);
    }
    const delimiter = stream.attributes.get('Delimiter') ?? ',';
    const tokens = this.tokens(stream, delimiter, what);
    const width = columns.length;
    if (tokens.length > 0 && width === 0) {
      throw this.error(`${what}: Stream holds values but the table has no columns`, stream.offset);
    }
    if (width > 0 && tokens.length % width !== 0) {
      throw this.error(
        `${what}: Stream has ${tokens.length} values, not a whole number of rows of ` +
          `${width} columns (${tokens.length % width} left over)`,
        stream.offset,
      );
    }
    const converters = columns.map((c) => converter(c.type));
    const rowCount = width === 0 ? 0 : tokens.length / width;
    const rows = new Array<CellValue[]>(rowCount);
    let t = 0;
    for (let r = 0; r < rowCount; r++) {
      const row = new Array<CellValue>(width);
      for (let c = 0; c < width; c++, t++) {
        const token = tokens[t]!;
        if (token === null) {
          row[c] = null;
          continue;
        }
        try {
          row[c] = converters[c]!(token);
        } catch (error) {
          throw this.error(
            `${what}, row ${r + 1}, column ${columns[c]!.name}: ${(error as Error).message}`,
            stream.textOffset === -1 ? stream.offset : stream.textOffset,
          );
        }
      }
      rows[r] = row;
    }
    return new LigoLwTable(name, columns, rows, delimiter, comment);
  }

  param(element: XmlElement): LigoLwParam {
    const name = stripSuffix(this.requiredAttribute(element, 'Name'), ':param');
    const what = `Param ${name}`;
    // The Python library's default Param type is lstring.
    const type = this.type(element, what, 'lstring');
    for (const child of element.children) {
      if (child.name !== 'Comment') {
        throw this.error(`${what}: unsupported element <${child.name}>`, child.offset);
      }
    }
    // No character data at all is NULL; whitespace only is the empty string (how writers
    // spell "" since Param text is trimmed).
    let value: CellValue = null;
    if (element.text.length > 0) {
      try {
        value = parseValue(type, element.text.trim());
      } catch (error) {
        throw this.error(`${what}: ${(error as Error).message}`, element.offset);
      }
    }
    return new LigoLwParam(name, type, value, element.attributes.get('Unit') ?? null);
  }

  time(element: XmlElement): LigoLwTime {
    const name = element.attributes.get('Name') ?? '';
    const type = element.attributes.get('Type') ?? 'ISO-8601';
    if (type !== 'GPS' && type !== 'Unix' && type !== 'ISO-8601') {
      throw this.error(`Time ${name}: unknown Type '${type}'`, element.offset);
    }
    const text = element.text.trim();
    if (type === 'GPS') {
      try {
        parseGpsTime(text);
      } catch (error) {
        throw this.error(`Time ${name}: ${(error as Error).message}`, element.offset);
      }
    }
    return new LigoLwTime(name, type as TimeType, text);
  }

  array(element: XmlElement): LigoLwArray {
    const name = stripSuffix(this.requiredAttribute(element, 'Name'), ':array');
    const what = `Array ${name}`;
    const type = this.type(element, what);
    if (!isNumericType(type))
      throw this.error(`${what}: type ${type} is not numeric`, element.offset);
    const dims: LigoLwDim[] = [];
    let stream: XmlElement | undefined;
    for (const child of element.children) {
      if (stream) throw this.error(`${what}: <${child.name}> after the Stream`, child.offset);
      if (child.name === 'Dim') dims.push(this.dim(child, what));
      else if (child.name === 'Stream') stream = child;
      else if (child.name !== 'Comment') {
        throw this.error(`${what}: unsupported element <${child.name}>`, child.offset);
      }
    }
    if (dims.length === 0) throw this.error(`${what} has no Dim`, element.offset);
    if (!stream) throw this.error(`${what} has no Stream`, element.offset);
    this.checkLocalStream(stream, what);

    const shape = dims.map((d) => d.n);
    const size = shape.reduce((a, b) => a * b, 1);
    const encodingAttribute = stream.attributes.get('Encoding');
    const delimiter = stream.attributes.get('Delimiter') ?? ' ';
    const unit = element.attributes.get('Unit') ?? null;
    if (encodingAttribute !== undefined) {
      const encoding = normalizeEncoding(encodingAttribute);
      if (!encoding) {
        throw this.error(
          `${what}: Stream Encoding '${encodingAttribute}' is not supported`,
          stream.offset,
        );
      }
      try {
        const data = decodeBinaryArray(
          stream.text,
          type,
          shape,
          encoding === 'base64,LittleEndian',
        );
        return new LigoLwArray(name, type, dims, data, unit, encoding, delimiter);
      } catch (error) {
        throw this.error(`${what}: ${(error as Error).message}`, stream.offset);
      }
    }

    const tokens = this.tokens(stream, delimiter, what);
    if (tokens.length !== size) {
      throw this.error(
        `${what}: Stream has ${tokens.length} values, but its Dims (${shape.join('×')}) need ${size}`,
        stream.offset,
      );
    }
    const complex = typeCategory(type) === 'complex';
    const data = new Float64Array(complex ? 2 * size : size);
    const convert = converter(type);
    for (let i = 0; i < size; i++) {
      const token = tokens[i]!;
      try {
        if (token === null) throw new Error('empty value (arrays cannot hold NULL)');
        if (complex) {
          const z = parseComplex(type as ComplexType, token);
          data[2 * i] = z.re;
          data[2 * i + 1] = z.im;
        } else {
          const value = convert(token);
          if (typeof value !== 'number') {
            throw new Error(
              `${type} value ${token} is beyond ±2^53, which an Array cannot hold exactly`,
            );
          }
          data[i] = value;
        }
      } catch (error) {
        throw this.error(`${what}, value ${i + 1}: ${(error as Error).message}`, stream.offset);
      }
    }
    return new LigoLwArray(name, type as NumericType, dims, data, unit, 'text', delimiter);
  }

  private dim(element: XmlElement, what: string): LigoLwDim {
    const text = element.text.trim();
    if (!/^\d+$/.test(text)) {
      throw this.error(`${what}: Dim size '${text}' is not a non-negative integer`, element.offset);
    }
    const number = (attribute: string): number | null => {
      const value = element.attributes.get(attribute);
      if (value === undefined) return null;
      try {
        return parseFloatToken('real_8', value.trim());
      } catch {
        throw this.error(`${what}: Dim ${attribute} '${value}' is not a number`, element.offset);
      }
    };
    return {
      name: element.attributes.get('Name') ?? null,
      n: Number(text),
      start: number('Start'),
      scale: number('Scale'),
      unit: element.attributes.get('Unit') ?? null,
    };
  }
}

function normalizeEncoding(encoding: string): ArrayEncoding | undefined {
  const parts = encoding.split(',').map((p) => p.trim().toLowerCase());
  if (parts[0] !== 'base64') return undefined;
  if (parts.length === 1 || parts[1] === 'littleendian') return 'base64,LittleEndian';
  if (parts[1] === 'bigendian') return 'base64,BigEndian';
  return undefined;
}

/** The token-to-value function for a type, chosen once per column. */
function converter(type: LigoLwType): (token: string) => CellValue {
  switch (typeCategory(type)) {
    case 'string':
      return (token) => token;
    case 'int':
      return (token) => parseInteger(type as IntType, token);
    case 'float':
      return (token) => parseFloatToken(type as FloatType, token);
    default:
      return (token) => parseValue(type, token);
  }
}
