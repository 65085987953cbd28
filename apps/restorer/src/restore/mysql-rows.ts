import {
  exactMySqlFloat,
  MYSQL_GEOMETRY_TYPES,
  MySqlSession,
  quoteMySqlIdentifier as quoteIdentifier,
} from '@snapex/engines';
import { Readable } from 'node:stream';

/**
 * How a column's values are written into the script: the server's digits as they are, a FLOAT as
 * the digits of the DOUBLE that holds it exactly, bytes as a hex literal, anything else as a quoted
 * string of the bytes the server sent.
 */
export type ValueForm = 'number' | 'float' | 'bytes' | 'text';

const NUMBER_TYPES: ReadonlySet<string> = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'double',
  'real',
  'year',
]);

/** Types whose values are bytes: binary strings, BIT, and spatial values (the server's own bytes). */
const BYTES_TYPES: ReadonlySet<string> = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'bit',
  ...MYSQL_GEOMETRY_TYPES,
]);

export function valueFormOf(dataType: string): ValueForm {
  const type = dataType.toLowerCase();
  if (type === 'float') return 'float';
  if (NUMBER_TYPES.has(type)) return 'number';
  if (BYTES_TYPES.has(type)) return 'bytes';
  return 'text';
}

export interface CopiedColumn {
  name: string;
  form: ValueForm;
}

export interface CopiedTable {
  name: string;
  /** The columns a row is written with: generated columns are left for the server to compute. */
  columns: CopiedColumn[];
}

/** Tables that hold rows (MariaDB lists its system-versioned ones apart), their stored columns in order. */
const COLUMNS_SQL = `
  SELECT c.TABLE_NAME AS tableName, c.COLUMN_NAME AS columnName, c.DATA_TYPE AS dataType
    FROM information_schema.COLUMNS c
    JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
   WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
     AND COALESCE(c.GENERATION_EXPRESSION, '') = ''
   ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`;

export async function copiedTables(session: MySqlSession, database: string): Promise<CopiedTable[]> {
  const rows = await session.query<{ tableName: string; columnName: string; dataType: string }>(COLUMNS_SQL, [
    database,
  ]);
  const tables = new Map<string, CopiedTable>();
  for (const row of rows) {
    let table = tables.get(row.tableName);
    if (!table) tables.set(row.tableName, (table = { name: row.tableName, columns: [] }));
    table.columns.push({ name: row.columnName, form: valueFormOf(row.dataType) });
  }
  return [...tables.values()];
}

/**
 * What a FLOAT column is read as: the exact value as a DOUBLE's digits, or `-0` for a negative zero
 * (the extractor's own reading of it).
 */
function selectExpression(column: CopiedColumn): string {
  const name = quoteIdentifier(column.name);
  return column.form === 'float' ? exactMySqlFloat(name) : name;
}

export function rowsSelect(database: string, table: CopiedTable): string {
  return `SELECT ${table.columns.map(selectExpression).join(', ')} FROM ${quoteIdentifier(database)}.${quoteIdentifier(table.name)}`;
}

/**
 * A literal stores a FLOAT's negative zero only through a tiny negative DOUBLE that underflows as it
 * is stored: `-0` itself is read as the integer 0.
 */
const NEGATIVE_ZERO_FLOAT = '-1e-50';

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\x1a': '\\Z',
};

/** Any character of ESCAPES, each named by its code. */
const NEEDS_ESCAPE = new RegExp(
  `[${Object.keys(ESCAPES)
    .map((char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .join('')}]`,
  'g',
);

/**
 * One value as SQL, held as a latin1 string whose characters are the script's bytes: text keeps the
 * bytes the server sent (UTF-8 or not), escaped as mariadb-dump escapes them, and bytes above 0x7f
 * never look like a quote or a backslash.
 */
export function valueLiteral(form: ValueForm, value: Buffer | null): string {
  if (value === null) return 'NULL';
  switch (form) {
    case 'number':
      return value.toString('latin1');
    case 'float': {
      const digits = value.toString('latin1');
      return digits === '-0' ? NEGATIVE_ZERO_FLOAT : digits;
    }
    case 'bytes':
      return `X'${value.toString('hex')}'`;
    case 'text':
      return `'${value.toString('latin1').replace(NEEDS_ESCAPE, (char) => ESCAPES[char])}'`;
  }
}

/** A statement is cut at about this many bytes; a single larger row makes a statement of its own. */
export const STATEMENT_BYTES = 1024 * 1024;

/** Rows waiting in the connection's stream before it stops reading from the server. */
const ROWS_IN_FLIGHT = 1000;

/**
 * The rows of `table` as multi-row INSERT statements of about STATEMENT_BYTES each, read in the
 * session's transaction; the script's bytes, ready to write.
 */
export async function* insertStatements(
  session: MySqlSession,
  database: string,
  table: CopiedTable,
): AsyncGenerator<Buffer> {
  const head = Buffer.from(
    `INSERT INTO ${quoteIdentifier(table.name)} (${table.columns.map((column) => quoteIdentifier(column.name)).join(', ')}) VALUES\n`,
    'utf8',
  ).toString('latin1');
  const forms = table.columns.map((column) => column.form);
  let statement = '';
  const rows: Readable = session.rawStream(rowsSelect(database, table), ROWS_IN_FLIGHT);
  for await (const row of rows as AsyncIterable<(Buffer | null)[]>) {
    let tuple = '(';
    for (let index = 0; index < forms.length; index++) {
      if (index > 0) tuple += ',';
      tuple += valueLiteral(forms[index], row[index]);
    }
    tuple += ')';
    statement = statement === '' ? head + tuple : `${statement},\n${tuple}`;
    if (statement.length >= STATEMENT_BYTES) {
      yield Buffer.from(`${statement};\n`, 'latin1');
      statement = '';
    }
  }
  if (statement !== '') yield Buffer.from(`${statement};\n`, 'latin1');
}
