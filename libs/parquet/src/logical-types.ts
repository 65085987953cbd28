import { ParquetColumnType } from '@snapex/contracts';
import { FooterLogicalTypes } from './parquet-assembler';
import { format } from './parquet-thrift';
import { PartColumn } from './part-encoder';

/**
 * Annotations parquet-wasm cannot write from an Arrow schema (0.8.0 knows no Arrow extension types):
 * a UUID is written as FIXED_LEN_BYTE_ARRAY(16) and JSON as a string, and the footer says which.
 */
const FOOTER_ONLY: Partial<Record<ParquetColumnType, () => format.LogicalType>> = {
  UUID: () => new format.LogicalType({ UUID: new format.UUIDType() }),
  JSON: () => new format.LogicalType({ JSON: new format.JsonType() }),
};

export function footerLogicalTypes(columns: readonly PartColumn[]): FooterLogicalTypes {
  const types = new Map<string, format.LogicalType>();
  for (const column of columns) {
    const logicalType = FOOTER_ONLY[column.parquetType];
    if (logicalType) types.set(column.name, logicalType());
  }
  return types;
}
