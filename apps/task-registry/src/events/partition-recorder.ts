import { Inject, Injectable } from '@nestjs/common';
import { RetryableError } from '@snapex/bus';
import {
  EventPayload,
  PartitionAbandoned,
  PartitionExported,
  PartitionStarted,
  TableRef,
} from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { PartitionKey, PlanRepository } from '../plan/plan.repository';
import { EventApplication } from './event-application';
import { ExtractionTracker } from './extraction-tracker';

interface PartitionEvent {
  taskId: string;
  table: TableRef;
  partitionIndex: number;
}

/** Records what extractors report about single partitions. */
@Injectable()
export class PartitionRecorder {
  constructor(
    @Inject(EventApplication) private readonly application: EventApplication,
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(ExtractionTracker) private readonly tracker: ExtractionTracker,
  ) {}

  async partitionStarted(event: EventPayload<typeof PartitionStarted>): Promise<void> {
    await this.application.applyOnce(event, async (tx) => {
      const key = await this.knownPartition(tx, event);
      await this.plans.recordPartitionStarted(tx, key, event.extractor, new Date(event.occurredAt));
      await this.plans.refreshTableStatus(tx, key.taskId, key.tableIndex);
    });
  }

  async partitionExported(event: EventPayload<typeof PartitionExported>): Promise<void> {
    await this.application.applyOnce(event, async (tx) => {
      const key = await this.knownPartition(tx, event);
      const wasExported = (await this.plans.partitionStatus(tx, key)) === 'EXPORTED';
      await this.plans.recordPartitionExported(tx, key, event);
      await this.plans.refreshTableStatus(tx, key.taskId, key.tableIndex);
      // A partition rewritten after a redelivery updates its figures but is not progress.
      if (!wasExported) await this.tracker.update(tx, key.taskId, [key.tableIndex, key.partitionIndex]);
    });
  }

  async partitionAbandoned(event: EventPayload<typeof PartitionAbandoned>): Promise<void> {
    await this.application.applyOnce(event, async (tx) => {
      const key = await this.knownPartition(tx, event);
      await this.plans.recordPartitionAbandoned(tx, key, new Date(event.occurredAt));
      await this.tracker.update(tx, key.taskId);
    });
  }

  /**
   * Partition events travel on other subjects than TablePlanned and may overtake it; they wait
   * (nak with a delay) until the table is recorded.
   */
  private async knownPartition(tx: Connection, event: PartitionEvent): Promise<PartitionKey> {
    const table = await this.plans.tableState(tx, event.taskId, event.table.tableIndex);
    if (!table || (!table.planned && !table.skipped)) {
      throw new RetryableError(
        `partition ${event.table.tableIndex}/${event.partitionIndex} of task ${event.taskId} arrived before its table`,
      );
    }
    return { taskId: event.taskId, tableIndex: event.table.tableIndex, partitionIndex: event.partitionIndex };
  }
}
