/**
 * Writing a LigoLwDocument as LIGO_LW XML, optionally gzip-compressed, in the layout the Python
 * library (ligo.lw) writes and reads: tab indentation, attributes in sorted order, `Name="x:table"` / `x:param` /
 * `x:array` suffixes, Stream rows joined by the delimiter and a newline, a final extra
 * delimiter when the last token is NULL, string tokens quoted with backslash escapes, and the
 * last Dim of an Array varying fastest along each text line.
 *
 * The whole text is built and checked in memory before anything is returned, so a value that
 * does not fit its column type fails the write without leaving partial output.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { encodeBinaryArray } from './array-binary.js';
import type {
  LigoLwArray,
  LigoLwContainer,
  LigoLwDocument,
  LigoLwNode,
  LigoLwParam,
  LigoLwTable,
  LigoLwTime,
} from './document.js';
import { LigoLwError } from './errors.js';
import { parseGpsTime } from './gps-time.js';
import { quoteToken } from './stream-tokenizer.js';
import {
  type CellValue,
  type ComplexType,
  formatFloat,
  formatValue,
  isLigoLwType,
  typeCategory,
} from './types.js';

export interface WriteOptions {
  /** gzip-compress the output (psd.xml.gz, coinc.xml.gz). */
  gzip?: boolean;
}

const INDENT = '\t';
const HEADER =
  "<?xml version='1.0' encoding='utf-8'?>\n" +
  '<!DOCTYPE LIGO_LW SYSTEM "http://ldas-sw.ligo.caltech.edu/doc/ligolwAPI/html/ligolw_dtd.txt">\n';

/** True for a character XML 1.0 cannot carry at all, even escaped. */
function hasForbiddenXmlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff) return true;
  }
  return false;
}

