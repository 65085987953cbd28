import { ColumnPlan, MAX_DECIMAL_PRECISION, ParquetColumnType, TypeMode } from '@snapex/contracts';
import { expectedExportedType } from '../exported-types';

/** Keys of the value decoders the reader applies; see my-values.ts. */
export type MySqlDecoder =
  | 'int' // a JS number that fits INT32
  | 'int-to-bigint' // a JS number exported as INT64
  | 'bigint' // decimal text exported as INT64
  | 'decimal' // exact decimal text, exported as DECIMAL or STRING
  | 'float' // a FLOAT's exact value as the text of a DOUBLE (see my-sql.ts), exported as DOUBLE
  | 'double'
  | 'bytes' // a Buffer, exported as it is
  | 'geometry' // the server's own bytes of a spatial value (SRID, then WKB), read through CONCAT()
  | 'text-to-bytes' // text exported as its UTF-8 bytes (CHAR, which the mapping keeps unannotated)
  | 'text'
  | 'datetime' // the server's text of a DATETIME or TIMESTAMP, exported as microseconds since the epoch
  // Native types mode:
  | 'date' // the server's text of a DATE, exported as days since the epoch
  | 'time' // the server's text of a TIME, exported as microseconds since midnight
  | 'uuid'; // MariaDB's UUID text, exported as its 16 bytes

/** A column as information_schema.COLUMNS describes it. */
export interface MySqlCatalogColumn {
  name: string;
  /** DATA_TYPE, e.g. `bigint`. */
  dataType: string;
  /** COLUMN_TYPE, e.g. `bigint(20) unsigned`. */
  columnType: string;
  charMaxLength: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
  datetimePrecision: number | null;
}

interface Mapping {
  decoder: MySqlDecoder;
  parquetType: ParquetColumnType;
}

const INT32: Mapping = { decoder: 'int', parquetType: 'INT32' };
const BYTES: Mapping = { decoder: 'bytes', parquetType: 'BINARY' };
const TEXT: Mapping = { decoder: 'text', parquetType: 'STRING' };

const GEOMETRY: Mapping = { decoder: 'geometry', parquetType: 'BINARY' };

/** MySQL's and MariaDB's spatial types (MySQL 8 spells the collection `geomcollection`). */
export const GEOMETRY_TYPES: readonly string[] = [
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
];

/** The AWS MySQL mapping for everything but the integer types that depend on UNSIGNED and DECIMAL. */
const MAPPINGS: ReadonlyMap<string, Mapping> = new Map([
  ['int', INT32],
  ['integer', INT32],
  ['mediumint', INT32],
  ['smallint', INT32],
  ['tinyint', INT32],
  ['year', INT32],
  ['bigint', { decoder: 'bigint', parquetType: 'INT64' }],
  ['float', { decoder: 'float', parquetType: 'DOUBLE' }],
  ['double', { decoder: 'double', parquetType: 'DOUBLE' }],
  ['real', { decoder: 'double', parquetType: 'DOUBLE' }],
  ['bit', BYTES],
  ['binary', BYTES],
  ['varbinary', BYTES],
  ['tinyblob', BYTES],
  ['blob', BYTES],
  ['mediumblob', BYTES],
  ['longblob', BYTES],
  ...GEOMETRY_TYPES.map((type): [string, Mapping] => [type, GEOMETRY]),
  ['char', { decoder: 'text-to-bytes', parquetType: 'BINARY' }],
  ['varchar', TEXT],
  ['tinytext', TEXT],
  ['text', TEXT],
  ['mediumtext', TEXT],
  ['longtext', TEXT],
  ['enum', TEXT],
  ['set', TEXT],
  ['json', TEXT],
  ['date', TEXT],
  ['time', TEXT],
  ['datetime', { decoder: 'datetime', parquetType: 'TIMESTAMP_MICROS' }],
  ['timestamp', { decoder: 'datetime', parquetType: 'TIMESTAMP_MICROS' }],
]);

