import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher, RpcClient } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import {
  EventPayload,
  ExportPlanned,
  eventIdFor,
  ExportTaskStatus,
  GetTaskStatusRpc,
  partitionKeyPrefix,
  PartitionRequested,
  ReadPoint,
  TableRef,
  TablePlanned,
  tableKeyPrefix,
  TableSkipped,
  tableTarget,
  taskEventFields,
  TaskFailed,
  TaskSpec,
  TERMINAL_STATUSES,
} from '@snapex/contracts';
import { DatabaseEngine, DiscoveredTable, PinnedReadPoint } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER, StoppedTasks } from '@snapex/service';
import { connecting } from './connection-errors';
import { ReadPointHolder } from './read-point-holder';
import { ExportReadTargets, ReadTargets } from './read-targets';
import { RestoreFailedError } from './restore/restore-failures';
import { ReadTarget } from './restore/scratch-copies';
import { ScratchJanitor } from './restore/scratch-janitor';
import { skipVerdict } from './skip-rules';

type PartitionRequest = EventPayload<typeof PartitionRequested>;

interface PlanTally {
  tables: number;
  skipped: number;
  /** Work items, published only after ExportPlanned so the registry knows the whole plan first. */
  partitions: PartitionRequest[];
  general: { reason: string; detail?: string }[];
  exportTime: Date | null;
}

/** One database being planned: where it is read and the point it is read at. */
interface PlanningDatabase {
  engine: DatabaseEngine;
  target: ReadTarget;
  point: PinnedReadPoint;
}

