import { ExportedKind, exportedKindOf, OriginalTypeMapping } from '@snapex/contracts';
import { CalendarDate, Micros, MILLIS_PER_DAY, RestoredValue, TimeOfDay } from './parquet-rows';

/** A database tables are restored into; one connection each, opened per table. */
export interface RestoreTarget {
  readonly engine: 'postgres' | 'mysql';
  /** The column's original type where this database knows it, else one that holds what the Parquet column does. */
  columnType(column: OriginalTypeMapping): Promise<string>;
  tableExists(name: RestoredTableName): Promise<boolean>;
  /** Makes the schemas the tables go into, once before any table: two connections making one would collide. */
  createSchemas(schemas: readonly string[]): Promise<void>;
  create(name: RestoredTableName, columns: readonly ColumnDefinition[]): Promise<void>;
  insert(
    name: RestoredTableName,
    columns: readonly string[],
    rows: readonly RestoredValue[][],
  ): Promise<void>;
  close(): Promise<void>;
}

/** Where a table goes: a schema of the target database (PostgreSQL) or the database itself (MySQL, schema null). */
export interface RestoredTableName {
  schema: string | null;
  table: string;
}

export interface ColumnDefinition {
  name: string;
  type: string;
}

/** Makes the table with the types the target chooses; a table that is there already is not touched. */
export async function createRestoredTable(
  target: RestoreTarget,
  name: RestoredTableName,
  columns: readonly OriginalTypeMapping[],
): Promise<string[]> {
  const definitions: ColumnDefinition[] = [];
  for (const column of columns)
    definitions.push({ name: column.columnName, type: await target.columnType(column) });
  if (await target.tableExists(name)) throw new TableExistsError(name);
  await target.create(name, definitions);
  return definitions.map((definition) => definition.type);
}

export type OpenRestoreTarget = () => Promise<RestoreTarget>;

export class TableExistsError extends Error {
  constructor(name: RestoredTableName) {
    super(
      `table ${[name.schema, name.table].filter((part) => part !== null).join('.')} already exists in the target`,
    );
    this.name = 'TableExistsError';
  }
}

/** The PostgreSQL and the MySQL type a column gets when the target does not know its original type. */
const FALLBACK_TYPES: Record<Exclude<ExportedKind['kind'], 'decimal' | 'list'>, [string, string]> = {
  boolean: ['boolean', 'BOOLEAN'],
  int32: ['integer', 'INT'],
  int64: ['bigint', 'BIGINT'],
  float: ['real', 'FLOAT'],
  double: ['double precision', 'DOUBLE'],
  binary: ['bytea', 'LONGBLOB'],
  timestamp: ['timestamp with time zone', 'DATETIME(6)'],
  localTimestamp: ['timestamp', 'DATETIME(6)'],
  date: ['date', 'DATE'],
  time: ['time', 'TIME(6)'],
  uuid: ['uuid', 'CHAR(36)'],
  json: ['json', 'JSON'],
  string: ['text', 'LONGTEXT'],
};

/** A type that holds what the Parquet column does. */
export function fallbackType(kind: ExportedKind, engine: 'postgres' | 'mysql'): string {
  if (kind.kind === 'decimal')
    return `${engine === 'postgres' ? 'numeric' : 'DECIMAL'}(${kind.precision},${kind.scale})`;
  // MySQL has no arrays, so a list is kept there as a JSON array.
  if (kind.kind === 'list') return engine === 'postgres' ? `${fallbackType(kind.element, engine)}[]` : 'JSON';
  return FALLBACK_TYPES[kind.kind][engine === 'postgres' ? 0 : 1];
}

export const kindOfColumn = (column: OriginalTypeMapping) => exportedKindOf(column.expectedExportedType);

const pad = (value: number | bigint, width = 2) => String(value).padStart(width, '0');

/** The UTC calendar date of `date` as `YYYY-MM-DD` (a year before 1 as `-YYYY`). */
function utcDateText(date: Date): string {
  const year = date.getUTCFullYear();
  return `${year < 0 ? '-' : ''}${pad(Math.abs(year), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Microseconds since the epoch as `YYYY-MM-DD HH:MM:SS.ffffff`, in UTC. */
export function utcText(micros: Micros): string {
  const seconds = micros.value / 1_000_000n;
  let fraction = micros.value % 1_000_000n;
  let whole = seconds;
  if (fraction < 0n) {
    fraction += 1_000_000n;
    whole -= 1n;
  }
  const date = new Date(Number(whole) * 1000);
  return (
    `${utcDateText(date)} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(fraction, 6)}`
  );
}

/** A DATE as `YYYY-MM-DD`, its year astronomical (year 0 is 1 BC). */
export function dateText(date: CalendarDate): string {
  return utcDateText(new Date(date.days * MILLIS_PER_DAY));
}

/** A TIME as `HH:MM:SS.ffffff`; a whole day reads `24:00:00.000000`, as PostgreSQL writes it. */
export function timeText(time: TimeOfDay): string {
  const micros = time.micros;
  const seconds = micros / 1_000_000n;
  return `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}.${pad(micros % 1_000_000n, 6)}`;
}
