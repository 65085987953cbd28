import { Inject, Injectable } from '@nestjs/common';
import { DescribeExportTasksInput, ExportTask } from '@snapex/contracts';
import { Connection, RegistryDatabase } from '../database/registry-database';
import { toExportTask } from '../tasks/export-task-view';
import { requireOwnTask, TaskRecord } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';
import { describeCriteria } from './describe-criteria';
import { encodeMarker } from './marker';
import { tasksThatFit } from './page-budget';

export interface DescribeExportTasksResult {
  ExportTasks: ExportTask[];
  Marker?: string;
}

/** DescribeExportTasks: the caller's own tasks, newest first, a page at a time. */
@Injectable()
export class DescribeExportTasksUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
  ) {}

  async execute(accountId: string, input: DescribeExportTasksInput): Promise<DescribeExportTasksResult> {
    const criteria = describeCriteria(input);
    return this.database.read(async (connection) => {
      if (input.ExportTaskIdentifier !== undefined) {
        await this.requireTask(connection, accountId, input.ExportTaskIdentifier);
      }
      // One extra row tells whether another page follows.
      const found = await this.tasks.list(connection, {
        accountId,
        conditions: criteria.conditions,
        beforeSeq: criteria.beforeSeq,
        limit: criteria.maxRecords + 1,
      });
      const candidates = found.slice(0, criteria.maxRecords);
      const views = await this.views(connection, candidates);
      const fitting = tasksThatFit(views);
      const result: DescribeExportTasksResult = { ExportTasks: views.slice(0, fitting) };
      if (found.length > fitting) result.Marker = encodeMarker(candidates[fitting - 1].seq);
      return result;
    });
  }

  private async requireTask(connection: Connection, accountId: string, identifier: string): Promise<void> {
    requireOwnTask(await this.tasks.findByIdentifier(connection, accountId, identifier), identifier);
  }

  private async views(connection: Connection, page: TaskRecord[]): Promise<ExportTask[]> {
    const skipped = await this.tasks.skippedTablesOf(
      connection,
      page.map((task) => task.taskId),
    );
    return page.map((task) => toExportTask(task, skipped.get(task.taskId)));
  }
}
