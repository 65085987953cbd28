import { Inject, Injectable } from '@nestjs/common';
import {
  DescribeExportTablesRpc,
  GetExportReportRpc,
  GetPartitionStateRpc,
  GetTaskStatusRpc,
  RpcResponse,
} from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { PartitionKey, PlanRepository } from '../plan/plan.repository';
import { RecordedPlanRepository } from '../plan/recorded-plan.repository';
import { toExportTask } from '../tasks/export-task-view';
import { requireOwnTask, requireTask, specOf } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';

export type ExportReport = RpcResponse<typeof GetExportReportRpc>;

/**
 * Read-only views: a task's status and a partition's state for other stages, what metadata-writer
 * reports, and a caller's task table by table.
 */
@Injectable()
export class TaskReportsUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(RecordedPlanRepository) private readonly recordedPlans: RecordedPlanRepository,
  ) {}

  async status(taskId: string): Promise<RpcResponse<typeof GetTaskStatusRpc>> {
    return this.database.read(async (connection) => {
      const task = requireTask(await this.tasks.findByTaskId(connection, taskId), taskId);
      const recordedAttempt = await this.recordedPlans.recordedAttempt(connection, taskId);
      return { status: task.status, planRecorded: recordedAttempt !== null };
    });
  }

  async partitionState(key: PartitionKey): Promise<RpcResponse<typeof GetPartitionStateRpc>> {
    return this.database.read(async (connection) => {
      const task = requireTask(await this.tasks.findByTaskId(connection, key.taskId), key.taskId);
      const partitionStatus = await this.plans.partitionStatus(connection, key);
      const table = await this.plans.tableState(connection, key.taskId, key.tableIndex);
      return {
        taskStatus: task.status,
        partitionStatus: partitionStatus ?? 'NOT_STARTED',
        tableSkipped: table?.skipped ?? false,
      };
    });
  }

  async exportReport(taskId: string): Promise<ExportReport> {
    return this.database.read(async (connection) => {
      const task = requireTask(await this.tasks.findByTaskId(connection, taskId), taskId);
      const tables = await this.plans.tableReports(connection, taskId);
      const skipped = tables
        .filter((table) => table.status === 'SKIPPED')
        .map((table) => ({ target: table.target, reason: table.skipReason ?? 'UNKNOWN' }));
      return {
        spec: specOf(task),
        task: toExportTask(task, skipped),
        totalBytes: task.bytesExported,
        tables,
      };
    });
  }

  /** One of the account's tasks, table by table; another account's task is as unknown as a missing one. */
  async tablesOf(
    accountId: string,
    identifier: string,
  ): Promise<RpcResponse<typeof DescribeExportTablesRpc>> {
    return this.database.read(async (connection) => {
      const task = requireOwnTask(
        await this.tasks.findByIdentifier(connection, accountId, identifier),
        identifier,
      );
      return { tables: await this.plans.tableReports(connection, task.taskId) };
    });
  }
}
