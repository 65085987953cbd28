import { z } from 'zod';
import { nulledValuesMessage } from './model/nulled-values';
import { TableReport } from './rpc/registry.v1';

const BYTES_PER_GB = 1024 ** 3;

/** export_tables_info keeps a fraction of a GB, so small tables do not read as 0. */
function sizeGb(bytes: number): number {
  return Number((bytes / BYTES_PER_GB).toFixed(6));
}

/** One entry of `perTableStatus` in `export_tables_info_<id>_from_<n>_to_<m>.json`. */
export function perTableStatus(table: TableReport) {
  const entry = {
    target: table.target,
    status: table.status,
    sizeGB: sizeGb(table.bytes),
    tableStatistics: {
      extractionStartTime: table.extractionStartTime,
      extractionEndTime: table.extractionEndTime,
      rowCount: table.rowCount,
      partitioningInfo: table.partitioning && {
        ...table.partitioning,
        numberOfCompletedPartitions: table.numberOfCompletedPartitions,
        ...(table.singleWorkerReason ? { singleWorkerReason: table.singleWorkerReason } : {}),
      },
    },
    schemaMetadata: {
      originalTypeMappings: table.columns.map((column) => ({
        columnName: column.name,
        originalType: column.originalType,
        expectedExportedType: column.expectedExportedType,
        originalCharMaxLength: column.originalCharMaxLength,
        originalNumPrecision: column.originalNumPrecision,
        originalDateTimePrecision: column.originalDateTimePrecision,
      })),
    },
  };
  if (table.status === 'SKIPPED')
    return { ...entry, warningMessage: table.skipReason, warningDetail: table.skipDetail };
  return { ...entry, ...nulledValuesOf(table) };
}

/** A table some of whose values were exported as NULL says so, with the count of each column. */
function nulledValuesOf(table: TableReport) {
  if (table.nulledValues.length === 0) return {};
  return {
    warningMessage: nulledValuesMessage(table.nulledValues),
    nulledValues: table.nulledValues.map(({ column, reason, count }) => ({
      columnName: column,
      reason,
      count,
    })),
  };
}

/** One column of `schemaMetadata.originalTypeMappings` in export_tables_info. */
export const OriginalTypeMappingSchema = z.object({
  columnName: z.string(),
  originalType: z.string(),
  expectedExportedType: z.string(),
  originalCharMaxLength: z.number().int(),
  originalNumPrecision: z.number().int(),
  originalDateTimePrecision: z.number().int(),
});
export type OriginalTypeMapping = z.infer<typeof OriginalTypeMappingSchema>;

/** The part of a `perTableStatus` entry that reading an export back needs; other keys pass through. */
export const PerTableStatusSchema = z
  .object({
    target: z.string(),
    status: z.string(),
    tableStatistics: z.object({ rowCount: z.number().int() }).passthrough(),
    schemaMetadata: z.object({ originalTypeMappings: z.array(OriginalTypeMappingSchema) }),
    exportedFilesPath: z.string().optional(),
  })
  .passthrough();
export type PerTableStatus = z.infer<typeof PerTableStatusSchema>;

export const ExportTablesInfoSchema = z.object({ perTableStatus: z.array(PerTableStatusSchema) });

/** What a Parquet column holds, read off its `expectedExportedType`. */
export type ExportedKind =
  | {
      kind:
        | 'boolean'
        | 'int32'
        | 'int64'
        | 'float'
        | 'double'
        | 'string'
        | 'binary'
        | 'timestamp'
        | 'localTimestamp'
        | 'date'
        | 'time'
        | 'uuid'
        | 'json';
    }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'list'; element: ExportedKind };

const PLAIN_KINDS: Record<string, ExportedKind> = {
  boolean: { kind: 'boolean' },
  int32: { kind: 'int32' },
  'int32 (INT_16)': { kind: 'int32' },
  int64: { kind: 'int64' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  'binary (UTF8)': { kind: 'string' },
  binary: { kind: 'binary' },
  'int64 (TIMESTAMP_MICROS)': { kind: 'timestamp' },
  'int64 (TIMESTAMP(MICROS,false))': { kind: 'localTimestamp' },
  'int32 (DATE)': { kind: 'date' },
  'int64 (TIME(MICROS,false))': { kind: 'time' },
  'fixed_len_byte_array(16) (UUID)': { kind: 'uuid' },
  'binary (JSON)': { kind: 'json' },
};

/** The kind of an `expectedExportedType`; a name this version does not know reads as text. */
export function exportedKindOf(expectedExportedType: string): ExportedKind {
  const decimal = /\(DECIMAL\((\d+),(\d+)\)\)$/.exec(expectedExportedType);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const list = /^list<(.+)>$/.exec(expectedExportedType);
  if (list) return { kind: 'list', element: exportedKindOf(list[1]) };
  return PLAIN_KINDS[expectedExportedType] ?? { kind: 'string' };
}

/**
 * Database, schema and table of a `target` (`<database>.<schema>.<table>`). A dot inside a name
 * cannot be told from the separators: the database ends at the first dot and the schema at the next.
 */
export function splitTarget(target: string): { database: string; schema: string; table: string } {
  const [database, schema, ...table] = target.split('.');
  return { database, schema: schema ?? '', table: table.join('.') };
}
