import { Inject, Injectable } from '@nestjs/common';
import { RetryableError } from '@snapex/bus';
import { EventPayload, ExportPlanned, TablePlanned, TableSkipped } from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { PlanAnnouncement } from '../plan/plan-announcement';
import { PlanRepository } from '../plan/plan.repository';
import { TaskRecord } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';
import { EventApplication } from './event-application';
import { ExtractionTracker } from './extraction-tracker';
import { ProcessedEventRepository } from './processed-event.repository';

/** Records what the restorer planned: tables, skipped tables, and the plan as a whole. */
@Injectable()
export class PlanRecorder {
  constructor(
    @Inject(EventApplication) private readonly application: EventApplication,
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(ExtractionTracker) private readonly tracker: ExtractionTracker,
    @Inject(ProcessedEventRepository) private readonly processedEvents: ProcessedEventRepository,
  ) {}

  async tablePlanned(event: EventPayload<typeof TablePlanned>): Promise<void> {
    await this.application.applyOnce(event, (tx) => this.applyTablePlanned(tx, event));
  }

  /** A table an extractor skips mid-export leaves the totals, which may end extraction or a cancel. */
  async tableSkipped(event: EventPayload<typeof TableSkipped>): Promise<void> {
    await this.application.applyOnce(event, async (tx) => {
      await this.plans.recordTableSkipped(tx, event);
      await this.tracker.update(tx, event.taskId);
    });
  }

  async exportPlanned(event: EventPayload<typeof ExportPlanned>): Promise<void> {
    await this.application.applyOnce(event, async (tx, task) => {
      await this.requireEveryTableRecorded(tx, event);
      await this.applyExportPlanned(tx, task, event);
    });
  }

  /**
   * Applies a plan's announcement in the transaction that records the plan, claiming each event, so
   * that the task moves on with the whole plan at once and the copies the bus delivers change nothing.
   */
  async applyAnnouncement(tx: Connection, task: TaskRecord, announcement: PlanAnnouncement): Promise<void> {
    for (const event of announcement.tablesSkipped) {
      if (await this.claim(tx, event)) await this.plans.recordTableSkipped(tx, event);
    }
    for (const event of announcement.tablesPlanned) {
      if (await this.claim(tx, event)) await this.applyTablePlanned(tx, event);
    }
    if (await this.claim(tx, announcement.exportPlanned)) {
      await this.applyExportPlanned(tx, task, announcement.exportPlanned);
    }
  }

  private claim(tx: Connection, event: { eventId: string; taskId: string }): Promise<boolean> {
    return this.processedEvents.claim(tx, event.eventId, event.taskId);
  }

  private async applyTablePlanned(tx: Connection, event: EventPayload<typeof TablePlanned>): Promise<void> {
    await this.plans.recordTablePlanned(tx, event);
    await this.plans.refreshTableStatus(tx, event.taskId, event.table.tableIndex);
  }

  private async applyExportPlanned(
    tx: Connection,
    task: TaskRecord,
    event: EventPayload<typeof ExportPlanned>,
  ): Promise<void> {
    await this.tasks.recordPlan(
      tx,
      task.taskId,
      {
        tableCount: event.tableCount,
        skippedTableCount: event.skippedTableCount,
        partitionCount: event.partitionCount,
      },
      new Date(event.exportTime),
      event.general,
      event.skippedObjectives,
    );
    if (task.status === 'STARTING') await this.tasks.setStatus(tx, task.taskId, 'IN_PROGRESS');
    // Partitions exported before the plan was known are counted now.
    await this.tracker.update(tx, task.taskId, ['plan']);
  }

  /**
   * ExportPlanned travels on its own subject and may overtake the table events it sums up;
   * tableCount counts TablePlanned events, skippedTableCount the restorer's TableSkipped events.
   */
  private async requireEveryTableRecorded(tx: Connection, event: EventPayload<typeof ExportPlanned>) {
    const counts = await this.plans.planCounts(tx, event.taskId);
    if (counts.planned < event.tableCount || counts.skippedUnplanned < event.skippedTableCount) {
      throw new RetryableError(
        `ExportPlanned for task ${event.taskId} arrived before its tables: ` +
          `${counts.planned}/${event.tableCount} planned, ${counts.skippedUnplanned}/${event.skippedTableCount} skipped`,
        // The tables are on their way on another consumer; a long wait would only delay progress.
        250,
      );
    }
  }
}
