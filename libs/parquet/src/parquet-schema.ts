import { FieldDefinition, ParquetSchema, SchemaDefinition } from '@dsnp/parquetjs';
import { decimalStorage, ParquetColumnType } from '@snapex/contracts';
import { MissingDecimalShapeError } from './arrow-batch';
import { PartColumn } from './part-encoder';

/**
 * parquetjs rejects TIMESTAMP_MICROS before 1970, so those columns are written as INT64 and annotated
 * last. The native types mode's types are parquet-wasm's only.
 */
const FIELD_TYPES: Partial<Record<ParquetColumnType, FieldDefinition['type']>> = {
  BOOLEAN: 'BOOLEAN',
  INT32: 'INT32',
  INT16: 'INT_16',
  INT64: 'INT64',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  STRING: 'UTF8',
  BINARY: 'BYTE_ARRAY',
  TIMESTAMP_MICROS: 'INT64',
};

/**
 * parquetjs keeps the first value of a page as min/max when that value is NaN, and the Parquet
 * format forbids NaN statistics; readers may then skip row groups that do match a filter.
 */
const WITHOUT_STATISTICS: ReadonlySet<ParquetColumnType> = new Set(['FLOAT', 'DOUBLE']);

/** A type of the native types mode, which the parquetjs encoder does not write. */
export class UnsupportedColumnTypeError extends Error {
  constructor(column: PartColumn) {
    super(
      `column ${JSON.stringify(column.name)} is ${column.parquetType}, which only the parquet-wasm encoder writes`,
    );
    this.name = 'UnsupportedColumnTypeError';
  }
}

export class UnsupportedColumnNameError extends Error {
  constructor(name: string) {
    super(`column name ${JSON.stringify(name)} cannot be written by the parquetjs encoder`);
    this.name = 'UnsupportedColumnNameError';
  }
}

/**
 * parquetjs scales INT32 and INT64 decimals with floating point as it encodes them, so those are
 * written as plain integers holding the unscaled value and annotated DECIMAL in the footer; it orders
 * FIXED_LEN_BYTE_ARRAY statistics as unsigned bytes, wrong for negative decimals.
 */
function decimalField(column: PartColumn): Partial<FieldDefinition> {
  if (!column.decimal) throw new MissingDecimalShapeError(column);
  const { precision, scale } = column.decimal;
  const storage = decimalStorage(precision);
  if (storage.physicalType !== 'FIXED_LEN_BYTE_ARRAY')
    return { type: storage.physicalType, precision, scale };
  return { type: 'DECIMAL', precision, scale, typeLength: storage.byteLength, statistics: false };
}

function plainField(column: PartColumn): Partial<FieldDefinition> {
  const type = FIELD_TYPES[column.parquetType];
  if (!type) throw new UnsupportedColumnTypeError(column);
  return { type };
}

function fieldFor(column: PartColumn): FieldDefinition {
  const typed = column.parquetType === 'DECIMAL' ? decimalField(column) : plainField(column);
  return {
    optional: true,
    compression: 'GZIP',
    ...(WITHOUT_STATISTICS.has(column.parquetType) ? { statistics: false as const } : {}),
    ...typed,
  } as FieldDefinition;
}

interface MutableField {
  originalType?: string;
}

function fieldOf(schema: ParquetSchema, column: PartColumn): MutableField {
  return (schema.fields as Record<string, MutableField>)[column.name];
}

/** Every column nullable, gzip-compressed, typed as the export's ColumnPlan says. */
export function parquetSchemaFor(columns: readonly PartColumn[]): ParquetSchema {
  const definition: SchemaDefinition = Object.create(null);
  for (const column of columns) {
    // parquetjs files fields into plain objects, where this key would replace the prototype.
    if (column.name === '__proto__') throw new UnsupportedColumnNameError(column.name);
    definition[column.name] = fieldFor(column);
  }
  return new ParquetSchema(definition);
}

/** The annotation a column gets in the footer only, once every row is written (see FIELD_TYPES, decimalField). */
function footerAnnotation(column: PartColumn): string | null {
  if (column.parquetType === 'TIMESTAMP_MICROS') return 'TIMESTAMP_MICROS';
  if (column.parquetType !== 'DECIMAL') return null;
  return decimalStorage(column.decimal!.precision).physicalType === 'FIXED_LEN_BYTE_ARRAY' ? null : 'DECIMAL';
}

/** Declares the timestamp and integer-stored decimal columns as such; call it just before the footer is written. */
export function annotateInFooter(schema: ParquetSchema, columns: readonly PartColumn[]): void {
  for (const column of columns) {
    const annotation = footerAnnotation(column);
    if (annotation) fieldOf(schema, column).originalType = annotation;
  }
}
