import { Injectable } from '@nestjs/common';
import { ACTIVE_STATUSES, ExportTaskStatus, SkippedObjective } from '@snapex/contracts';
import { ListCondition, newestFirst } from '../database/newest-first';
import { Connection } from '../database/registry-database';
import { GeneralWarning, PlanSummary, TaskRecord } from './task-record';
import { SkippedTable } from './warning-message';

const TASK_COLUMNS = `
  task_id AS "taskId", seq::text AS seq, account_id AS "accountId",
  export_task_identifier AS "exportTaskIdentifier", source_arn AS "sourceArn", source_type AS "sourceType",
  source_name AS "sourceName", engine, s3_bucket AS "s3Bucket", s3_prefix AS "s3Prefix",
  iam_role_arn AS "iamRoleArn", kms_key_id AS "kmsKeyId", export_only AS "exportOnly", status,
  percent_progress AS "percentProgress", bytes_exported::float8 AS "bytesExported",
  total_extracted_gb AS "totalExtractedGb", export_time AS "exportTime", task_start_time AS "taskStartTime",
  task_end_time AS "taskEndTime", failure_cause AS "failureCause", warnings,
  skipped_objectives AS "skippedObjectives", plan,
  extraction_completed_at AS "extractionCompletedAt", snapshot, output`;

/** Columns DescribeExportTasks may filter on. */
export type FilterableColumn =
  'export_task_identifier' | 'source_arn' | 'source_type' | 's3_bucket' | 'status';

export type TaskCondition = ListCondition<FilterableColumn>;

export interface TaskListQuery {
  accountId: string;
  conditions: TaskCondition[];
  /** Only tasks older than this position (a paging marker). */
  beforeSeq?: string;
  limit: number;
}

export type NewTask = Omit<
  TaskRecord,
  | 'seq'
  | 'percentProgress'
  | 'bytesExported'
  | 'totalExtractedGb'
  | 'exportTime'
  | 'taskEndTime'
  | 'failureCause'
  | 'warnings'
  | 'skippedObjectives'
  | 'plan'
  | 'extractionCompletedAt'
>;

