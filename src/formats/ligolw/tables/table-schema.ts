/**
 * Typed views of standard LIGO_LW tables.
 *
 * A TableSchema lists a table's columns with the types the current Python library (ligo.lw)
 * declares for them, in the order our writer emits them. Reading maps each row to a typed
 * object: ids become numbers whether the file spells them as int_8s or as old ilwd:char strings
 * (`sngl_inspiral:event_id:7`), a column missing from the file reads as null, and a required
 * column that is missing or NULL is an error naming the file, table, row and column.
 */
import { type LigoLwDocument, LigoLwTable } from '../document.js';
import { LigoLwError } from '../errors.js';
import { columnXmlName, parseIlwd } from '../names.js';
import { type CellValue, type LigoLwType, typeCategory } from '../types.js';

export interface TableSchema<Row> {
  /** Short table name, e.g. `sngl_inspiral`. */
  name: string;
  /** Every column of the view with its LIGO_LW type, in writing order. */
  columns: { readonly [K in keyof Row]-?: LigoLwType };
  /** Columns that must be present and non-NULL in every row. */
  required: readonly (keyof Row & string)[];
}

export function defineTableSchema<Row>(schema: TableSchema<Row>): TableSchema<Row> {
  return schema;
}

type Kind = 'id' | 'number' | 'string';

function kindOf(column: string, type: LigoLwType): Kind {
  const category = typeCategory(type);
  if (category === 'string') return 'string';
  if (category === 'int' && column.endsWith('_id')) return 'id';
  return 'number';
}

/**
 * Rows of a table as typed objects. `file` labels errors (the document's source by default).
 */
export function readRows<Row>(table: LigoLwTable, schema: TableSchema<Row>, file?: string): Row[] {
  const place = { file };
  const names = Object.keys(schema.columns) as (keyof Row & string)[];
  const required = new Set<string>(schema.required);
  const plan = names.map((name) => {
    const index = table.columnIndex(name);
    const wanted = kindOf(name, schema.columns[name]);
    if (index === -1) {
      if (required.has(name)) {
        throw new LigoLwError(`table ${schema.name} has no ${name} column (required)`, place);
      }
      return { name, index, convert: undefined };
    }
    const type = table.columns[index]!.type;
    const have = typeCategory(type);
    const fits =
      wanted === 'string'
        ? have === 'string'
        : wanted === 'number'
          ? have === 'int' || have === 'float'
          : have === 'int' || have === 'string';
    if (!fits) {
      throw new LigoLwError(
        `column ${schema.name}.${name} has type ${type}; expected ${describeKind(wanted)}`,
        place,
      );
    }
    return {
      name,
      index,
      convert: wanted === 'id' ? idValue : wanted === 'number' ? safeNumber : undefined,
    };
  });

  return table.rows.map((cells, r) => {
    const row: Record<string, unknown> = {};
    for (const { name, index, convert } of plan) {
      const cell = index === -1 ? null : cells[index]!;
      let value: CellValue = cell;
      if (cell !== null && convert) {
        value = convert(cell);
        if (value === null) {
          const problem =
            typeof cell === 'bigint'
              ? `${name} ${cell} is beyond ±2^53, which this view holds as a number`
              : `${name} '${String(cell)}' is not a row id`;
          throw new LigoLwError(`table ${schema.name}, row ${r + 1}: ${problem}`, place);
        }
      }
      if (value === null && required.has(name)) {
        throw new LigoLwError(
          `table ${schema.name}, row ${r + 1}: required ${name} is NULL`,
          place,
        );
      }
      row[name] = value;
    }
    return row as Row;
  });
}

function describeKind(kind: Kind): string {
  if (kind === 'string') return 'a string type';
  if (kind === 'number') return 'a numeric type';
  return 'int_8s or ilwd:char';
}

/** A numeric cell as a number; null for an int_8 value held as a bigint. */
function safeNumber(value: CellValue): CellValue {
  return typeof value === 'bigint' ? null : value;
}

const DECIMAL_ID = /^\d+$/;

/**
 * A row id from an int_8s value, an ilwd:char string (`sngl_inspiral:event_id:7`) or a string
 * of digits; null when it is none of these.
 */
export function idValue(value: CellValue): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const ilwd = parseIlwd(value);
  if (ilwd) return ilwd.index;
  if (!DECIMAL_ID.test(value)) return null;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : null;
}

/** Rows of the document's table with this schema's name; `optional` returns [] if absent. */
export function readTable<Row>(
  document: LigoLwDocument,
  schema: TableSchema<Row>,
  options: { optional?: boolean } = {},
): Row[] {
  const table = options.optional ? document.findTable(schema.name) : document.table(schema.name);
  return table ? readRows(table, schema, document.source) : [];
}

/**
 * A table with the schema's columns (named and typed as ligo.lw writes them) holding these
 * rows; a value the row leaves out is written as NULL.
 */
export function buildTable<Row>(
  schema: TableSchema<Row>,
  rows: readonly Partial<Row>[],
): LigoLwTable {
  const names = Object.keys(schema.columns) as (keyof Row & string)[];
  const columns = names.map((name) => ({
    name,
    xmlName: columnXmlName(schema.name, name),
    type: schema.columns[name],
  }));
  const cells = rows.map((row, r) =>
    names.map((name) => {
      const value = (row[name] ?? null) as CellValue;
      if (value === null && schema.required.includes(name)) {
        throw new LigoLwError(`table ${schema.name}, row ${r + 1}: required ${name} is missing`);
      }
      return value;
    }),
  );
  return new LigoLwTable(schema.name, columns, cells);
}
