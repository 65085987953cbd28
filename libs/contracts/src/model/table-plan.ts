import { z } from 'zod';

/** The Parquet column a source column becomes; the same vocabulary for every engine and encoder. */
export const ParquetColumnTypeSchema = z.enum([
  'BOOLEAN',
  'INT32',
  'INT16', // INT32 annotated INT_16
  'INT64',
  'FLOAT',
  'DOUBLE',
  'STRING', // BYTE_ARRAY annotated STRING (UTF8)
  'BINARY', // BYTE_ARRAY without annotation
  'DECIMAL', // DECIMAL(precision, scale) on INT32, INT64 or FIXED_LEN_BYTE_ARRAY by precision; ColumnPlan.decimal
  'TIMESTAMP_MICROS', // INT64 annotated TIMESTAMP(MICROS, isAdjustedToUTC=true)
  // Native types mode only (OutputFormat.typeMode 'native'):
  'TIMESTAMP_MICROS_LOCAL', // INT64 annotated TIMESTAMP(MICROS, isAdjustedToUTC=false): a wall clock
  'DATE', // INT32 annotated DATE: days since 1970-01-01
  'TIME_MICROS', // INT64 annotated TIME(MICROS, isAdjustedToUTC=false): microseconds since midnight
  'UUID', // FIXED_LEN_BYTE_ARRAY(16) annotated UUID
  'JSON', // BYTE_ARRAY annotated JSON
  'LIST', // a LIST of ColumnPlan.element, each element nullable
]);
export type ParquetColumnType = z.infer<typeof ParquetColumnTypeSchema>;

/** Parquet's DECIMAL holds at most this many digits in the 16 bytes every reader takes. */
export const MAX_DECIMAL_PRECISION = 38;

export const DecimalShapeSchema = z.object({
  precision: z.number().int().min(1).max(MAX_DECIMAL_PRECISION),
  scale: z.number().int().min(0),
});
export type DecimalShape = z.infer<typeof DecimalShapeSchema>;

/** How a DECIMAL of this precision is stored, as the Parquet format recommends. */
export type DecimalStorage =
  { physicalType: 'INT32' | 'INT64' } | { physicalType: 'FIXED_LEN_BYTE_ARRAY'; byteLength: number };

/** INT32 up to 9 digits, INT64 up to 18, else the fewest bytes whose two's complement holds 10^p - 1. */
export function decimalStorage(precision: number): DecimalStorage {
  if (precision <= 9) return { physicalType: 'INT32' };
  if (precision <= 18) return { physicalType: 'INT64' };
  const largest = 10n ** BigInt(precision) - 1n;
  let byteLength = 1;
  while (largest >= 1n << BigInt(8 * byteLength - 1)) byteLength++;
  return { physicalType: 'FIXED_LEN_BYTE_ARRAY', byteLength };
}

/** What a LIST column's elements are: a scalar type, never a LIST, UUID or JSON. */
export const ListElementSchema = z.object({
  parquetType: z.enum([
    'BOOLEAN',
    'INT16',
    'INT32',
    'INT64',
    'FLOAT',
    'DOUBLE',
    'STRING',
    'DATE',
    'TIME_MICROS',
    'TIMESTAMP_MICROS',
    'TIMESTAMP_MICROS_LOCAL',
  ]),
});
export type ListElement = z.infer<typeof ListElementSchema>;

export const ColumnPlanSchema = z.object({
  name: z.string(),
  /** The type as the source database names it, e.g. `timestamp with time zone`. */
  originalType: z.string(),
  /** Engine-specific key the extractor's value decoder switches on, e.g. `int8`, `bytea`, `text`. */
  decoder: z.string(),
  parquetType: ParquetColumnTypeSchema,
  /** How export_tables_info describes the exported type, e.g. `binary (UTF8)`. */
  expectedExportedType: z.string(),
  originalCharMaxLength: z.number().int(),
  originalNumPrecision: z.number().int(),
  originalDateTimePrecision: z.number().int(),
  /** Precision and scale of a DECIMAL column; absent for every other type. */
  decimal: DecimalShapeSchema.optional(),
  /** The elements of a LIST column (native types mode, PostgreSQL arrays of scalar types). */
  element: z.lazy(() => ListElementSchema).optional(),
});
export type ColumnPlan = z.infer<typeof ColumnPlanSchema>;

export const PartitionRangeSchema = z.object({
  /** Column the range is on (`ctid` for page ranges). */
  column: z.string(),
  constraintType: z.enum(['PRIMARY_KEY', 'CTID', 'NONE']),
  /** Inclusive lower and exclusive upper bound as decimal strings; null means unbounded. */
  lower: z.string().nullable(),
  upper: z.string().nullable(),
});
export type PartitionRange = z.infer<typeof PartitionRangeSchema>;

export const PartitioningInfoSchema = z.object({
  numberOfPartitions: z.number().int(),
  constraintType: z.enum(['PRIMARY_KEY', 'CTID', 'NONE']),
  partitionColumns: z.array(
    z.object({ columnName: z.string(), columnType: z.string(), min: z.string(), max: z.string() }),
  ),
});
export type PartitioningInfo = z.infer<typeof PartitioningInfoSchema>;

/** Why a table is read by a single worker although it is large: it has no key to cut it by. */
export const SingleWorkerReasonSchema = z.enum(['NO_PARTITION_KEY']);
export type SingleWorkerReason = z.infer<typeof SingleWorkerReasonSchema>;

export const TableRefSchema = z.object({
  tableIndex: z.number().int().nonnegative(),
  database: z.string(),
  schema: z.string(),
  table: z.string(),
});
export type TableRef = z.infer<typeof TableRefSchema>;

/** `database.schema.table`, the name export_tables_info uses. */
export function tableTarget(ref: Pick<TableRef, 'database' | 'schema' | 'table'>): string {
  return `${ref.database}.${ref.schema}.${ref.table}`;
}

/** What the export says of one planned table: its folder, columns and how it is cut into partitions. */
export const TableDescriptionSchema = z.object({
  table: TableRefSchema,
  target: z.string(),
  /** Folder of the table under the export, `<prefix>/<id>/<db>/<schema>.<table>`, characters already replaced. */
  tableKeyPrefix: z.string(),
  columns: z.array(ColumnPlanSchema),
  partitioning: PartitioningInfoSchema,
  singleWorkerReason: SingleWorkerReasonSchema.optional(),
  estimatedBytes: z.number().nonnegative(),
});
