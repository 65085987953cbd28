import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher, RpcClient, TaskFailureError } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import {
  eventIdFor,
  GetTaskStatusRpc,
  PlannedTable,
  ReadPoint,
  RpcResponse,
  TableRef,
  tableKeyPrefix,
  TablePlanEntry,
  tableTarget,
  taskEventFields,
  TaskFailed,
  TaskSpec,
  TERMINAL_STATUSES,
} from '@snapex/contracts';
import {
  DatabaseEngine,
  DiscoveredTable,
  PinnedReadPoint,
  tableFailureCause,
  UnexportedObject,
} from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER, StoppedTasks } from '@snapex/service';
import { connecting } from './connection-errors';
import { ExportOnlyFilter } from './export-only-filter';
import { PlanDraft, PlanRecording } from './plan-recording';
import { ReadPointHolder } from './read-point-holder';
import { ExportReadTargets, ReadTargets } from './read-targets';
import { RestoreFailedError } from './restore/restore-failures';
import { ReadTarget } from './restore/scratch-copies';
import { ScratchJanitor } from './restore/scratch-janitor';
import { SkipVerdict, skipVerdict, unexportedVerdict, unmatchedObjective } from './skip-rules';
import { withUniqueFolders } from './table-folders';

/** One database being planned: where it is read and the point it is read at. */
interface PlanningDatabase {
  engine: DatabaseEngine;
  target: ReadTarget;
  point: PinnedReadPoint;
}

type TaskState = RpcResponse<typeof GetTaskStatusRpc>;

/**
 * Plans an export: puts its databases where they can be read (restores a snapshot into scratch
 * databases, clones a live MySQL database, or pins a live PostgreSQL database in place), lists their
 * tables, applies ExportOnly and the seed's skip rules, and hands the whole plan to the registry,
 * which records one plan per task and announces it: tables, ExportPlanned, then every partition.
 * Nothing is published from here, so a restorer that dies half-way leaves no partial plan behind,
 * and a redelivered planning message finds the recorded plan and plans nothing again.
 */
@Injectable()
export class PlanExport {
  constructor(
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(ReadPointHolder) private readonly holder: ReadPointHolder,
    @Inject(StoppedTasks) private readonly stopped: StoppedTasks,
    @Inject(ReadTargets) private readonly readTargets: ReadTargets,
    @Inject(ScratchJanitor) private readonly janitor: ScratchJanitor,
    @Inject(PlanRecording) private readonly recording: PlanRecording,
  ) {}

  async execute(spec: TaskSpec): Promise<void> {
    const log = this.logger.child({ taskId: spec.taskId, exportTaskIdentifier: spec.exportTaskIdentifier });
    const state = await this.rpc.call(GetTaskStatusRpc, { taskId: spec.taskId });
    if (state.planRecorded) {
      log.info('the plan of this task is already recorded; the registry announces it');
      return;
    }
    const draft = new PlanDraft(randomUUID());
    try {
      if (this.isPlannable(spec, state)) {
        if (!(await this.planAll(spec, draft, log))) return;
      } else {
        log.info('task is canceling or over; recording an empty plan');
      }
      log.info(
        { step: 4, attempt: draft.attempt, tables: draft.entries.length, partitions: draft.partitionCount },
        'plan complete; recording it',
      );
      if (await this.recordPlan(spec, draft, log)) this.holdReadPoints(spec, draft);
    } finally {
      await draft.releaseUnheldPoints();
    }
    // A task that ended while its copies were made heard its end signal when there was nothing to drop.
    if (this.stopped.has(spec.taskId) && (await this.hasEnded(spec.taskId))) {
      await this.janitor.dropTaskCopies(spec.taskId);
    }
  }

  private isPlannable(spec: TaskSpec, state: TaskState): boolean {
    if (this.stopped.has(spec.taskId)) return false;
    return state.status !== 'CANCELING' && !TERMINAL_STATUSES.includes(state.status);
  }

