import { createHash } from 'node:crypto';
import {
  exportRootKey,
  partFileName,
  partitionKeyPrefix,
  GetExportReportRpc,
  RpcResponse,
  TableReport,
  tableKeyPrefix,
  TaskSpec,
} from '@snapex/contracts';

export type ExportReport = RpcResponse<typeof GetExportReportRpc>;

const BYTES_PER_GB = 1024 ** 3;

/** RDS reports sizes in whole GB; the tables file keeps a fraction so small tables do not read as 0. */
export function wholeGb(bytes: number): number {
  return Math.floor(bytes / BYTES_PER_GB);
}

/** `export_info_<id>.json`, with the keys RDS writes. */
export function exportInfo(report: ExportReport, taskEndTime: string) {
  const { spec, task } = report;
  return {
    exportTaskIdentifier: spec.exportTaskIdentifier,
    sourceArn: spec.sourceArn,
    exportOnly: spec.exportOnly,
    snapshotTime: task.ExportTime ?? task.SnapshotTime ?? null,
    taskStartTime: task.TaskStartTime ?? null,
    taskEndTime,
    s3Bucket: spec.s3Bucket,
    s3Prefix: spec.s3Prefix,
    exportedFilesPath: exportRootKey(spec.s3Prefix, spec.exportTaskIdentifier),
    iamRoleArn: spec.iamRoleArn,
    kmsKeyId: spec.kmsKeyId,
    status: 'COMPLETE',
    percentProgress: 100,
    totalExportedDataInGB: wholeGb(report.totalBytes),
    warningMessage: task.WarningMessage ?? null,
  };
}

/**
 * Where a table's files are when it is not the seed's folder (another table of the export has that
 * one, see the restorer's table-folders), for export_tables_info; nothing for every other table.
 */
export function movedFolder(spec: TaskSpec, table: TableReport): { exportedFilesPath?: string } {
  const { database, schema, table: name } = table.table;
  const seedFolder = tableKeyPrefix(spec.s3Prefix, spec.exportTaskIdentifier, database, schema, name);
  if (table.tableKeyPrefix === null || table.tableKeyPrefix === seedFolder) return {};
  return { exportedFilesPath: table.tableKeyPrefix };
}

/** Tables in files of at most `size` entries, numbered by table position as RDS's file names are. */
export function tableChunks(
  tables: TableReport[],
  size: number,
): { from: number; to: number; tables: TableReport[] }[] {
  const chunks = [];
  for (let from = 0; from < tables.length; from += size) {
    const slice = tables.slice(from, from + size);
    chunks.push({ from, to: from + slice.length - 1, tables: slice });
  }
  return chunks;
}

/**
 * Where an empty table's schema-only part goes: partition 0's first file, its uuid drawn from the
 * task and the table so that a redelivered event writes the same key.
 */
export function emptyTablePartKey(spec: TaskSpec, table: TableReport): string {
  const hex = createHash('sha256').update(`${spec.taskId}/${table.table.tableIndex}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `${partitionKeyPrefix(table.tableKeyPrefix!, 0)}/${partFileName(0, uuid)}`;
}
