import { ColumnPlan, decimalStorage, DecimalShape, ParquetColumnType } from '@snapex/contracts';

/** How export_tables_info names each Parquet column type in `expectedExportedType`, as RDS writes it. */
export const EXPORTED_TYPE_NAMES: Record<Exclude<ParquetColumnType, 'DECIMAL' | 'LIST'>, string> = {
  BOOLEAN: 'boolean',
  INT32: 'int32',
  INT16: 'int32 (INT_16)',
  INT64: 'int64',
  FLOAT: 'float',
  DOUBLE: 'double',
  STRING: 'binary (UTF8)',
  BINARY: 'binary',
  TIMESTAMP_MICROS: 'int64 (TIMESTAMP_MICROS)',
  TIMESTAMP_MICROS_LOCAL: 'int64 (TIMESTAMP(MICROS,false))',
  DATE: 'int32 (DATE)',
  TIME_MICROS: 'int64 (TIME(MICROS,false))',
  UUID: 'fixed_len_byte_array(16) (UUID)',
  JSON: 'binary (JSON)',
};

function decimalTypeName({ precision, scale }: DecimalShape): string {
  const storage = decimalStorage(precision);
  const physical =
    storage.physicalType === 'FIXED_LEN_BYTE_ARRAY'
      ? `fixed_len_byte_array(${storage.byteLength})`
      : storage.physicalType.toLowerCase();
  return `${physical} (DECIMAL(${precision},${scale}))`;
}

/** `expectedExportedType` of a column; a DECIMAL's name depends on its precision and scale. */
export function expectedExportedType(
  column: Pick<ColumnPlan, 'parquetType' | 'decimal' | 'element'>,
): string {
  if (column.parquetType === 'LIST') {
    if (!column.element) throw new Error('a LIST column needs its element type');
    return `list<${EXPORTED_TYPE_NAMES[column.element.parquetType]}>`;
  }
  if (column.parquetType !== 'DECIMAL') return EXPORTED_TYPE_NAMES[column.parquetType];
  if (!column.decimal) throw new Error('a DECIMAL column needs its precision and scale');
  return decimalTypeName(column.decimal);
}
