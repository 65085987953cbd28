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