/**
 * What the native types mode changes: DATETIME is a wall clock (isAdjustedToUTC=false) while
 * TIMESTAMP, an instant, keeps the UTC annotation; JSON (MySQL's type; MariaDB's JSON is LONGTEXT)
 * and MariaDB's UUID get their logical types.
 */
const NATIVE_MODE_MAPPINGS: ReadonlyMap<string, Mapping> = new Map([
  ['date', { decoder: 'date', parquetType: 'DATE' }],
  ['time', { decoder: 'time', parquetType: 'TIME_MICROS' }],
  ['datetime', { decoder: 'datetime', parquetType: 'TIMESTAMP_MICROS_LOCAL' }],
  ['json', { decoder: 'text', parquetType: 'JSON' }],
  ['uuid', { decoder: 'uuid', parquetType: 'UUID' }],
]);

/** Wider than they are signed: INT UNSIGNED and MEDIUMINT UNSIGNED need INT64, TINYINT UNSIGNED INT(16). */
const UNSIGNED_MAPPINGS: ReadonlyMap<string, Mapping> = new Map([
  ['bigint', { decoder: 'decimal', parquetType: 'DECIMAL' }],
  ['int', { decoder: 'int-to-bigint', parquetType: 'INT64' }],
  ['integer', { decoder: 'int-to-bigint', parquetType: 'INT64' }],
  ['mediumint', { decoder: 'int-to-bigint', parquetType: 'INT64' }],
  ['smallint', INT32],
  ['tinyint', { decoder: 'int', parquetType: 'INT16' }],
]);

/** BIGINT UNSIGNED holds up to 18446744073709551615: 20 digits. */
const UNSIGNED_BIGINT_DECIMAL = { precision: 20, scale: 0 };

function isUnsigned(column: MySqlCatalogColumn): boolean {
  return /\bunsigned\b/i.test(column.columnType);
}

function decimalPlan(column: MySqlCatalogColumn): Pick<ColumnPlan, 'decoder' | 'parquetType' | 'decimal'> {
  const precision = column.numericPrecision ?? 10;
  const scale = column.numericScale ?? 0;
  if (precision > MAX_DECIMAL_PRECISION) return { decoder: 'decimal', parquetType: 'STRING' };
  return { decoder: 'decimal', parquetType: 'DECIMAL', decimal: { precision, scale } };
}

function typePlan(
  column: MySqlCatalogColumn,
  typeMode: TypeMode,
): Pick<ColumnPlan, 'decoder' | 'parquetType' | 'decimal'> {
  const dataType = column.dataType.toLowerCase();
  const native = typeMode === 'native' ? NATIVE_MODE_MAPPINGS.get(dataType) : undefined;
  if (native) return native;
  if (dataType === 'decimal' || dataType === 'numeric') return decimalPlan(column);
  const unsigned = isUnsigned(column) ? UNSIGNED_MAPPINGS.get(dataType) : undefined;
  if (unsigned?.parquetType === 'DECIMAL') return { ...unsigned, decimal: UNSIGNED_BIGINT_DECIMAL };
  // Types outside the mapping (MariaDB's UUID and INET6, say) are exported as the server's text.
  return unsigned ?? MAPPINGS.get(dataType) ?? TEXT;
}

/** The plan of one column; absent lengths and precisions are 0, as export_tables_info shows them. */
export function mySqlColumnPlan(column: MySqlCatalogColumn, typeMode: TypeMode = 'aws'): ColumnPlan {
  const plan = typePlan(column, typeMode);
  return {
    name: column.name,
    originalType: column.columnType,
    ...plan,
    expectedExportedType: expectedExportedType(plan),
    originalCharMaxLength: column.charMaxLength ?? 0,
    originalNumPrecision: column.numericPrecision ?? 0,
    originalDateTimePrecision: column.datetimePrecision ?? 0,
  };
}
