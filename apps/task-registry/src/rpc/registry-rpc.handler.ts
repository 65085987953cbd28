import { Inject, Injectable } from '@nestjs/common';
import { OnRpc } from '@snapex/bus';
import {
  CancelExportTaskRpc,
  DescribeExportTablesRpc,
  DescribeExportTasksRpc,
  ExportTask,
  GetExportReportRpc,
  GetPartitionStateRpc,
  GetTaskStatusRpc,
  ProposeTablePlansRpc,
  RecordPlanRpc,
  RpcRequest,
  RpcResponse,
  StartExportTaskRpc,
} from '@snapex/contracts';
import { CancelExportTaskUseCase } from '../cancel/cancel-export-task.use-case';
import { DescribeExportTasksUseCase } from '../describe/describe-export-tasks.use-case';
import { RecordPlanUseCase } from '../plan/record-plan.use-case';
import { TaskReportsUseCase } from '../reports/task-reports.use-case';
import { StartExportTaskUseCase } from '../start/start-export-task.use-case';

export const SERVED_RPCS = [
  StartExportTaskRpc,
  DescribeExportTasksRpc,
  CancelExportTaskRpc,
  DescribeExportTablesRpc,
  GetPartitionStateRpc,
  GetTaskStatusRpc,
  GetExportReportRpc,
  ProposeTablePlansRpc,
  RecordPlanRpc,
];

@Injectable()
export class RegistryRpcHandler {
  constructor(
    @Inject(StartExportTaskUseCase) private readonly startExportTask: StartExportTaskUseCase,
    @Inject(DescribeExportTasksUseCase) private readonly describeExportTasks: DescribeExportTasksUseCase,
    @Inject(CancelExportTaskUseCase) private readonly cancelExportTask: CancelExportTaskUseCase,
    @Inject(TaskReportsUseCase) private readonly reports: TaskReportsUseCase,
    @Inject(RecordPlanUseCase) private readonly plans: RecordPlanUseCase,
  ) {}

  @OnRpc(StartExportTaskRpc)
  onStartExportTask(request: RpcRequest<typeof StartExportTaskRpc>): Promise<ExportTask> {
    return this.startExportTask.execute(request.accountId, request.input);
  }

  @OnRpc(DescribeExportTasksRpc)
  onDescribeExportTasks(
    request: RpcRequest<typeof DescribeExportTasksRpc>,
  ): Promise<RpcResponse<typeof DescribeExportTasksRpc>> {
    return this.describeExportTasks.execute(request.accountId, request.input);
  }

  @OnRpc(CancelExportTaskRpc)
  onCancelExportTask(request: RpcRequest<typeof CancelExportTaskRpc>): Promise<ExportTask> {
    return this.cancelExportTask.execute(request.accountId, request.input.ExportTaskIdentifier);
  }

  @OnRpc(DescribeExportTablesRpc)
  onDescribeExportTables(
    request: RpcRequest<typeof DescribeExportTablesRpc>,
  ): Promise<RpcResponse<typeof DescribeExportTablesRpc>> {
    return this.reports.tablesOf(request.accountId, request.input.ExportTaskIdentifier);
  }

  @OnRpc(GetPartitionStateRpc)
  async onGetPartitionState(
    request: RpcRequest<typeof GetPartitionStateRpc>,
  ): Promise<RpcResponse<typeof GetPartitionStateRpc>> {
    return this.reports.partitionState(request);
  }

  @OnRpc(GetTaskStatusRpc)
  async onGetTaskStatus(
    request: RpcRequest<typeof GetTaskStatusRpc>,
  ): Promise<RpcResponse<typeof GetTaskStatusRpc>> {
    return this.reports.status(request.taskId);
  }

  @OnRpc(GetExportReportRpc)
  onGetExportReport(
    request: RpcRequest<typeof GetExportReportRpc>,
  ): Promise<RpcResponse<typeof GetExportReportRpc>> {
    return this.reports.exportReport(request.taskId);
  }

  @OnRpc(ProposeTablePlansRpc)
  onProposeTablePlans(
    request: RpcRequest<typeof ProposeTablePlansRpc>,
  ): Promise<RpcResponse<typeof ProposeTablePlansRpc>> {
    return this.plans.propose(request);
  }

  @OnRpc(RecordPlanRpc)
  onRecordPlan(request: RpcRequest<typeof RecordPlanRpc>): Promise<RpcResponse<typeof RecordPlanRpc>> {
    return this.plans.record(request);
  }
}
