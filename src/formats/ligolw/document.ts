/**
 * The in-memory LIGO_LW document: a tree of LIGO_LW containers holding Tables, Params, Times,
 * Arrays and Comments, in document order. It is plain data (the reader builds it, the writer
 * serializes it, and a document written and read back is deep-equal to the original) with a
 * few lookups.
 */
import { LigoLwError } from './errors.js';
import { formatGpsTime, type GpsTime, parseGpsTime } from './gps-time.js';
import { columnXmlName } from './names.js';
import type { CellValue, LigoLwType, NumericType } from './types.js';

export type LigoLwNode =
  | LigoLwContainer
  | LigoLwTable
  | LigoLwParam
  | LigoLwTime
  | LigoLwArray
  | LigoLwComment;

export interface LigoLwColumn {
  /** Short name, without table prefix: `snr`, `process_id`. */
  name: string;
  /** The Column's Name attribute as written: `sngl_inspiral:snr`, `process:process_id`. */
  xmlName: string;
  type: LigoLwType;
}

export class LigoLwTable {
  readonly kind = 'Table';

  constructor(
    /** Short table name: `sngl_inspiral` (written as `sngl_inspiral:table`). */
    public name: string,
    public columns: LigoLwColumn[],
    /** One array per row, values in column order. */
    public rows: CellValue[][] = [],
    /** The Stream's Delimiter. */
    public delimiter = ',',
    /** Text of a Comment child, if any. */
    public comment: string | null = null,
  ) {}

  /** Index of a column by short name, or -1. */
  columnIndex(name: string): number {
    for (let i = 0; i < this.columns.length; i++) if (this.columns[i]!.name === name) return i;
    return -1;
  }

  hasColumn(name: string): boolean {
    return this.columnIndex(name) !== -1;
  }

  /** Every value of one column, in row order; throws if the table has no such column. */
  column(name: string): CellValue[] {
    const index = this.columnIndex(name);
    if (index === -1) throw new Error(`table ${this.name} has no column ${name}`);
    return this.rows.map((row) => row[index]!);
  }

  /** Rows as objects keyed by short column name. */
  records(): Record<string, CellValue>[] {
    const names = this.columns.map((c) => c.name);
    return this.rows.map((row) => {
      const record: Record<string, CellValue> = {};
      for (let i = 0; i < names.length; i++) record[names[i]!] = row[i]!;
      return record;
    });
  }

  /**
   * Build a table from columns given by short name and type; a column without `xmlName` is
   * named as ligo.lw names it (`table:column`, or the owning table's prefix for a foreign key).
   */
  static fromColumns(
    name: string,
    columns: readonly { name: string; type: LigoLwType; xmlName?: string }[],
    rows: CellValue[][] = [],
  ): LigoLwTable {
    return new LigoLwTable(
      name,
      columns.map((c) => ({
        name: c.name,
        type: c.type,
        xmlName: c.xmlName ?? columnXmlName(name, c.name),
      })),
      rows,
    );
  }
}

export class LigoLwParam {
  readonly kind = 'Param';

  constructor(
    /** Short name: `instrument` (written as `instrument:param`). */
    public name: string,
    public type: LigoLwType,
    /** null is an empty Param (NULL). */
    public value: CellValue,
    public unit: string | null = null,
  ) {}
}

export type TimeType = 'GPS' | 'Unix' | 'ISO-8601';

export class LigoLwTime {
  readonly kind = 'Time';

  constructor(
    public name: string,
    public type: TimeType,
    /** The element's text, trimmed (`1000071999.971191406` for a GPS time). */
    public text: string,
  ) {}

  /** The GPS time this element holds; throws unless Type is GPS and the text parses. */
  gps(): GpsTime {
    if (this.type !== 'GPS') throw new Error(`Time ${this.name} has Type ${this.type}, not GPS`);
    return parseGpsTime(this.text);
  }

  static fromGps(name: string, time: GpsTime): LigoLwTime {
    return new LigoLwTime(name, 'GPS', formatGpsTime(time));
  }
}

export interface LigoLwDim {
  name: string | null;
  /** Number of elements along this dimension. */
  n: number;
  start: number | null;
  scale: number | null;
  unit: string | null;
}

/**
 * How an Array's Stream is encoded. Text is what the Python library reads; base64 (raw
 * little- or big-endian binary) is accepted on input because some pipelines send it.
 */