  /** Plans every database into the draft; false when the restore failed and the task was failed. */
  private async planAll(spec: TaskSpec, draft: PlanDraft, log: Logger): Promise<boolean> {
    let prepared: ExportReadTargets;
    try {
      // No plan is recorded, so nothing reads the copies an earlier attempt may have left: redo them.
      prepared = await this.readTargets.prepare(spec, true, log);
    } catch (error) {
      if (error instanceof RestoreFailedError) {
        await this.failRestore(spec, error, log);
        return false;
      }
      throw error;
    }
    draft.exportTime = prepared.exportTime;
    for (const target of prepared.targets) {
      if (this.stopped.has(spec.taskId)) return true;
      await this.planDatabase(spec, prepared, target, draft, log);
    }
    draft.skippedObjectives = prepared.filter
      .unmatchedItems(
        prepared.targets.map((target) => target.database),
        draft.entries.map((entry) => entry.table),
      )
      .map(unmatchedObjective);
    separateSharedFolders(draft, log);
    return true;
  }

  /** Plans the tables of one database into the draft. */
  private async planDatabase(
    spec: TaskSpec,
    prepared: ExportReadTargets,
    target: ReadTarget,
    draft: PlanDraft,
    log: Logger,
  ): Promise<void> {
    const { engine } = prepared;
    log.info(
      { step: 2, database: target.database, readDatabase: target.readDatabase },
      'pinning a consistent read point',
    );
    const point = await connecting('database server', () =>
      engine.pinReadPoint(target.source, target.readDatabase),
    );
    draft.exportTime ??= point.pinnedAt;
    const firstEntry = draft.entries.length;
    try {
      await this.planTables(spec, prepared, { engine, target, point }, draft, log);
    } catch (error) {
      await point.release();
      throw error;
    }
    const plannedHere = draft.entries.slice(firstEntry).some((entry) => entry.kind === 'planned');
    // A scratch copy never changes, so extractors read it without the pinned snapshot: nothing to hold,
    // and the export outlives a restart of this restorer.
    if (plannedHere && target.scratchServer === null) draft.keepLivePoint(point);
    else await point.release();
  }

  private async planTables(
    spec: TaskSpec,
    { filter }: ExportReadTargets,
    planning: PlanningDatabase,
    draft: PlanDraft,
    log: Logger,
  ): Promise<void> {
    const { engine, target, point } = planning;
    const tables = (await point.listTables(spec.output?.typeMode))
      .map((table) => underExportedName(table, engine, target))
      .filter((table) => filter.includesTable(target.database, table.schema, table.table));
    log.info(
      { step: 3, database: target.database, tables: tables.length, snapshotId: point.snapshotId },
      'planning tables',
    );
    for (const table of tables) {
      if (this.stopped.has(spec.taskId)) break;
      draft.entries.push(await this.planTable(spec, planning, table, draft.entries.length));
    }
    await this.planUnexported(planning, filter, draft);
  }

  /** Views, sequences and the like ExportOnly takes in are planned as skipped, each with its reason. */
  private async planUnexported(
    { engine, target, point }: PlanningDatabase,
    filter: ExportOnlyFilter,
    draft: PlanDraft,
  ): Promise<void> {
    const objects = (await point.listUnexportedObjects())
      .map((object) => underExportedName(object, engine, target))
      .filter((object) => filter.includesTable(target.database, object.schema, object.name));
    for (const object of objects) {
      const ref: TableRef = {
        tableIndex: draft.entries.length,
        database: target.database,
        schema: object.schema,
        table: object.name,
      };
      draft.entries.push(skippedEntry(ref, unexportedVerdict(object, target.database)));
    }
  }

  private async planTable(
    spec: TaskSpec,
    planning: PlanningDatabase,
    table: DiscoveredTable,
    tableIndex: number,
  ): Promise<TablePlanEntry> {
    const ref: TableRef = {
      tableIndex,
      database: planning.target.database,
      schema: table.schema,
      table: table.table,
    };
    const verdict = skipVerdict(table);
    if (verdict) return skippedEntry(ref, verdict);
    const plan = await this.partitionsOf(planning, table, tableTarget(ref));
    const planned: PlannedTable = {
      kind: 'planned',
      table: ref,
      target: tableTarget(ref),
      tableKeyPrefix: tableKeyPrefix(
        spec.s3Prefix,
        spec.exportTaskIdentifier,
        ref.database,
        ref.schema,
        ref.table,
      ),
      columns: table.columns,
      partitioning: plan.info,
      singleWorkerReason: plan.singleWorkerReason,
      estimatedBytes: table.estimatedBytes,
      ranges: plan.ranges,
      readPoint: readPointOf(spec, planning),
    };
    return planned;
  }

