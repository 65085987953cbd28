import { ColumnPlan, TypeMode } from '@snapex/contracts';
import { DiscoveredTable, UnexportedObject, UnexportedObjectKind } from '../engine';
import { errnoOf } from './my-refusals';
import { isNewerThanSnapshot, MySqlSession } from './my-session';
import { mySqlColumnPlan } from './my-types';
import { qualifiedTableName } from './my-sql';

/** Base tables only (MariaDB names its system-versioned ones apart); views and sequences are left out. */
const TABLES_SQL = `
  SELECT TABLE_NAME AS table_name,
         CAST(COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS CHAR) AS table_bytes
    FROM information_schema.TABLES
   WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
   ORDER BY TABLE_NAME`;

/** MariaDB lists its sequences as tables of their own type; MySQL has none. */
const UNEXPORTED_SQL = `
  SELECT TABLE_NAME AS object_name, TABLE_TYPE AS table_type
    FROM information_schema.TABLES
   WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('VIEW', 'SEQUENCE')
   ORDER BY TABLE_NAME`;

const UNEXPORTED_KINDS: Record<string, UnexportedObjectKind> = { VIEW: 'VIEW', SEQUENCE: 'SEQUENCE' };

const COLUMNS_SQL = `
  SELECT TABLE_NAME AS table_name,
         COLUMN_NAME AS column_name,
         DATA_TYPE AS data_type,
         COLUMN_TYPE AS column_type,
         CAST(CHARACTER_MAXIMUM_LENGTH AS CHAR) AS char_max_length,
         CAST(NUMERIC_PRECISION AS CHAR) AS numeric_precision,
         CAST(NUMERIC_SCALE AS CHAR) AS numeric_scale,
         CAST(DATETIME_PRECISION AS CHAR) AS datetime_precision
    FROM information_schema.COLUMNS
   WHERE TABLE_SCHEMA = ?
   ORDER BY TABLE_NAME, ORDINAL_POSITION`;

interface TableRow {
  table_name: string;
  table_bytes: string;
}

interface UnexportedRow {
  object_name: string;
  table_type: string;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  column_type: string;
  char_max_length: string | null;
  numeric_precision: string | null;
  numeric_scale: string | null;
  datetime_precision: string | null;
}

/** The server answers these when the user may not read a table or one of its columns. */
const ACCESS_DENIED_ERRNOS: ReadonlySet<number> = new Set([1142, 1143, 1044]);

function numberOrNull(text: string | null): number | null {
  return text === null ? null : Number(text);
}

function columnPlanOf(row: ColumnRow, typeMode: TypeMode): ColumnPlan {
  return mySqlColumnPlan(
    {
      name: row.column_name,
      dataType: row.data_type,
      columnType: row.column_type,
      charMaxLength: numberOrNull(row.char_max_length),
      numericPrecision: numberOrNull(row.numeric_precision),
      numericScale: numberOrNull(row.numeric_scale),
      datetimePrecision: numberOrNull(row.datetime_precision),
    },
    typeMode,
  );
}

function groupByTable(rows: ColumnRow[], typeMode: TypeMode): Map<string, ColumnPlan[]> {
  const byTable = new Map<string, ColumnPlan[]>();
  for (const row of rows) {
    const columns = byTable.get(row.table_name) ?? [];
    columns.push(columnPlanOf(row, typeMode));
    byTable.set(row.table_name, columns);
  }
  return byTable;
}

/**
 * The base tables of one database, and its views and sequences; MySQL has no schemas, so each
 * table's schema is its database.
 */
export class MySqlCatalog {
  constructor(
    private readonly session: MySqlSession,
    private readonly database: string,
  ) {}

  async tables(typeMode: TypeMode = 'aws'): Promise<DiscoveredTable[]> {
    // MySQL 8 otherwise serves table sizes cached for up to a day.
    await this.session.setIfSupported('information_schema_stats_expiry = 0');
    const tables = await this.session.query<TableRow>(TABLES_SQL, [this.database]);
    const columnsByTable = groupByTable(
      await this.session.query<ColumnRow>(COLUMNS_SQL, [this.database]),
      typeMode,
    );
    const discovered: DiscoveredTable[] = [];
    for (const table of tables) {
      const columns = columnsByTable.get(table.table_name) ?? [];
      discovered.push({
        schema: this.database,
        table: table.table_name,
        columns,
        estimatedBytes: Number(table.table_bytes),
        persistence: 'permanent',
        readable: await this.mayRead(table.table_name),
      });
    }
    return discovered;
  }

  async unexportedObjects(): Promise<UnexportedObject[]> {
    const rows = await this.session.query<UnexportedRow>(UNEXPORTED_SQL, [this.database]);
    return rows.map((row) => ({
      schema: this.database,
      name: row.object_name,
      kind: UNEXPORTED_KINDS[row.table_type],
      partitions: [],
    }));
  }

  /**
   * Whether the user may SELECT every column, table and column privileges, roles and wildcard
   * grants all counted: asked of the server with a query that reads no row. information_schema
   * shows only the columns a user may read, so `*` is what finds a column it may not. A table
   * created or rebuilt since the read point is refused only after its privileges have passed.
   */
  private async mayRead(table: string): Promise<boolean> {
    try {
      await this.session.query(`SELECT * FROM ${qualifiedTableName(this.database, table)} LIMIT 0`);
      return true;
    } catch (error) {
      if (isNewerThanSnapshot(error)) return true;
      if (ACCESS_DENIED_ERRNOS.has(errnoOf(error) ?? 0)) return false;
      throw error;
    }
  }
}
