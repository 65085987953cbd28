import { FieldDefinition, ParquetSchema, SchemaDefinition } from '@dsnp/parquetjs';
import { ParquetColumnType } from '@snapex/contracts';
import { PartColumn } from './part-encoder';

const FIELD_TYPES: Record<ParquetColumnType, FieldDefinition['type']> = {
  BOOLEAN: 'BOOLEAN',
  INT32: 'INT32',
  INT16: 'INT_16',
  INT64: 'INT64',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  STRING: 'UTF8',
  BINARY: 'BYTE_ARRAY',
};

/**
 * parquetjs keeps the first value of a page as min/max when that value is NaN, and the Parquet
 * format forbids NaN statistics; readers may then skip row groups that do match a filter.
 */
const WITHOUT_STATISTICS: ReadonlySet<ParquetColumnType> = new Set(['FLOAT', 'DOUBLE']);

export class UnsupportedColumnNameError extends Error {
  constructor(name: string) {
    super(`column name ${JSON.stringify(name)} cannot be written by the parquetjs encoder`);
    this.name = 'UnsupportedColumnNameError';
  }
}

function fieldFor(column: PartColumn): FieldDefinition {
  return {
    type: FIELD_TYPES[column.parquetType],
    optional: true,
    compression: 'GZIP',
    ...(WITHOUT_STATISTICS.has(column.parquetType) ? { statistics: false as const } : {}),
  };
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
