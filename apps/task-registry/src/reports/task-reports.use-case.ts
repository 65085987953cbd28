import { Inject, Injectable } from '@nestjs/common';
import { GetExportReportRpc, GetPartitionStateRpc, GetTaskStatusRpc, RpcResponse } from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { PartitionKey, PlanRepository } from '../plan/plan.repository';
import { RecordedPlanRepository } from '../plan/recorded-plan.repository';
import { toExportTask } from '../tasks/export-task-view';
import { requireTask, specOf } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';

export type ExportReport = RpcResponse<typeof GetExportReportRpc>;

/** Read-only views other stages use: a task's status, a partition's state, and what metadata-writer reports. */
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
}
