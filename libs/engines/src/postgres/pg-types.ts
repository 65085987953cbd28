import {
  ColumnPlan,
  DecimalShape,
  ListElement,
  MAX_DECIMAL_PRECISION,
  ParquetColumnType,
  TypeMode,
} from '@snapex/contracts';
import { expectedExportedType } from '../exported-types';

/** OIDs of the built-in types the mapping and the information_schema rules single out (pg_type.dat). */
export const PG_TYPE = {
  bool: 16,
  bytea: 17,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  xml: 142,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  json: 114,
  jsonb: 3802,
  uuid: 2950,
  bit: 1560,
  varbit: 1562,
  numeric: 1700,
} as const;

/**
 * Keys of the value decoders the extractor applies; see binary-values.ts. The three text keys say
 * how a column is selected so that its binary COPY field is its type's text output: `text` as it
 * is, `text_cast` through `::text`, `text_output` through the output function itself.
 */
export type PgDecoder =
  | 'int8'
  | 'int4'
  | 'int2'
  | 'float8'
  | 'float4'
  | 'bool'
  | 'bytea'
  | 'text'
  | 'text_cast'
  | 'text_output'
  // Native types mode: binary send formats turned into Parquet's, and numeric's text.
  | 'date'
  | 'time'
  | 'timestamp'
  | 'uuid'
  | 'numeric'
  | 'list'; // an array's binary send format, its elements as ColumnPlan.element says

interface NativeMapping {
  decoder: PgDecoder;
  parquetType: ParquetColumnType;
  decimal?: DecimalShape;
  element?: ListElement;
}

/**
 * Arrays of these element types become LISTs in native types mode; each element's binary send
 * format is what its Parquet type takes (see binary-values.ts). Arrays of anything else stay text.
 */
const LIST_ELEMENTS: ReadonlyMap<number, ListElement['parquetType']> = new Map([
  [PG_TYPE.int2, 'INT16'],
  [PG_TYPE.int4, 'INT32'],
  [PG_TYPE.int8, 'INT64'],
  [PG_TYPE.float4, 'FLOAT'],
  [PG_TYPE.float8, 'DOUBLE'],
  [PG_TYPE.bool, 'BOOLEAN'],
  [PG_TYPE.text, 'STRING'],
  [PG_TYPE.varchar, 'STRING'],
  [PG_TYPE.bpchar, 'STRING'],
  [PG_TYPE.date, 'DATE'],
  [PG_TYPE.time, 'TIME_MICROS'],
  [PG_TYPE.timestamp, 'TIMESTAMP_MICROS_LOCAL'],
  [PG_TYPE.timestamptz, 'TIMESTAMP_MICROS'],
]);

/**
 * The seed's table: only these types keep a native Parquet type. Everything else (numeric, money,
 * dates and times, arrays, enums, composites, domains even over integers, ranges, geometry, network
 * types, json, xml, uuid, bit strings, oid) is exported as PostgreSQL's own text output.
 */
const NATIVE_MAPPINGS: ReadonlyMap<number, NativeMapping> = new Map([
  [PG_TYPE.int8, { decoder: 'int8', parquetType: 'INT64' }],
  [PG_TYPE.int4, { decoder: 'int4', parquetType: 'INT32' }],
  [PG_TYPE.int2, { decoder: 'int2', parquetType: 'INT16' }],
  [PG_TYPE.float8, { decoder: 'float8', parquetType: 'DOUBLE' }],
  [PG_TYPE.float4, { decoder: 'float4', parquetType: 'FLOAT' }],
  [PG_TYPE.bool, { decoder: 'bool', parquetType: 'BOOLEAN' }],
  [PG_TYPE.bytea, { decoder: 'bytea', parquetType: 'BINARY' }],
]);

/** Types whose binary send format is the very text their output function writes (char(n) padding included). */
const SENT_AS_TEXT: ReadonlySet<number> = new Set([
  PG_TYPE.text,
  PG_TYPE.varchar,
  PG_TYPE.bpchar,
  PG_TYPE.name,
]);

/**
 * Types whose `::text` cast hands over the value as stored, which their output function rewrites:
 * xml's drops an XML declaration of version 1.0, and the export keeps every value as the source holds it.
 */
const CAST_AS_STORED: ReadonlySet<number> = new Set([PG_TYPE.xml]);

/** A column as pg_attribute and pg_type describe it. */
export interface CatalogColumn {
  name: string;
  /** atttypid: the declared type, a domain's own OID for domain columns. */
  typeOid: number;
  /** format_type(atttypid, atttypmod), e.g. `character varying(20)`. */
  formattedType: string;
  /** The declared type, or the base type of a domain (one level, as information_schema resolves it). */
  baseTypeOid: number;
  /** atttypmod of the column, or the domain's typtypmod; -1 when the type has no modifier. */
  baseTypmod: number;
  /** The base type is itself a domain (a domain over a domain). */
  baseIsDomain: boolean;
  /** The element type of an array base type (pg_type.typelem); 0 for every other type. */
  baseElementOid?: number;
  /** pg_cast holds a cast from the base type to text, which `::text` would take instead of the output function. */
  baseCastsToText: boolean;
}

/**
 * The cheapest exact way to have the server send a column's text output. `::text` is an I/O
 * conversion, the output function, only where pg_cast has no cast of its own (inet's adds `/32`,
 * char(n)'s drops the padding, extensions cast as they like); xml's cast is wanted (CAST_AS_STORED).
 */
