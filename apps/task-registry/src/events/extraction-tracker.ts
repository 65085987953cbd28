import { Inject, Injectable } from '@nestjs/common';
import {
  eventIdFor,
  ExtractionCompleted,
  nulledValuesWarning,
  TaskProgressed,
  taskEventFields,
} from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { ExtractionProgress, computeProgress } from '../plan/progress';
import { auditFailureCause, PlanAudit } from '../plan/plan-audit';
import { PlanRepository } from '../plan/plan.repository';
import { specOf, TaskRecord } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';
import { TaskTransitions } from '../tasks/task-transitions';

/**
 * Re-judges a task after its plan or a partition changed: progress, the end of extraction, and the
 * end of a cancel once no extractor is working on it any more.
 */
@Injectable()
export class ExtractionTracker {
  constructor(
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(PlanRepository) private readonly plans: PlanRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(TaskTransitions) private readonly transitions: TaskTransitions,
    @Inject(PlanAudit) private readonly audit: PlanAudit,
  ) {}

  /**
   * @param progressKey names the change, making the TaskProgressed it announces unique; without one,
   * progress is recorded but not announced.
   */
  async update(tx: Connection, taskId: string, progressKey?: (string | number)[]): Promise<void> {
    const task = await this.tasks.findByTaskId(tx, taskId);
    // Progress and completion can only be judged against the whole plan.
    if (!task?.plan) return;
    const progress = computeProgress(await this.plans.tableProgress(tx, taskId));
    await this.tasks.recordProgress(tx, taskId, progress);
    if (task.status === 'CANCELING') return this.finishCancelWhenSettled(tx, task, progress);
    if (task.status !== 'IN_PROGRESS') return;
    if (progressKey && progress.partitionsDone > 0) {
      await this.announceProgress(tx, task, progress, progressKey);
    }
    if (progress.allExported && !task.extractionCompletedAt) await this.completeExtraction(tx, task);
  }

  private async finishCancelWhenSettled(tx: Connection, task: TaskRecord, progress: ExtractionProgress) {
    // Once extraction completed, metadata-writer is at work; its TaskCompleted or TaskFailed ends the cancel.
    if (progress.allSettled && !task.extractionCompletedAt) {
      await this.transitions.finishCancel(tx, task, new Date());
    }
  }

  private async announceProgress(
    tx: Connection,
    task: TaskRecord,
    progress: ExtractionProgress,
    progressKey: (string | number)[],
  ): Promise<void> {
    await this.outbox.enqueue(tx, TaskProgressed, {
      ...taskEventFields(task),
      eventId: eventIdFor(TaskProgressed, task.taskId, ...progressKey),
      percentProgress: progress.percentProgress,
      partitionsDone: progress.partitionsDone,
      partitionsTotal: progress.partitionsTotal,
      tablesDone: progress.tablesDone,
      tablesTotal: progress.tablesTotal,
      bytesExported: progress.bytesExported,
    });
  }

  /** Metadata is written, and the task completed, only for data that adds up to the plan. */
  private async completeExtraction(tx: Connection, task: TaskRecord): Promise<void> {
    const findings = await this.audit.findings(tx, task.taskId);
    if (findings.length > 0) {
      return this.transitions.fail(tx, task, 'EXTRACTION', auditFailureCause(findings));
    }
    const tables = await this.plans.tableReports(tx, task.taskId);
    const nulled = tables.filter((table) => table.nulledValues.length > 0);
    await this.tasks.markExtractionCompleted(
      tx,
      task.taskId,
      nulled.map((table) => nulledValuesWarning(table.target, table.nulledValues)),
    );
    await this.outbox.enqueue(tx, ExtractionCompleted, {
      ...taskEventFields(task),
      eventId: eventIdFor(ExtractionCompleted, task.taskId),
      spec: specOf(task),
    });
  }
}
