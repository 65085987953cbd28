import { Inject, Injectable } from '@nestjs/common';
import {
  ExportPlanned,
  Fault,
  PartitionRequested,
  PlannedTable,
  rangeTilingFault,
  RecordPlanRpc,
  ProposeTablePlansRpc,
  RpcRequest,
  RpcResponse,
  TablePlanEntry,
  TablePlanned,
  TableSkipped,
} from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { Connection, RegistryDatabase } from '../database/registry-database';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { isTerminal } from '../tasks/task-status';
import { requireTask, specOf, TaskRecord } from '../tasks/task-record';
import { TaskRepository } from '../tasks/task.repository';
import { TaskTransitions } from '../tasks/task-transitions';
import { PlanRecorder } from '../events/plan-recorder';
import { planAnnouncement } from './plan-announcement';
import { RecordedPlanRepository } from './recorded-plan.repository';

type RecordPlanRequest = RpcRequest<typeof RecordPlanRpc>;
type RecordPlanOutcome = RpcResponse<typeof RecordPlanRpc>;

/**
 * Keeps one plan per task. A restorer that dies or loses the bus while publishing would otherwise plan
 * again on redelivery, with other boundaries (sampling) or at another read point, and the work queue
 * would hold partitions of two plans: rows missing or twice, under a COMPLETE status. So the plan is
 * recorded first, whole, and only the recorded plan is ever announced, from the outbox.
 */
@Injectable()
export class RecordPlanUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(RecordedPlanRepository) private readonly plans: RecordedPlanRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(TaskTransitions) private readonly transitions: TaskTransitions,
    @Inject(PlanRecorder) private readonly recorder: PlanRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async propose(
    request: RpcRequest<typeof ProposeTablePlansRpc>,
  ): Promise<RpcResponse<typeof ProposeTablePlansRpc>> {
    return this.database.transaction(async (tx) => {
      requireTask(await this.tasks.findByTaskId(tx, request.taskId), request.taskId);
      const recordedAttempt = await this.plans.recordedAttempt(tx, request.taskId);
      if (recordedAttempt === null) {
        await this.plans.propose(tx, request.taskId, request.attempt, request.entries);
      }
      return { recordedAttempt };
    });
  }

  async record(request: RecordPlanRequest): Promise<RecordPlanOutcome> {
    const outcome = await this.database.transaction(async (tx) => {
      const task = requireTask(await this.tasks.lockByTaskId(tx, request.taskId), request.taskId);
      const recordedAttempt = await this.plans.recordedAttempt(tx, task.taskId);
      if (recordedAttempt !== null) return { outcome: 'RECORDED' as const, recordedAttempt };
      return this.recordFirst(tx, task, request);
    });
    this.relay.kick();
    return outcome;
  }

  private async recordFirst(
    tx: Connection,
    task: TaskRecord,
    request: RecordPlanRequest,
  ): Promise<RecordPlanOutcome> {
    const entries = await this.plans.entriesOf(tx, task.taskId, request.attempt);
    if (entries.length !== request.entryCount) {
      throw new Fault(
        'InternalFailure',
        `Plan attempt ${request.attempt} of task ${task.taskId} proposed ${entries.length} of ${request.entryCount} tables.`,
      );
    }
    const refusal = tilingRefusal(entries);
    if (refusal !== null) {
      this.logger.error({ taskId: task.taskId, attempt: request.attempt, refusal }, 'plan refused');
      if (!isTerminal(task.status)) await this.transitions.fail(tx, task, 'PLANNING', refusal);
      return { outcome: 'REFUSED', failureCause: refusal };
    }
    await this.plans.record(tx, task.taskId, request.attempt);
    // A task that ended meanwhile needs no partitions read; its recorded plan only refuses later attempts.
    if (!isTerminal(task.status)) await this.announce(tx, task, entries, request);
    this.logger.info(
      { taskId: task.taskId, attempt: request.attempt, tables: entries.length },
      'plan recorded; announcing it',
    );
    return { outcome: 'RECORDED', recordedAttempt: request.attempt };
  }

  /**
   * The registry applies the plan itself, so the task never waits for its own announcements, and
   * the outbox announces it to everyone else: tables, ExportPlanned, then the partitions to read.
   */
  private async announce(
    tx: Connection,
    task: TaskRecord,
    entries: TablePlanEntry[],
    request: RecordPlanRequest,
  ): Promise<void> {
    const announcement = planAnnouncement(specOf(task), entries, request);
    await this.recorder.applyAnnouncement(tx, task, announcement);
    for (const event of announcement.tablesSkipped) await this.outbox.enqueue(tx, TableSkipped, event);
    for (const event of announcement.tablesPlanned) await this.outbox.enqueue(tx, TablePlanned, event);
    await this.outbox.enqueue(tx, ExportPlanned, announcement.exportPlanned);
    for (const event of announcement.partitions) await this.outbox.enqueue(tx, PartitionRequested, event);
  }
}

/** The cause a plan is refused with when a table's partitions would miss or repeat keys. */
function tilingRefusal(entries: TablePlanEntry[]): string | null {
  for (const entry of entries) {
    if (entry.kind !== 'planned') continue;
    const fault = rangeTilingFault(entry.ranges);
    if (fault !== null) return planFaultCause(entry, fault);
  }
  return null;
}

function planFaultCause(table: PlannedTable, fault: string): string {
  return (
    `The partition plan of table ${table.target} does not cover its rows exactly once (${fault}), ` +
    'so it was not exported. Start the export again; if this repeats, report it with the task id.'
  );
}
