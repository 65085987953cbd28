/** How far one planned table has got, as export_tables and export_partitions record it. */
export interface TableProgress {
  skipped: boolean;
  estimatedBytes: number;
  partitionTotal: number;
  exported: number;
  abandoned: number;
  bytesExported: number;
}

export interface ExtractionProgress {
  percentProgress: number;
  partitionsDone: number;
  partitionsTotal: number;
  tablesDone: number;
  tablesTotal: number;
  bytesExported: number;
  totalExtractedGb: number;
  /** Every partition of every table still in the export is in the bucket. */
  allExported: boolean;
  /** Every partition is either in the bucket or was dropped: no extractor is still working. */
  allSettled: boolean;
}

/** Progress stops at 99 until the metadata files are written; COMPLETE alone shows 100. */
const EXTRACTION_CEILING = 99;
const BYTES_PER_GB = 1e9;

export function computeProgress(tables: TableProgress[]): ExtractionProgress {
  const included = tables.filter((table) => !table.skipped);
  const partitionsTotal = sum(included.map((table) => table.partitionTotal));
  const partitionsDone = sum(included.map(exportedPartitions));
  const bytesExported = sum(tables.map((table) => table.bytesExported));
  return {
    percentProgress: percentOf(included, partitionsDone, partitionsTotal),
    partitionsDone,
    partitionsTotal,
    tablesDone: included.filter((table) => exportedPartitions(table) >= table.partitionTotal).length,
    tablesTotal: included.length,
    bytesExported,
    totalExtractedGb: Math.floor(bytesExported / BYTES_PER_GB),
    allExported: partitionsDone >= partitionsTotal,
    allSettled: included.every((table) => table.exported + table.abandoned >= table.partitionTotal),
  };
}

/** Each exported partition counts for its table's estimated size divided by the table's partitions. */
function percentOf(included: TableProgress[], partitionsDone: number, partitionsTotal: number): number {
  const estimatedTotal = sum(included.map((table) => table.estimatedBytes));
  if (estimatedTotal > 0) {
    const estimatedDone = sum(
      included.map((table) =>
        table.partitionTotal === 0
          ? 0
          : (table.estimatedBytes * exportedPartitions(table)) / table.partitionTotal,
      ),
    );
    return Math.floor((EXTRACTION_CEILING * estimatedDone) / estimatedTotal);
  }
  if (partitionsTotal === 0) return 0;
  return Math.floor((EXTRACTION_CEILING * partitionsDone) / partitionsTotal);
}

function exportedPartitions(table: TableProgress): number {
  return Math.min(table.exported, table.partitionTotal);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
