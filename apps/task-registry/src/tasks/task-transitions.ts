import { Inject, Injectable } from '@nestjs/common';
import {
  CancelRequested,
  eventIdFor,
  FailureStage,
  TaskCanceled,
  taskEventFields,
  TaskFailed,
} from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { PlanRepository } from '../plan/plan.repository';
import { TaskRecord } from './task-record';
import { TaskRepository } from './task.repository';

/** Status changes that other services must hear about, each with its event in the same transaction. */
@Injectable()
export class TaskTransitions {
  constructor(
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
  ) {}

  async requestCancel(tx: Connection, task: TaskRecord): Promise<void> {
    await this.tasks.setStatus(tx, task.taskId, 'CANCELING');
    await this.outbox.enqueue(tx, CancelRequested, {
      ...taskEventFields(task),
      eventId: eventIdFor(CancelRequested, task.taskId),
    });
  }

  async finishCancel(tx: Connection, task: TaskRecord, taskEndTime: Date): Promise<void> {
    await this.tasks.markCanceled(tx, task.taskId, taskEndTime);
    await this.plans.cancelUnfinishedTables(tx, task.taskId);
    await this.outbox.enqueue(tx, TaskCanceled, {
      ...taskEventFields(task),
      eventId: eventIdFor(TaskCanceled, task.taskId),
      taskEndTime: taskEndTime.toISOString(),
    });
  }

  /** The registry itself found the task cannot finish; the stages hear it as they hear any TaskFailed. */
  async fail(tx: Connection, task: TaskRecord, stage: FailureStage, failureCause: string): Promise<void> {
    const failedAt = new Date();
    await this.tasks.fail(tx, task.taskId, failureCause, failedAt);
    await this.outbox.enqueue(tx, TaskFailed, {
      ...taskEventFields(task),
      eventId: eventIdFor(TaskFailed, task.taskId, stage, 'registry'),
      stage,
      failureCause,
    });
  }
}
