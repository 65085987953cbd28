import { Injectable } from '@nestjs/common';
import {
  ColumnPlan,
  EventPayload,
  NulledValueCount,
  PartitioningInfo,
  PartitionExported,
  SingleWorkerReason,
  TablePlanned,
  TableRef,
  TableReport,
  TableSkipped,
} from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { TableProgress } from './progress';

export interface PartitionKey {
  taskId: string;
  tableIndex: number;
  partitionIndex: number;
}

export type PartitionStatus = 'STARTED' | 'EXPORTED' | 'ABANDONED';

export interface TableState {
  planned: boolean;
  skipped: boolean;
}

/** A partition the registry counts as exported, with the rows it reported and the rows of its files. */
export interface ExportedPartition {
  tableIndex: number;
  partitionIndex: number;
  rowCount: number;
  objectRows: number;
}

export interface PlanCounts {
  planned: number;
  /** Tables skipped before they were ever planned (the restorer's skips). */
  skippedUnplanned: number;
}

interface TableReportRow {
  tableIndex: number;
  database: string;
  schema: string;
  table: string;
  target: string;
  tableKeyPrefix: string | null;
  status: TableReport['status'];
  skipReason: string | null;
  skipDetail: string | null;
  columns: ColumnPlan[] | null;
  partitioning: PartitioningInfo | null;
  singleWorkerReason: SingleWorkerReason | null;
  completed: number;
  rowCount: number;
  bytes: number;
  extractionStartTime: Date | null;
  extractionEndTime: Date | null;
  objectKeys: string[];
  nulledValues: NulledValueCount[];
}

/** export_tables and export_partitions: what the restorer planned and how far extraction got. */
@Injectable()
export class PlanRepository {
  async recordTablePlanned(tx: Connection, event: EventPayload<typeof TablePlanned>): Promise<void> {
    const { table } = event;
    await tx.query(
      `INSERT INTO export_tables (task_id, table_index, database_name, schema_name, table_name, target,
         table_key_prefix, columns, partitioning, single_worker_reason, estimated_bytes, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'PLANNED')
       ON CONFLICT (task_id, table_index) DO UPDATE SET
         table_key_prefix = EXCLUDED.table_key_prefix, columns = EXCLUDED.columns,
         partitioning = EXCLUDED.partitioning, single_worker_reason = EXCLUDED.single_worker_reason,
         estimated_bytes = EXCLUDED.estimated_bytes`,
      [
        event.taskId,
        table.tableIndex,
        table.database,
        table.schema,
        table.table,
        event.target,
        event.tableKeyPrefix,
        JSON.stringify(event.columns),
        JSON.stringify(event.partitioning),
        event.singleWorkerReason ?? null,
        Math.round(event.estimatedBytes),
      ],
    );
  }

  async recordTableSkipped(tx: Connection, event: EventPayload<typeof TableSkipped>): Promise<void> {
    const { table } = event;
    await tx.query(
      `INSERT INTO export_tables (task_id, table_index, database_name, schema_name, table_name, target,
         status, skip_reason, skip_detail)
       VALUES ($1, $2, $3, $4, $5, $6, 'SKIPPED', $7, $8)
       ON CONFLICT (task_id, table_index) DO UPDATE SET
         status = 'SKIPPED', skip_reason = EXCLUDED.skip_reason, skip_detail = EXCLUDED.skip_detail`,
      [
        event.taskId,
        table.tableIndex,
        table.database,
        table.schema,
        table.table,
        event.target,
        event.reason,
        event.detail ?? null,
      ],
    );
  }

  async tableState(tx: Connection, taskId: string, tableIndex: number): Promise<TableState | undefined> {
    const { rows } = await tx.query<TableState>(
      `SELECT partitioning IS NOT NULL AS planned, status = 'SKIPPED' AS skipped
       FROM export_tables WHERE task_id = $1 AND table_index = $2`,
      [taskId, tableIndex],
    );
    return rows[0];
  }

  async planCounts(tx: Connection, taskId: string): Promise<PlanCounts> {
    const { rows } = await tx.query<PlanCounts>(
      `SELECT count(*) FILTER (WHERE partitioning IS NOT NULL)::int AS planned,
              count(*) FILTER (WHERE partitioning IS NULL AND status = 'SKIPPED')::int AS "skippedUnplanned"
       FROM export_tables WHERE task_id = $1`,
      [taskId],
    );
    return rows[0];
  }

  async partitionStatus(tx: Connection, key: PartitionKey): Promise<PartitionStatus | undefined> {
    const { rows } = await tx.query<{ status: PartitionStatus }>(
      `SELECT status FROM export_partitions WHERE task_id = $1 AND table_index = $2 AND partition_index = $3`,
      [key.taskId, key.tableIndex, key.partitionIndex],
    );
    return rows[0]?.status;
  }