  /**
   * A call that failed may still have recorded the plan (its answer lost with the bus): the live points
   * stay held, as for a recorded plan, so extractors can read at them if it was; the task's end frees them.
   */
  private async recordPlan(spec: TaskSpec, draft: PlanDraft, log: Logger): Promise<boolean> {
    try {
      return await this.recording.record(spec, draft, log);
    } catch (error) {
      this.holdReadPoints(spec, draft);
      throw error;
    }
  }

  /** A table the source refuses to let us plan fails the task naming it, as reading it would. */
  private async partitionsOf(planning: PlanningDatabase, table: DiscoveredTable, target: string) {
    try {
      return await planning.point.planPartitions(table, this.config.restorer.partitionTargetBytes);
    } catch (error) {
      const cause = tableFailureCause(error, planning.engine, target);
      if (cause !== null) throw new TaskFailureError(cause, { cause: error });
      throw error;
    }
  }

  /**
   * Extractors read a live source at the pinned points for as long as the task runs; the draft keeps
   * only the points of databases with partitions to read.
   */
  private holdReadPoints(spec: TaskSpec, draft: PlanDraft): void {
    for (const point of draft.takeLivePoints()) this.holder.hold(spec.taskId, point);
  }

  /** Fails the task with the restore's own cause and drops whatever copies were made. */
  private async failRestore(spec: TaskSpec, error: RestoreFailedError, log: Logger): Promise<void> {
    log.error({ err: error }, 'restore failed; failing the task');
    this.stopped.add(spec.taskId);
    await this.publisher.publish(TaskFailed, {
      ...taskEventFields(spec),
      eventId: eventIdFor(TaskFailed, spec.taskId, 'PLANNING', 'restore'),
      stage: 'PLANNING',
      failureCause: error.failureCause,
    });
    await this.janitor.dropTaskCopies(spec.taskId);
  }

  private async hasEnded(taskId: string): Promise<boolean> {
    const { status } = await this.rpc.call(GetTaskStatusRpc, { taskId });
    return TERMINAL_STATUSES.includes(status);
  }
}

/** A scratch copy is read without the pinned snapshot (nothing writes to it); a live source at it. */
function readPointOf(spec: TaskSpec, { engine, target, point }: PlanningDatabase): ReadPoint {
  return {
    engine: engine.engine,
    sourceName: spec.sourceName,
    database: target.readDatabase,
    snapshotId: target.scratchServer === null ? point.snapshotId : null,
    scratchServer: target.scratchServer,
  };
}

function skippedEntry(ref: TableRef, verdict: SkipVerdict): TablePlanEntry {
  return {
    kind: 'skipped',
    table: ref,
    target: tableTarget(ref),
    reason: verdict.reason,
    detail: verdict.detail,
  };
}

/** Tables the seed's character rule gives one folder are written to folders of their own, with a warning each. */
function separateSharedFolders(draft: PlanDraft, log: Logger): void {
  const { entries, warnings } = withUniqueFolders(draft.entries);
  if (warnings.length === 0) return;
  draft.entries.splice(0, draft.entries.length, ...entries);
  draft.general.push(...warnings);
  log.warn({ warnings }, 'tables whose S3 folders would be one are written to folders of their own');
}

/**
 * A copy is read under its scratch name, but the export names the database the user knows; where the
 * engine has no schemas, the database also stands in as each table's schema (`<db>/<db>.<table>/`).
 */
function underExportedName<T extends DiscoveredTable | UnexportedObject>(
  listed: T,
  engine: DatabaseEngine,
  target: ReadTarget,
): T {
  return engine.hasSchemas ? listed : { ...listed, schema: target.database };
}