function escapeText(text: string): string {
  if (!/[&<>\r]/.test(text)) return text;
  return text.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

function escapeAttribute(text: string): string {
  if (!/[&<>"\t\n\r]/.test(text)) return text;
  return text.replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkXmlText(text: string, what: string): void {
  if (hasForbiddenXmlCharacter(text)) {
    throw new LigoLwError(`${what} contains a control character XML cannot carry`);
  }
}

function attributes(pairs: [string, string | null | undefined][], what: string): string {
  let out = '';
  for (const [name, value] of pairs) {
    if (value === null || value === undefined) continue;
    checkXmlText(value, `${what} ${name} attribute`);
    out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return out;
}

/** Serialize a document to LIGO_LW XML text. */
export function formatLigoLw(document: LigoLwDocument): string {
  const out: string[] = [HEADER];
  writeContainer(out, document.root, '');
  return out.join('');
}

/** Serialize a document to bytes, gzip-compressed when asked. */
export function writeLigoLw(document: LigoLwDocument, options: WriteOptions = {}): Buffer {
  const bytes = Buffer.from(formatLigoLw(document), 'utf8');
  return options.gzip ? gzipSync(bytes) : bytes;
}

/**
 * Write a document to a file: serialized completely first, then written beside the target and
 * renamed into place, so a reader never sees a half-written file.
 */
export function writeLigoLwFile(
  path: string,
  document: LigoLwDocument,
  options: WriteOptions = {},
): void {
  const bytes = writeLigoLw(document, options);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeContainer(out: string[], container: LigoLwContainer, indent: string): void {
  out.push(
    `${indent}<LIGO_LW${attributes(
      [
        ['Name', container.name],
        ['Type', container.type],
      ],
      'LIGO_LW',
    )}>\n`,
  );
  const inner = indent + INDENT;
  for (const child of container.children) writeNode(out, child, inner);
  out.push(`${indent}</LIGO_LW>\n`);
}

function writeNode(out: string[], node: LigoLwNode, indent: string): void {
  switch (node.kind) {
    case 'LIGO_LW':
      writeContainer(out, node, indent);
      return;
    case 'Table':
      writeTable(out, node, indent);
      return;
    case 'Param':
      out.push(`${indent}${formatParam(node)}\n`);
      return;
    case 'Time':
      out.push(`${indent}${formatTime(node)}\n`);
      return;
    case 'Array':
      writeArray(out, node, indent);
      return;
    case 'Comment':
      checkXmlText(node.text, 'Comment');
      out.push(`${indent}<Comment>${escapeText(node.text)}</Comment>\n`);
      return;
  }
}

function writeTable(out: string[], table: LigoLwTable, indent: string): void {
  const what = `table ${table.name}`;
  if (table.delimiter.length !== 1 || /[\s"'\\]/.test(table.delimiter)) {
    throw new LigoLwError(`${what}: Delimiter must be one non-space, non-quote character`);
  }
  const inner = indent + INDENT;
  const xmlName = `${table.name}:table`;
  out.push(`${indent}<Table${attributes([['Name', xmlName]], what)}>\n`);
  if (table.comment !== null) {
    checkXmlText(table.comment, `${what} Comment`);
    out.push(`${inner}<Comment>${escapeText(table.comment)}</Comment>\n`);
  }
  const seen = new Set<string>();
  for (const column of table.columns) {
    if (!isLigoLwType(column.type)) {
      throw new LigoLwError(`${what}: column ${column.name} has unknown type '${column.type}'`);
    }
    if (seen.has(column.name))
      throw new LigoLwError(`${what}: column ${column.name} appears twice`);
    seen.add(column.name);
    out.push(
      `${inner}<Column${attributes(
        [
          ['Name', column.xmlName],
          ['Type', column.type],
        ],
        what,
      )}/>\n`,
    );
  }
  out.push(
    `${inner}<Stream${attributes(
      [
        ['Delimiter', table.delimiter],
        ['Name', xmlName],
        ['Type', 'Local'],
      ],
      what,
    )}>`,
  );
  const width = table.columns.length;
  const formatters = table.columns.map((column) => tokenFormatter(column.type));
  const lineStart = `\n${inner}${INDENT}`;
  let lastToken = '';
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r]!;
    if (row.length !== width) {
      throw new LigoLwError(`${what}, row ${r + 1}: ${row.length} values for ${width} columns`);
    }
    let line = r === 0 ? lineStart : table.delimiter + lineStart;
    for (let c = 0; c < width; c++) {
      const value = row[c]!;
      let token: string;
      try {
        token = value === null ? '' : formatters[c]!(value);
      } catch (error) {
        if (error instanceof LigoLwError) throw error;
        throw new LigoLwError(
          `${what}, row ${r + 1}, column ${table.columns[c]!.name}: ${(error as Error).message}`,
        );
      }
      line += c === 0 ? token : table.delimiter + token;
      lastToken = token;
    }
    out.push(line);
  }
  // A final NULL token is only visible to readers if a delimiter follows it.
  if (table.rows.length > 0 && width > 0 && lastToken === '') out.push(table.delimiter);
  out.push(`\n${inner}</Stream>\n${indent}</Table>\n`);
}

/** The Stream token for a value of this type: quoted and escaped for strings. */
function tokenFormatter(
  type: LigoLwTable['columns'][number]['type'],
): (value: Exclude<CellValue, null>) => string {
  const category = typeCategory(type);
  if (category === 'string') {
    return (value) => {
      const text = formatValue(type, value);
      checkXmlText(text, 'string value');
      return escapeText(quoteToken(text));
    };
  }
  if (category === 'blob') return (value) => `"${formatValue(type, value)}"`;
  if (category === 'float') {
    return (value) => {
      if (typeof value !== 'number') return formatValue(type, value);
      return formatFloat(value);
    };
  }
  return (value) => formatValue(type, value);
}

function formatParam(param: LigoLwParam): string {
  const what = `Param ${param.name}`;
  if (!isLigoLwType(param.type)) throw new LigoLwError(`${what} has unknown type '${param.type}'`);
  let text = '';
  if (param.value !== null) {
    try {
      text = formatValue(param.type, param.value);
    } catch (error) {
      throw new LigoLwError(`${what}: ${(error as Error).message}`);
    }
    if (typeof param.value === 'string') {
      checkXmlText(text, what);
      // Param text is unquoted and trimmed on reading: only an empty string has a spelling
      // (a single space); other edge whitespace would be lost.
      if (text.length === 0) text = ' ';
      else if (text.trim() !== text) {
        throw new LigoLwError(`${what}: leading or trailing whitespace cannot be kept in a Param`);
      }
    }
  }
  const attrs = attributes(
    [
      ['Name', `${param.name}:param`],
      ['Type', param.type],
      ['Unit', param.unit],
    ],
    what,
  );
  return `<Param${attrs}>${escapeText(text)}</Param>`;
}

function formatTime(time: LigoLwTime): string {
  const what = `Time ${time.name}`;
  if (time.type === 'GPS') {
    try {
      parseGpsTime(time.text);
    } catch (error) {
      throw new LigoLwError(`${what}: ${(error as Error).message}`);
    }
  }
  checkXmlText(time.text, what);
  const attrs = attributes(
    [
      ['Name', time.name],
      ['Type', time.type],
    ],
    what,
  );
  return `<Time${attrs}>${escapeText(time.text)}</Time>`;
}

function writeArray(out: string[], array: LigoLwArray, indent: string): void {
  const what = `Array ${array.name}`;
  if (
    !isLigoLwType(array.type) ||
    typeCategory(array.type) === 'string' ||
    typeCategory(array.type) === 'blob'
  ) {
    throw new LigoLwError(`${what}: type ${array.type} is not numeric`);
  }
  if (array.dims.length === 0) throw new LigoLwError(`${what} has no Dim`);
  for (const dim of array.dims) {
    if (!Number.isSafeInteger(dim.n) || dim.n < 0) {
      throw new LigoLwError(`${what}: Dim size ${dim.n} is not a non-negative integer`);
    }
  }
  const complex = typeCategory(array.type) === 'complex';
  const size = array.size;
  if (array.data.length !== (complex ? 2 * size : size)) {
    throw new LigoLwError(
      `${what}: ${array.data.length} values for Dims ${array.dims.map((d) => d.n).join('×')}` +
        (complex ? ' (complex: 2 per element)' : ''),
    );
  }
  const inner = indent + INDENT;
  out.push(
    `${indent}<Array${attributes(
      [
        ['Name', `${array.name}:array`],
        ['Type', array.type],
        ['Unit', array.unit],
      ],
      what,
    )}>\n`,
  );
  for (const dim of array.dims) {
    const attrs = attributes(
      [
        ['Name', dim.name],
        ['Scale', dim.scale === null ? null : formatFloat(dim.scale)],
        ['Start', dim.start === null ? null : formatFloat(dim.start)],
        ['Unit', dim.unit],
      ],
      what,
    );
    out.push(`${inner}<Dim${attrs}>${dim.n}</Dim>\n`);
  }
  if (array.delimiter.length !== 1 || /["'\\]/.test(array.delimiter)) {
    throw new LigoLwError(`${what}: Delimiter must be one non-quote character`);
  }

  if (array.encoding !== 'text') {
    const base64 = encodeBinaryArray(
      array.data,
      array.type,
      array.dims.map((d) => d.n),
      array.encoding === 'base64,LittleEndian',
    );
    out.push(
      `${inner}<Stream${attributes(
        [
          ['Delimiter', array.delimiter],
          ['Encoding', array.encoding],
          ['Type', 'Local'],
        ],
        what,
      )}>\n${base64.replace(/.{1,76}/g, '$&\n')}${inner}</Stream>\n${indent}</Array>\n`,
    );
    return;
  }

  out.push(
    `${inner}<Stream${attributes(
      [
        ['Delimiter', array.delimiter],
        ['Type', 'Local'],
      ],
      what,
    )}>`,
  );
  const format = complex
    ? (i: number) =>
        formatValue(array.type as ComplexType, {
          re: array.data[2 * i]!,
          im: array.data[2 * i + 1]!,
        })
    : typeCategory(array.type) === 'int'
      ? (i: number) => {
          try {
            return formatValue(array.type, array.data[i]!);
          } catch (error) {
            throw new LigoLwError(`${what}, value ${i + 1}: ${(error as Error).message}`);
          }
        }
      : (i: number) => formatFloat(array.data[i]!);
  // One line per index of the leading dims; the last Dim runs along the line.
  const lineLength = array.dims[array.dims.length - 1]!.n;
  const lines = lineLength === 0 ? 0 : size / lineLength;
  const lineStart = `\n${inner}${INDENT}`;
  const delimiter = array.delimiter;
  for (let line = 0; line < lines; line++) {
    let text = line === 0 ? lineStart : delimiter + lineStart;
    const base = line * lineLength;
    for (let k = 0; k < lineLength; k++) {
      text += k === 0 ? format(base) : delimiter + format(base + k);
    }
    out.push(text);
  }
  out.push(`\n${inner}</Stream>\n${indent}</Array>\n`);
}