/** export_tasks: one row per export task. */
@Injectable()
export class TaskRepository {
  /** Serializes starts within one account, so the concurrency limits hold however many requests race. */
  async lockAccount(tx: Connection, accountId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('snapex.export-tasks.account'), hashtext($1))`, [
      accountId,
    ]);
  }

  async insert(tx: Connection, task: NewTask): Promise<TaskRecord> {
    const { rows } = await tx.query<TaskRecord>(
      `INSERT INTO export_tasks (task_id, account_id, export_task_identifier, source_arn, source_type,
         source_name, engine, s3_bucket, s3_prefix, iam_role_arn, kms_key_id, export_only, status, task_start_time,
         snapshot, export_time, output)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, ($15::jsonb ->> 'snapshotTime')::timestamptz,
         $16)
       RETURNING ${TASK_COLUMNS}`,
      [
        task.taskId,
        task.accountId,
        task.exportTaskIdentifier,
        task.sourceArn,
        task.sourceType,
        task.sourceName,
        task.engine,
        task.s3Bucket,
        task.s3Prefix,
        task.iamRoleArn,
        task.kmsKeyId,
        JSON.stringify(task.exportOnly),
        task.status,
        task.taskStartTime,
        task.snapshot === null ? null : JSON.stringify(task.snapshot),
        task.output === null ? null : JSON.stringify(task.output),
      ],
    );
    return rows[0];
  }

  async identifierExists(tx: Connection, accountId: string, identifier: string): Promise<boolean> {
    const { rows } = await tx.query(
      'SELECT 1 FROM export_tasks WHERE account_id = $1 AND export_task_identifier = $2',
      [accountId, identifier],
    );
    return rows.length > 0;
  }

  async countActive(tx: Connection, accountId: string): Promise<number> {
    const { rows } = await tx.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM export_tasks WHERE account_id = $1 AND status = ANY($2)',
      [accountId, ACTIVE_STATUSES],
    );
    return rows[0].count;
  }

  async hasActiveForSource(tx: Connection, accountId: string, sourceArn: string): Promise<boolean> {
    const { rows } = await tx.query(
      'SELECT 1 FROM export_tasks WHERE account_id = $1 AND source_arn = $2 AND status = ANY($3)',
      [accountId, sourceArn, ACTIVE_STATUSES],
    );
    return rows.length > 0;
  }

  async findByTaskId(connection: Connection, taskId: string): Promise<TaskRecord | undefined> {
    const { rows } = await connection.query<TaskRecord>(
      `SELECT ${TASK_COLUMNS} FROM export_tasks WHERE task_id = $1`,
      [taskId],
    );
    return rows[0];
  }

  async findByIdentifier(
    connection: Connection,
    accountId: string,
    identifier: string,
  ): Promise<TaskRecord | undefined> {
    const { rows } = await connection.query<TaskRecord>(
      `SELECT ${TASK_COLUMNS} FROM export_tasks WHERE account_id = $1 AND export_task_identifier = $2`,
      [accountId, identifier],
    );
    return rows[0];
  }

  async lockByTaskId(tx: Connection, taskId: string): Promise<TaskRecord | undefined> {
    const { rows } = await tx.query<TaskRecord>(
      `SELECT ${TASK_COLUMNS} FROM export_tasks WHERE task_id = $1 FOR UPDATE`,
      [taskId],
    );
    return rows[0];
  }

  async lockByIdentifier(
    tx: Connection,
    accountId: string,
    identifier: string,
  ): Promise<TaskRecord | undefined> {
    const { rows } = await tx.query<TaskRecord>(
      `SELECT ${TASK_COLUMNS} FROM export_tasks
       WHERE account_id = $1 AND export_task_identifier = $2 FOR UPDATE`,
      [accountId, identifier],
    );
    return rows[0];
  }

  /** Newest first. */
  async list(connection: Connection, query: TaskListQuery): Promise<TaskRecord[]> {
    const { clause, values } = newestFirst('export_tasks', {
      ...query,
      fixed: { account_id: query.accountId },
    });
    const { rows } = await connection.query<TaskRecord>(
      `SELECT ${TASK_COLUMNS} FROM export_tasks ${clause}`,
      values,
    );
    return rows;
  }

  async skippedTablesOf(connection: Connection, taskIds: string[]): Promise<Map<string, SkippedTable[]>> {
    const byTask = new Map<string, SkippedTable[]>();
    if (taskIds.length === 0) return byTask;
    const { rows } = await connection.query<SkippedTable & { taskId: string }>(
      `SELECT task_id AS "taskId", target, skip_reason AS reason FROM export_tables
       WHERE task_id = ANY($1::uuid[]) AND status = 'SKIPPED' ORDER BY task_id, table_index`,
      [taskIds],
    );
    for (const { taskId, target, reason } of rows) {
      const list = byTask.get(taskId) ?? [];
      list.push({ target, reason });
      byTask.set(taskId, list);
    }
    return byTask;
  }

  async setStatus(tx: Connection, taskId: string, status: ExportTaskStatus): Promise<void> {
    await tx.query('UPDATE export_tasks SET status = $2 WHERE task_id = $1', [taskId, status]);
  }

  async recordPlan(
    tx: Connection,
    taskId: string,
    plan: PlanSummary,
    exportTime: Date,
    general: GeneralWarning[],
    skippedObjectives: SkippedObjective[],
  ): Promise<void> {
    await tx.query(
      `UPDATE export_tasks SET plan = $2, export_time = $3, warnings = warnings || $4::jsonb,
         skipped_objectives = $5::jsonb WHERE task_id = $1`,
      [taskId, JSON.stringify(plan), exportTime, JSON.stringify(general), JSON.stringify(skippedObjectives)],
    );
  }

  async recordProgress(
    tx: Connection,
    taskId: string,
    progress: { percentProgress: number; bytesExported: number; totalExtractedGb: number },
  ): Promise<void> {
    await tx.query(
      `UPDATE export_tasks SET percent_progress = $2, bytes_exported = $3, total_extracted_gb = $4
       WHERE task_id = $1`,
      [taskId, progress.percentProgress, progress.bytesExported, progress.totalExtractedGb],
    );
  }

  /** Ends extraction, adding what it found worth a warning (values exported as NULL) to the task's. */
  async markExtractionCompleted(tx: Connection, taskId: string, general: GeneralWarning[]): Promise<void> {
    await tx.query(
      'UPDATE export_tasks SET extraction_completed_at = now(), warnings = warnings || $2::jsonb WHERE task_id = $1',
      [taskId, JSON.stringify(general)],
    );
  }

  async complete(
    tx: Connection,
    taskId: string,
    outcome: { taskEndTime: Date; totalExtractedGb: number; totalBytes: number },
  ): Promise<void> {
    await tx.query(
      `UPDATE export_tasks SET status = 'COMPLETE', percent_progress = 100, task_end_time = $2,
         total_extracted_gb = $3, bytes_exported = GREATEST(bytes_exported, $4)
       WHERE task_id = $1`,
      [taskId, outcome.taskEndTime, outcome.totalExtractedGb, outcome.totalBytes],
    );
  }

  async fail(tx: Connection, taskId: string, failureCause: string, taskEndTime: Date): Promise<void> {
    await tx.query(
      `UPDATE export_tasks SET status = 'FAILED', failure_cause = $2, task_end_time = $3 WHERE task_id = $1`,
      [taskId, failureCause, taskEndTime],
    );
  }

  async markCanceled(tx: Connection, taskId: string, taskEndTime: Date): Promise<void> {
    await tx.query(`UPDATE export_tasks SET status = 'CANCELED', task_end_time = $2 WHERE task_id = $1`, [
      taskId,
      taskEndTime,
    ]);
  }
}