  /** A partition that already finished keeps its outcome when a late or repeated start arrives. */
  async recordPartitionStarted(
    tx: Connection,
    key: PartitionKey,
    extractor: string,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO export_partitions (task_id, table_index, partition_index, status, extractor, started_at)
       VALUES ($1, $2, $3, 'STARTED', $4, $5)
       ON CONFLICT (task_id, table_index, partition_index) DO UPDATE SET extractor = EXCLUDED.extractor
       WHERE export_partitions.status = 'STARTED'`,
      [key.taskId, key.tableIndex, key.partitionIndex, extractor, at],
    );
  }

  async recordPartitionExported(
    tx: Connection,
    key: PartitionKey,
    event: EventPayload<typeof PartitionExported>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO export_partitions (task_id, table_index, partition_index, status, row_count, bytes, objects,
         started_at, finished_at, nulled_values)
       VALUES ($1, $2, $3, 'EXPORTED', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (task_id, table_index, partition_index) DO UPDATE SET
         status = 'EXPORTED', row_count = EXCLUDED.row_count, bytes = EXCLUDED.bytes, objects = EXCLUDED.objects,
         started_at = LEAST(export_partitions.started_at, EXCLUDED.started_at),
         finished_at = EXCLUDED.finished_at, nulled_values = EXCLUDED.nulled_values`,
      [
        key.taskId,
        key.tableIndex,
        key.partitionIndex,
        event.rowCount,
        event.bytes,
        JSON.stringify(event.objects),
        event.startedAt,
        event.finishedAt,
        event.nulledValues ? JSON.stringify(event.nulledValues) : null,
      ],
    );
  }

  /** Only a partition nobody finished can be abandoned; exported data stays counted. */
  async recordPartitionAbandoned(tx: Connection, key: PartitionKey, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO export_partitions (task_id, table_index, partition_index, status, finished_at)
       VALUES ($1, $2, $3, 'ABANDONED', $4)
       ON CONFLICT (task_id, table_index, partition_index) DO UPDATE SET status = 'ABANDONED',
         finished_at = EXCLUDED.finished_at
       WHERE export_partitions.status = 'STARTED'`,
      [key.taskId, key.tableIndex, key.partitionIndex, at],
    );
  }

  /** Moves a planned table to IN_PROGRESS or COMPLETE from its partitions; skipped tables stay skipped. */
  async refreshTableStatus(tx: Connection, taskId: string, tableIndex: number): Promise<void> {
    await tx.query(
      `UPDATE export_tables t SET status = CASE
           WHEN p.exported >= (t.partitioning->>'numberOfPartitions')::int THEN 'COMPLETE'
           WHEN p.touched > 0 THEN 'IN_PROGRESS'
           ELSE 'PLANNED' END
       FROM (SELECT count(*) FILTER (WHERE status = 'EXPORTED') AS exported, count(*) AS touched
             FROM export_partitions WHERE task_id = $1 AND table_index = $2) p
       WHERE t.task_id = $1 AND t.table_index = $2 AND t.partitioning IS NOT NULL
         AND t.status IN ('PLANNED', 'IN_PROGRESS')`,
      [taskId, tableIndex],
    );
  }

  async exportedPartitions(connection: Connection, taskId: string): Promise<ExportedPartition[]> {
    const { rows } = await connection.query<ExportedPartition>(
      `SELECT table_index AS "tableIndex", partition_index AS "partitionIndex", row_count::float8 AS "rowCount",
              (SELECT coalesce(sum((o.value->>'rows')::bigint), 0) FROM jsonb_array_elements(objects) o)::float8
                AS "objectRows"
       FROM export_partitions WHERE task_id = $1 AND status = 'EXPORTED'
       ORDER BY table_index, partition_index`,
      [taskId],
    );
    return rows;
  }

  async skippedTableIndexes(connection: Connection, taskId: string): Promise<number[]> {
    const { rows } = await connection.query<{ tableIndex: number }>(
      `SELECT table_index AS "tableIndex" FROM export_tables WHERE task_id = $1 AND status = 'SKIPPED'`,
      [taskId],
    );
    return rows.map((row) => row.tableIndex);
  }

  async cancelUnfinishedTables(tx: Connection, taskId: string): Promise<void> {
    await tx.query(
      `UPDATE export_tables SET status = 'CANCELED' WHERE task_id = $1 AND status IN ('PLANNED', 'IN_PROGRESS')`,
      [taskId],
    );
  }

  async tableProgress(tx: Connection, taskId: string): Promise<TableProgress[]> {
    const { rows } = await tx.query<TableProgress>(
      `SELECT t.status = 'SKIPPED' AS skipped, t.estimated_bytes::float8 AS "estimatedBytes",
              (t.partitioning->>'numberOfPartitions')::int AS "partitionTotal",
              count(p.*) FILTER (WHERE p.status = 'EXPORTED')::int AS exported,
              count(p.*) FILTER (WHERE p.status = 'ABANDONED')::int AS abandoned,
              coalesce(sum(p.bytes) FILTER (WHERE p.status = 'EXPORTED'), 0)::float8 AS "bytesExported"
       FROM export_tables t
       LEFT JOIN export_partitions p ON p.task_id = t.task_id AND p.table_index = t.table_index
       WHERE t.task_id = $1 AND t.partitioning IS NOT NULL
       GROUP BY t.task_id, t.table_index`,
      [taskId],
    );
    return rows;
  }

  /** Tables of running exports still being exported, whose first partition started before `startedBefore`. */
  async longRunningTables(connection: Connection, startedBefore: Date): Promise<LongRunningTable[]> {
    const { rows } = await connection.query<LongRunningTable>(
      `SELECT k.task_id AS "taskId", k.account_id AS "accountId", k.export_task_identifier AS "exportTaskIdentifier",
              t.table_index AS "tableIndex", t.database_name AS database, t.schema_name AS schema,
              t.table_name AS table, t.target, min(p.started_at) AS "extractionStartTime",
              coalesce(sum(p.bytes) FILTER (WHERE p.status = 'EXPORTED'), 0)::float8 AS "bytesExported"
       FROM export_tasks k
       JOIN export_tables t ON t.task_id = k.task_id
       JOIN export_partitions p ON p.task_id = t.task_id AND p.table_index = t.table_index
       WHERE k.status = 'IN_PROGRESS' AND t.status = 'IN_PROGRESS'
       GROUP BY k.task_id, t.task_id, t.table_index
       HAVING min(p.started_at) < $1`,
      [startedBefore],
    );
    return rows;
  }

  async tableReports(connection: Connection, taskId: string): Promise<TableReport[]> {
    const { rows } = await connection.query<TableReportRow>(
      `SELECT t.table_index AS "tableIndex", t.database_name AS database, t.schema_name AS schema,
              t.table_name AS table, t.target, t.table_key_prefix AS "tableKeyPrefix", t.status,
              t.skip_reason AS "skipReason", t.skip_detail AS "skipDetail", t.columns, t.partitioning,
              t.single_worker_reason AS "singleWorkerReason",
              count(p.*) FILTER (WHERE p.status = 'EXPORTED')::int AS completed,
              coalesce(sum(p.row_count) FILTER (WHERE p.status = 'EXPORTED'), 0)::float8 AS "rowCount",
              coalesce(sum(p.bytes) FILTER (WHERE p.status = 'EXPORTED'), 0)::float8 AS bytes,
              min(p.started_at) AS "extractionStartTime",
              max(p.finished_at) FILTER (WHERE p.status = 'EXPORTED') AS "extractionEndTime",
              CASE WHEN t.status = 'SKIPPED' THEN ARRAY(
                SELECT o.value->>'key'
                  FROM export_partitions written,
                       jsonb_array_elements(written.objects) WITH ORDINALITY o(value, ordinality)
                 WHERE written.task_id = t.task_id AND written.table_index = t.table_index
                 ORDER BY written.partition_index, o.ordinality)
              ELSE '{}' END AS "objectKeys",
              (SELECT coalesce(jsonb_agg(jsonb_build_object('column', c.name, 'reason', c.reason, 'count', c.count)
                                         ORDER BY c.name, c.reason), '[]')
                 FROM (SELECT n.value->>'column' AS name, n.value->>'reason' AS reason,
                              sum((n.value->>'count')::bigint) AS count
                         FROM export_partitions counted, jsonb_array_elements(counted.nulled_values) n(value)
                        WHERE counted.task_id = t.task_id AND counted.table_index = t.table_index
                          AND counted.status = 'EXPORTED'
                        GROUP BY 1, 2) c) AS "nulledValues"
       FROM export_tables t
       LEFT JOIN export_partitions p ON p.task_id = t.task_id AND p.table_index = t.table_index
       WHERE t.task_id = $1
       GROUP BY t.task_id, t.table_index
       ORDER BY t.table_index`,
      [taskId],
    );
    return rows.map(toTableReport);
  }
}

export interface LongRunningTable extends TableRef {
  taskId: string;
  accountId: string;
  exportTaskIdentifier: string;
  target: string;
  extractionStartTime: Date;
  bytesExported: number;
}

function toTableReport(row: TableReportRow): TableReport {
  const table: TableRef = {
    tableIndex: row.tableIndex,
    database: row.database,
    schema: row.schema,
    table: row.table,
  };
  return {
    table,
    target: row.target,
    tableKeyPrefix: row.tableKeyPrefix,
    status: row.status,
    skipReason: row.skipReason,
    skipDetail: row.skipDetail,
    columns: row.columns ?? [],
    partitioning: row.partitioning,
    singleWorkerReason: row.singleWorkerReason,
    numberOfCompletedPartitions: row.completed,
    rowCount: row.rowCount,
    bytes: row.bytes,
    extractionStartTime: row.extractionStartTime?.toISOString() ?? null,
    extractionEndTime: row.extractionEndTime?.toISOString() ?? null,
    objectKeys: row.objectKeys,
    nulledValues: row.nulledValues,
  };
}