function textDecoderFor(column: CatalogColumn): PgDecoder {
  // What lies below a domain over a domain is not looked up; the output function is right whatever it is.
  if (column.baseIsDomain) return 'text_output';
  if (SENT_AS_TEXT.has(column.baseTypeOid)) return 'text';
  if (CAST_AS_STORED.has(column.baseTypeOid)) return 'text_cast';
  return column.baseCastsToText ? 'text_output' : 'text_cast';
}

/** What the native types mode adds, by base type; a domain is read as its base type. */
const NATIVE_MODE_MAPPINGS: ReadonlyMap<number, NativeMapping> = new Map([
  [PG_TYPE.date, { decoder: 'date', parquetType: 'DATE' }],
  [PG_TYPE.time, { decoder: 'time', parquetType: 'TIME_MICROS' }],
  [PG_TYPE.timestamp, { decoder: 'timestamp', parquetType: 'TIMESTAMP_MICROS_LOCAL' }],
  [PG_TYPE.timestamptz, { decoder: 'timestamp', parquetType: 'TIMESTAMP_MICROS' }],
  [PG_TYPE.uuid, { decoder: 'uuid', parquetType: 'UUID' }],
]);

const JSON_TYPES: ReadonlySet<number> = new Set([PG_TYPE.json, PG_TYPE.jsonb]);

/**
 * The native types mode's mapping of a column, or null where it keeps the AWS one: numeric only with
 * a declared precision of at most 38 (an unconstrained numeric has no scale a DECIMAL could take),
 * nothing below a domain over a domain.
 */
function nativeModeMapping(column: CatalogColumn): NativeMapping | null {
  if (column.baseIsDomain) return null;
  const { baseTypeOid, baseTypmod } = column;
  if (JSON_TYPES.has(baseTypeOid)) return { decoder: textDecoderFor(column), parquetType: 'JSON' };
  if (baseTypeOid === PG_TYPE.numeric) {
    if (baseTypmod === -1) return null;
    const precision = numericPrecision(baseTypeOid, baseTypmod)!;
    if (precision > MAX_DECIMAL_PRECISION) return null;
    const scale = (baseTypmod - 4) & 0xffff;
    // PostgreSQL 15 allows negative scales and scales above the precision: those stay text.
    if (scale > precision) return null;
    return { decoder: 'numeric', parquetType: 'DECIMAL', decimal: { precision, scale } };
  }
  const element = column.baseElementOid ? LIST_ELEMENTS.get(column.baseElementOid) : undefined;
  if (element) return { decoder: 'list', parquetType: 'LIST', element: { parquetType: element } };
  return NATIVE_MODE_MAPPINGS.get(baseTypeOid) ?? null;
}

export function mappingFor(column: CatalogColumn, typeMode: TypeMode = 'aws'): NativeMapping {
  return (
    NATIVE_MAPPINGS.get(column.typeOid) ??
    (typeMode === 'native' ? nativeModeMapping(column) : null) ?? {
      decoder: textDecoderFor(column),
      parquetType: 'STRING',
    }
  );
}

/** information_schema._pg_char_max_length */
export function charMaxLength(typeOid: number, typmod: number): number | null {
  if (typmod === -1) return null;
  if (typeOid === PG_TYPE.bpchar || typeOid === PG_TYPE.varchar) return typmod - 4;
  if (typeOid === PG_TYPE.bit || typeOid === PG_TYPE.varbit) return typmod;
  return null;
}

const FIXED_NUMERIC_PRECISION: ReadonlyMap<number, number> = new Map([
  [PG_TYPE.int2, 16],
  [PG_TYPE.int4, 32],
  [PG_TYPE.int8, 64],
  [PG_TYPE.float4, 24],
  [PG_TYPE.float8, 53],
]);

/** information_schema._pg_numeric_precision */
export function numericPrecision(typeOid: number, typmod: number): number | null {
  if (typeOid === PG_TYPE.numeric) return typmod === -1 ? null : ((typmod - 4) >> 16) & 0xffff;
  return FIXED_NUMERIC_PRECISION.get(typeOid) ?? null;
}

const TIME_TYPES: ReadonlySet<number> = new Set([
  PG_TYPE.time,
  PG_TYPE.timetz,
  PG_TYPE.timestamp,
  PG_TYPE.timestamptz,
]);
const DEFAULT_FRACTIONAL_DIGITS = 6;

/** information_schema._pg_datetime_precision */
export function datetimePrecision(typeOid: number, typmod: number): number | null {
  if (typeOid === PG_TYPE.date) return 0;
  if (TIME_TYPES.has(typeOid)) return typmod < 0 ? DEFAULT_FRACTIONAL_DIGITS : typmod;
  if (typeOid === PG_TYPE.interval) {
    const precision = typmod & 0xffff;
    return typmod < 0 || precision === 0xffff ? DEFAULT_FRACTIONAL_DIGITS : precision;
  }
  return null;
}

/** The plan of one column; absent lengths and precisions are 0, as export_tables_info shows them. */
export function columnPlanFor(column: CatalogColumn, typeMode: TypeMode = 'aws'): ColumnPlan {
  const { decoder, parquetType, decimal, element } = mappingFor(column, typeMode);
  const { baseTypeOid, baseTypmod } = column;
  return {
    name: column.name,
    originalType: column.formattedType,
    decoder,
    parquetType,
    ...(decimal ? { decimal } : {}),
    ...(element ? { element } : {}),
    expectedExportedType: expectedExportedType({ parquetType, decimal, element }),
    originalCharMaxLength: charMaxLength(baseTypeOid, baseTypmod) ?? 0,
    originalNumPrecision: numericPrecision(baseTypeOid, baseTypmod) ?? 0,
    originalDateTimePrecision: datetimePrecision(baseTypeOid, baseTypmod) ?? 0,
  };
}
