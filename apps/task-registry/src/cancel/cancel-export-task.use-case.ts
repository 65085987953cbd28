import { Inject, Injectable } from '@nestjs/common';
import { ExportTask, Fault } from '@snapex/contracts';
import { Connection, RegistryDatabase } from '../database/registry-database';
import { OutboxRelay } from '../outbox/outbox-relay';
import { toExportTask } from '../tasks/export-task-view';
import { requireOwnTask, TaskRecord } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';
import { isTerminal } from '../tasks/task-status';
import { TaskTransitions } from '../tasks/task-transitions';

/** CancelExportTask: a running task becomes CANCELING until every stage has stopped. */
@Injectable()
export class CancelExportTaskUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(TaskTransitions) private readonly transitions: TaskTransitions,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async execute(accountId: string, identifier: string): Promise<ExportTask> {
    const task = await this.database.transaction(async (tx) => {
      const found = await this.tasks.lockByIdentifier(tx, accountId, identifier);
      return this.cancel(tx, requireOwnTask(found, identifier));
    });
    this.relay.kick();
    const skipped = await this.database.read((connection) =>
      this.tasks.skippedTablesOf(connection, [task.taskId]),
    );
    return toExportTask(task, skipped.get(task.taskId));
  }

  private async cancel(tx: Connection, task: TaskRecord): Promise<TaskRecord> {
    if (isTerminal(task.status)) {
      throw new Fault(
        'InvalidExportTaskStateFault',
        `The export task with the ID ${task.exportTaskIdentifier} is already ${task.status.toLowerCase()}.`,
      );
    }
    // Canceling twice is not an error: the first request is still being carried out.
    if (task.status === 'CANCELING') return task;
    await this.transitions.requestCancel(tx, task);
    return { ...task, status: 'CANCELING' };
  }
}
