import { Inject, Injectable } from '@nestjs/common';
import { EventBase } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { Connection, RegistryDatabase } from '../database/registry-database';
import { OutboxRelay } from '../outbox/outbox-relay';
import { TaskRecord } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';
import { isTerminal } from '../tasks/task-status';
import { ProcessedEventRepository } from './processed-event.repository';

export type EventChange = (tx: Connection, task: TaskRecord) => Promise<void>;

/**
 * Applies an event to its task exactly once: the event id is claimed, the task row locked and the
 * change made in one transaction, so a redelivery, a concurrent duplicate or a crash mid-way leaves
 * the task as if the event had arrived once. A change that throws rolls the claim back with it.
 */
@Injectable()
export class EventApplication {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(ProcessedEventRepository) private readonly processedEvents: ProcessedEventRepository,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async applyOnce(event: EventBase, change: EventChange): Promise<void> {
    await this.database.transaction(async (tx) => {
      if (!(await this.processedEvents.claim(tx, event.eventId, event.taskId))) return;
      const task = await this.tasks.lockByTaskId(tx, event.taskId);
      if (!this.concernsKnownTask(event, task)) return;
      if (isTerminal(task.status)) return;
      await change(tx, task);
    });
    this.relay.kick();
  }

  /** Events of tasks this registry does not hold (another deployment sharing the bus) are ignored. */
  private concernsKnownTask(event: EventBase, task: TaskRecord | undefined): task is TaskRecord {
    if (task && task.accountId === event.accountId) return true;
    this.logger.debug({ eventId: event.eventId, taskId: event.taskId }, 'event for an unknown task ignored');
    return false;
  }
}
