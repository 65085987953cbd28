import { Inject, Injectable } from '@nestjs/common';
import { CredentialsValidated, EventPayload, TaskCompleted, TaskFailed } from '@snapex/contracts';
import { TaskRepository } from '../tasks/task.repository';
import { TaskTransitions } from '../tasks/task-transitions';
import { EventApplication } from './event-application';

/** Records how the stages judged the task as a whole. */
@Injectable()
export class OutcomeRecorder {
  constructor(
    @Inject(EventApplication) private readonly application: EventApplication,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(TaskTransitions) private readonly transitions: TaskTransitions,
  ) {}

  /** Nothing in the task changes: it stays STARTING until the restorer has planned the export. */
  async credentialsValidated(event: EventPayload<typeof CredentialsValidated>): Promise<void> {
    await this.application.applyOnce(event, async () => undefined);
  }

  /** While canceling, the end of the last stage ends the cancel; the data already written stays. */
  async taskCompleted(event: EventPayload<typeof TaskCompleted>): Promise<void> {
    await this.application.applyOnce(event, async (tx, task) => {
      const taskEndTime = new Date(event.taskEndTime);
      if (task.status === 'CANCELING') return this.transitions.finishCancel(tx, task, taskEndTime);
      await this.tasks.complete(tx, task.taskId, {
        taskEndTime,
        totalExtractedGb: event.totalExtractedDataInGB,
        totalBytes: event.totalBytes,
      });
    });
  }

  /** The first failure wins: a failed task is terminal, so later failures are not applied. */
  async taskFailed(event: EventPayload<typeof TaskFailed>): Promise<void> {
    await this.application.applyOnce(event, async (tx, task) => {
      const taskEndTime = new Date(event.occurredAt);
      if (task.status === 'CANCELING') return this.transitions.finishCancel(tx, task, taskEndTime);
      await this.tasks.fail(tx, task.taskId, event.failureCause, taskEndTime);
    });
  }
}