export type ArrayEncoding = 'text' | 'base64,LittleEndian' | 'base64,BigEndian';

export class LigoLwArray {
  readonly kind = 'Array';

  constructor(
    /** Short name: `PSD`, `snr` (written as `PSD:array`). */
    public name: string,
    public type: NumericType,
    /** Dimensions in document order. */
    public dims: LigoLwDim[],
    /**
     * Values in text-stream order: the last Dim varies fastest, so element (i, j) of a
     * two-Dim array is data[i * dims[1].n + j]. Complex types hold re, im pairs.
     */
    public data: Float64Array,
    public unit: string | null = null,
    public encoding: ArrayEncoding = 'text',
    public delimiter = ' ',
  ) {}

  /** Number of elements (product of the Dim sizes). */
  get size(): number {
    let size = 1;
    for (const dim of this.dims) size *= dim.n;
    return size;
  }
}

export class LigoLwComment {
  readonly kind = 'Comment';

  constructor(public text: string) {}
}

export class LigoLwContainer {
  readonly kind = 'LIGO_LW';

  constructor(
    /** Name attribute: `REAL8FrequencySeries`, `psd`, or null. */
    public name: string | null = null,
    public children: LigoLwNode[] = [],
    /** Type attribute, rarely used. */
    public type: string | null = null,
  ) {}

  /** Tables anywhere below this container, in document order, optionally by short name. */
  tables(name?: string): LigoLwTable[] {
    const found: LigoLwTable[] = [];
    walk(this, (node) => {
      if (node.kind === 'Table' && (name === undefined || node.name === name)) found.push(node);
    });
    return found;
  }

  /** LIGO_LW containers anywhere below this one (not itself), optionally by Name. */
  containers(name?: string): LigoLwContainer[] {
    const found: LigoLwContainer[] = [];
    walk(this, (node) => {
      if (node !== this && node.kind === 'LIGO_LW' && (name === undefined || node.name === name)) {
        found.push(node);
      }
    });
    return found;
  }

  /** A direct child Param by short name. */
  param(name: string): LigoLwParam | undefined {
    return this.children.find((c): c is LigoLwParam => c.kind === 'Param' && c.name === name);
  }

  /** A direct child Time by name. */
  time(name: string): LigoLwTime | undefined {
    return this.children.find((c): c is LigoLwTime => c.kind === 'Time' && c.name === name);
  }

  /** A direct child Array by short name. */
  array(name: string): LigoLwArray | undefined {
    return this.children.find((c): c is LigoLwArray => c.kind === 'Array' && c.name === name);
  }

  /** Direct child Arrays. */
  arrays(): LigoLwArray[] {
    return this.children.filter((c): c is LigoLwArray => c.kind === 'Array');
  }
}

function walk(container: LigoLwContainer, visit: (node: LigoLwNode) => void): void {
  visit(container);
  for (const child of container.children) {
    if (child.kind === 'LIGO_LW') walk(child, visit);
    else visit(child);
  }
}

/**
 * A whole document. `source` (the file name given to the reader) only labels errors; it is not
 * part of the document's value, so a document read back from its own output is deep-equal.
 */
export class LigoLwDocument {
  readonly #source: string | undefined;

  constructor(
    public root: LigoLwContainer = new LigoLwContainer(),
    source?: string,
  ) {
    this.#source = source;
  }

  /** The file name the document was read from, if the caller gave one. */
  get source(): string | undefined {
    return this.#source;
  }

  /** Every table in document order, optionally by short name. */
  tables(name?: string): LigoLwTable[] {
    return this.root.tables(name);
  }

  /** The one table with this short name, or undefined; an error if there are several. */
  findTable(name: string): LigoLwTable | undefined {
    const tables = this.root.tables(name);
    if (tables.length > 1) {
      throw new LigoLwError(`${tables.length} ${name} tables; expected at most one`, {
        file: this.#source,
      });
    }
    return tables[0];
  }

  /** The one table with this short name; an error naming the file if it is missing. */
  table(name: string): LigoLwTable {
    const table = this.findTable(name);
    if (!table) throw new LigoLwError(`missing required table ${name}`, { file: this.#source });
    return table;
  }

  /** LIGO_LW containers by Name (e.g. `REAL8FrequencySeries`), in document order. */
  containers(name?: string): LigoLwContainer[] {
    return this.root.containers(name);
  }
}