/**
 * Plans an export: puts its databases where they can be read (restores a snapshot into scratch
 * databases, clones a live MySQL database, or pins a live PostgreSQL database in place), lists their
 * tables, applies ExportOnly and the seed's skip rules, and publishes the plan: TableSkipped and
 * TablePlanned per table, then ExportPlanned with the counts, then one PartitionRequested per partition
 * onto the work queue — in that order, so progress is measured against the whole plan from the first
 * partition on. The task stays STARTING while its data is restored; ExportPlanned moves it on.
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
  ) {}

  async execute(spec: TaskSpec): Promise<void> {
    const log = this.logger.child({ taskId: spec.taskId, exportTaskIdentifier: spec.exportTaskIdentifier });
    const tally: PlanTally = { tables: 0, skipped: 0, partitions: [], general: [], exportTime: null };
    const status = await this.statusOf(spec.taskId);
    if (status === null) {
      log.info('task is canceling or over; publishing an empty plan');
      return this.publishPlanned(spec, tally);
    }
    let prepared: ExportReadTargets;
    try {
      // A task still STARTING has no recorded plan: whatever copies an earlier attempt left are redone.
      prepared = await this.readTargets.prepare(spec, status === 'STARTING', log);
    } catch (error) {
      if (error instanceof RestoreFailedError) return this.failRestore(spec, error, log);
      throw error;
    }
    tally.exportTime = prepared.exportTime;
    let tableIndex = 0;
    for (const target of prepared.targets) {
      if (this.stopped.has(spec.taskId)) break;
      tableIndex += await this.planDatabase(spec, prepared, target, tableIndex, tally, log);
    }
    log.info(
      { step: 4, tables: tally.tables, skipped: tally.skipped, partitions: tally.partitions.length },
      'plan complete; requesting partitions',
    );
    await this.publishPlanned(spec, tally);
    // All of them, even for a task canceled meanwhile: ExportPlanned announced this many, and an
    // extractor abandons the partitions of a canceled task at once.
    for (const request of tally.partitions) await this.publisher.publish(PartitionRequested, request);
    // A task that ended while its copies were made heard its end signal when there was nothing to drop.
    if (this.stopped.has(spec.taskId) && (await this.hasEnded(spec.taskId))) {
      await this.janitor.dropTaskCopies(spec.taskId);
    }
  }

  /** Plans the tables of one database; returns how many tables it has. */
  private async planDatabase(
    spec: TaskSpec,
    prepared: ExportReadTargets,
    target: ReadTarget,
    firstIndex: number,
    tally: PlanTally,
    log: Logger,
  ): Promise<number> {
    const { engine, filter } = prepared;
    log.info(
      { step: 2, database: target.database, readDatabase: target.readDatabase },
      'pinning a consistent read point',
    );
    const point = await connecting('database server', () =>
      engine.pinReadPoint(target.source, target.readDatabase),
    );
    tally.exportTime ??= point.pinnedAt;
    const tables = (await point.listTables())
      .map((table) => underExportedName(table, engine, target))
      .filter((table) => filter.includesTable(target.database, table.schema, table.table));
    log.info(
      { step: 3, database: target.database, tables: tables.length, snapshotId: point.snapshotId },
      'planning tables',
    );
    const planned = await this.planTables(spec, { engine, target, point }, tables, firstIndex, tally);
    // A scratch copy never changes, so extractors read it without the pinned snapshot: nothing to hold,
    // and the export outlives a restart of this restorer.
    if (planned > 0 && target.scratchServer === null) this.holder.hold(spec.taskId, point);
    else await point.release();
    return tables.length;
  }

  /** Publishes every table of one database; returns how many tables have partitions to read. */
  private async planTables(
    spec: TaskSpec,
    planning: PlanningDatabase,
    tables: DiscoveredTable[],
    firstIndex: number,
    tally: PlanTally,
  ): Promise<number> {
    let planned = 0;
    for (const [offset, table] of tables.entries()) {
      if (this.stopped.has(spec.taskId)) break;
      const ref: TableRef = {
        tableIndex: firstIndex + offset,
        database: planning.target.database,
        schema: table.schema,
        table: table.table,
      };
      const verdict = skipVerdict(table);
      if (verdict) {
        await this.publisher.publish(TableSkipped, {
          ...taskEventFields(spec),
          eventId: eventIdFor(TableSkipped, spec.taskId, ref.tableIndex),
          table: ref,
          target: tableTarget(ref),
          reason: verdict.reason,
          detail: verdict.detail,
        });
        tally.skipped++;
        continue;
      }
      tally.partitions.push(...(await this.planTable(spec, planning, table, ref)));
      tally.tables++;
      planned++;
    }
    return planned;
  }

  private async planTable(
    spec: TaskSpec,
    planning: PlanningDatabase,
    table: DiscoveredTable,
    ref: TableRef,
  ): Promise<PartitionRequest[]> {
    const plan = await planning.point.planPartitions(table, this.config.restorer.partitionTargetBytes);
    const tablePrefix = tableKeyPrefix(
      spec.s3Prefix,
      spec.exportTaskIdentifier,
      ref.database,
      ref.schema,
      ref.table,
    );
    await this.publisher.publish(TablePlanned, {
      ...taskEventFields(spec),
      eventId: eventIdFor(TablePlanned, spec.taskId, ref.tableIndex),
      table: ref,
      target: tableTarget(ref),
      tableKeyPrefix: tablePrefix,
      columns: table.columns,
      partitioning: plan.info,
      singleWorkerReason: plan.singleWorkerReason,
      estimatedBytes: table.estimatedBytes,
    });
    return plan.ranges.map((range, offset) => {
      const partitionIndex = offset + 1;
      return {
        ...taskEventFields(spec),
        eventId: eventIdFor(PartitionRequested, spec.taskId, ref.tableIndex, partitionIndex),
        table: ref,
        partitionIndex,
        columns: table.columns,
        range,
        readPoint: readPointOf(spec, planning),
        destination: {
          bucket: spec.s3Bucket,
          iamRoleArn: spec.iamRoleArn,
          kmsKeyId: spec.kmsKeyId,
          sourceArn: spec.sourceArn,
          partitionKeyPrefix: partitionKeyPrefix(tablePrefix, partitionIndex),
        },
      };
    });
  }

  private async publishPlanned(spec: TaskSpec, tally: PlanTally): Promise<void> {
    await this.publisher.publish(ExportPlanned, {
      ...taskEventFields(spec),
      eventId: eventIdFor(ExportPlanned, spec.taskId),
      exportTime: (tally.exportTime ?? new Date()).toISOString(),
      tableCount: tally.tables,
      skippedTableCount: tally.skipped,
      partitionCount: tally.partitions.length,
      general: tally.general,
    });
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

  /** The task's status, or null when it is canceling or over and must not be planned. */
  private async statusOf(taskId: string): Promise<ExportTaskStatus | null> {
    if (this.stopped.has(taskId)) return null;
    const { status } = await this.rpc.call(GetTaskStatusRpc, { taskId });
    return status === 'CANCELING' || TERMINAL_STATUSES.includes(status) ? null : status;
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

/**
 * A copy is read under its scratch name, but the export names the database the user knows; where the
 * engine has no schemas, the database also stands in as each table's schema (`<db>/<db>.<table>/`).
 */
function underExportedName(
  table: DiscoveredTable,
  engine: DatabaseEngine,
  target: ReadTarget,
): DiscoveredTable {
  return engine.hasSchemas ? table : { ...table, schema: target.database };
}
