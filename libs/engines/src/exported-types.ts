import { ParquetColumnType } from '@snapex/contracts';

/** How export_tables_info names each Parquet column type in `expectedExportedType`, as RDS writes it. */
export const EXPORTED_TYPE_NAMES: Record<ParquetColumnType, string> = {
  BOOLEAN: 'boolean',
  INT32: 'int32',
  INT16: 'int32 (INT_16)',
  INT64: 'int64',
  FLOAT: 'float',
  DOUBLE: 'double',
  STRING: 'binary (UTF8)',
  BINARY: 'binary',
};
