import {
  ExportedKind,
  exportedKindOf,
  MAX_DECIMAL_PRECISION,
  OriginalTypeMapping,
  perTableStatus,
  TableReport,
} from '@snapex/contracts';

/** One exported table as the definitions name it: where its files are and what its columns hold. */
export interface DefinedTable {
  database: string;
  schema: string;
  table: string;
  /** The table's folder in the bucket, `<prefix>/<id>/<database>/<schema>.<table>`. */
  folder: string;
  columns: readonly OriginalTypeMapping[];
}

/** A type a text column is read as, when its original type says the text is one. */
type PlainCast = 'date' | 'timestamp' | 'timestamptz' | 'time' | 'uuid' | 'json';
type TextCast = { type: 'decimal'; precision: number; scale: number } | { type: PlainCast };

const PLAIN_TEXT_CASTS: Record<string, PlainCast> = {
  date: 'date',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
};

/**
 * The type the text of a column exported as a string stands for (numeric, dates and times, uuid,
 * json), or null when it is text. A fractional-seconds precision does not change the type.
 */
export function textCastOf(column: OriginalTypeMapping): TextCast | null {
  if (exportedKindOf(column.expectedExportedType).kind !== 'string') return null;
  const original = column.originalType.toLowerCase().trim();
  const decimal = /^(?:numeric|decimal)\((\d+),\s*(\d+)\)(?: unsigned)?$/.exec(original);
  if (decimal) {
    const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
    return precision <= MAX_DECIMAL_PRECISION ? { type: 'decimal', precision, scale } : null;
  }
  const type = PLAIN_TEXT_CASTS[original.replace(/\(\d+\)/, '')];
  return type ? { type } : null;
}

/** Athena's (Hive's) name for the Parquet type of a column as exported. */
function athenaColumnType(kind: ExportedKind): string {
  switch (kind.kind) {
    case 'boolean':
      return 'boolean';
    case 'int32':
      return 'int';
    case 'int64':
      return 'bigint';
    case 'float':
      return 'float';
    case 'double':
      return 'double';
    case 'binary':
      return 'binary';
    case 'timestamp':
    case 'localTimestamp':
      return 'timestamp';
    case 'date':
      return 'date';
    // Hive has no time of day: the INT64 column is read as its microseconds since midnight.
    case 'time':
      return 'bigint';
    case 'uuid':
      return 'binary';
    case 'decimal':
      return `decimal(${kind.precision},${kind.scale})`;
    case 'string':
    case 'json':
      return 'string';
    case 'list':
      return `array<${athenaColumnType(kind.element)}>`;
  }
}

/** Athena casts what its engine parses from PostgreSQL's and MySQL's text: decimals, dates and plain timestamps. */
function athenaCast(cast: TextCast): string | null {
  if (cast.type === 'decimal') return `decimal(${cast.precision},${cast.scale})`;
  if (cast.type === 'date' || cast.type === 'timestamp') return cast.type;
  return null;
}

function duckdbCast(cast: TextCast): string {
  if (cast.type === 'decimal') return `DECIMAL(${cast.precision},${cast.scale})`;
  return cast.type.toUpperCase();
}

const hiveName = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const sqlName = (name: string) => `"${name.replace(/"/g, '""')}"`;
const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Glue and Athena take lower-case letters, digits and underscores for database and table names. */
export function catalogName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return cleaned.length > 0 ? cleaned : '_';
}

/** Each table's Athena name, `<schema>_<table>` made a catalog name, numbered where two tables would share one. */
export function athenaNames(tables: readonly DefinedTable[]): { database: string; table: string }[] {
  const taken = new Set<string>();
  return tables.map(({ database, schema, table }) => {
    const glueDatabase = catalogName(database);
    const base = catalogName(schema === database ? table : `${schema}_${table}`);
    let name = base;
    for (let suffix = 2; taken.has(`${glueDatabase}.${name}`); suffix++) name = `${base}_${suffix}`;
    taken.add(`${glueDatabase}.${name}`);
    return { database: glueDatabase, table: name };
  });
}

/** A column as Athena and Glue declare it: its Hive type, and its original type as the comment. */
export interface HiveColumn {
  name: string;
  type: string;
  comment: string;
}

export function hiveColumnsOf(table: DefinedTable): HiveColumn[] {
  return table.columns.map((column) => ({
    name: column.columnName,
    type: athenaColumnType(exportedKindOf(column.expectedExportedType)),
    comment: column.originalType,
  }));
}

/** The S3 location of a table's folder, as an external table names it. */
export function tableLocation(bucket: string, table: DefinedTable): string {
  return `s3://${bucket}/${table.folder}/`;
}

/** A view column: the column as it is, or its text cast, named as the source names it. */
function viewColumn(column: OriginalTypeMapping, cast: string | null, tryCast: string): string {
  const name = sqlName(column.columnName);
  return cast ? `${tryCast}(${name} AS ${cast}) AS ${name}` : name;
}

/**
 * Athena: per table a `CREATE EXTERNAL TABLE` over its folder with the exported Parquet types (each
 * column's comment gives its original type), and a `<table>_typed` view reading decimal, date and
 * timestamp text as those types. A value the type cannot hold reads as NULL.
 */
export function athenaDefinitions(bucket: string, tables: readonly DefinedTable[]): string {
  const names = athenaNames(tables);
  const statements = [...new Set(names.map((name) => name.database))].map(
    (database) => `CREATE DATABASE IF NOT EXISTS ${hiveName(database)};`,
  );
  tables.forEach((table, index) => {
    if (table.columns.length === 0) return;
    const { database, table: name } = names[index];
    const columns = hiveColumnsOf(table).map(
      (column) => `  ${hiveName(column.name)} ${column.type} COMMENT ${sqlText(column.comment)}`,
    );
    statements.push(
      [
        `CREATE EXTERNAL TABLE IF NOT EXISTS ${hiveName(database)}.${hiveName(name)} (`,
        columns.join(',\n'),
        ')',
        'STORED AS PARQUET',
        `LOCATION ${sqlText(tableLocation(bucket, table))}`,
        "TBLPROPERTIES ('parquet.compression'='GZIP');",
      ].join('\n'),
    );
    const casts = table.columns.map((column) => {
      const cast = textCastOf(column);
      return cast && athenaCast(cast);
    });
    if (casts.some((cast) => cast !== null)) {
      const select = table.columns.map((column, at) => viewColumn(column, casts[at], 'try_cast'));
      statements.push(
        `CREATE OR REPLACE VIEW ${sqlName(database)}.${sqlName(`${name}_typed`)} AS\nSELECT ${select.join(',\n       ')}\nFROM ${sqlName(database)}.${sqlName(name)};`,
      );
    }
  });
  return `${statements.join('\n\n')}\n`;
}

/** `<schema>.<table>`, or the table's name alone where the schema is the database (MySQL). */
function duckdbViewName({ database, schema, table }: DefinedTable): string {
  return schema === database ? table : `${schema}.${table}`;
}

/**
 * DuckDB: a schema per source database and per table a view `"<database>"."<schema>.<table>"` over
 * its Parquet files (`"<database>"."<table>"` for MySQL), reading numeric, date, time, timestamp, uuid and json text as those types
 * (TRY_CAST: a value the type cannot hold reads as NULL). Reading s3:// needs the httpfs extension;
 * the paths can be swapped for a local copy of the folder.
 */
export function duckdbDefinitions(bucket: string, tables: readonly DefinedTable[]): string {
  const statements = [...new Set(tables.map((table) => table.database))].map(
    (database) => `CREATE SCHEMA IF NOT EXISTS ${sqlName(database)};`,
  );
  for (const table of tables.filter((defined) => defined.columns.length > 0)) {
    const select = table.columns.map((column) => {
      const cast = textCastOf(column);
      return viewColumn(column, cast && duckdbCast(cast), 'TRY_CAST');
    });
    const files = sqlText(`s3://${bucket}/${table.folder}/*/*.parquet`);
    statements.push(
      `CREATE OR REPLACE VIEW ${sqlName(table.database)}.${sqlName(duckdbViewName(table))} AS\nSELECT ${select.join(',\n       ')}\nFROM read_parquet(${files});`,
    );
  }
  return `${statements.join('\n\n')}\n`;
}

/** The finished tables of a report, as the definitions describe them. */
export function definedTables(tables: readonly TableReport[]): DefinedTable[] {
  return tables
    .filter((table) => table.status === 'COMPLETE' && table.tableKeyPrefix !== null)
    .map((table) => ({
      database: table.table.database,
      schema: table.table.schema,
      table: table.table.table,
      folder: table.tableKeyPrefix!,
      columns: perTableStatus(table).schemaMetadata.originalTypeMappings,
    }));
}
