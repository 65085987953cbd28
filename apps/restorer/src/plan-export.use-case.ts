import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher, PermanentError, RetryableError, RpcClient } from '@snapex/bus';
import { SnapexConfig, SourceCatalogue, SourceConfig } from '@snapex/config';
import {
  EventPayload,
  ExportPlanned,
  eventIdFor,
  GetTaskStatusRpc,
  partitionKeyPrefix,
  PartitionRequested,
  TableRef,
  TablePlanned,
  tableKeyPrefix,
  TableSkipped,
  tableTarget,
  taskEventFields,
  TaskSpec,
  TERMINAL_STATUSES,
} from '@snapex/contracts';
import { DatabaseEngine, DiscoveredTable, engineFor, PinnedReadPoint } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER, StoppedTasks } from '@snapex/service';
import { ExportOnlyFilter } from './export-only-filter';
import { ReadPointHolder } from './read-point-holder';
import { skipVerdict } from './skip-rules';

type PartitionRequest = EventPayload<typeof PartitionRequested>;

interface PlanTally {
  tables: number;
  skipped: number;
  /** Work items, published only after ExportPlanned so the registry knows the whole plan first. */
  partitions: PartitionRequest[];
  general: { reason: string; detail?: string }[];
  pinnedAt: Date | null;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03']);

/**
 * Pins one consistent read point per database of a live cluster, lists its tables, applies ExportOnly
 * and the seed's skip rules, and publishes the plan: TableSkipped and TablePlanned per table, then
 * ExportPlanned with the counts, then one PartitionRequested per partition onto the work queue —
 * in that order, so progress is measured against the whole plan from the first partition on.
 */
@Injectable()
export class PlanExport {
  private readonly sources: SourceCatalogue;

  constructor(
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(ReadPointHolder) private readonly holder: ReadPointHolder,
    @Inject(StoppedTasks) private readonly stopped: StoppedTasks,
  ) {
    this.sources = new SourceCatalogue(config);
  }

  async execute(spec: TaskSpec): Promise<void> {
    const log = this.logger.child({ taskId: spec.taskId, exportTaskIdentifier: spec.exportTaskIdentifier });
    const tally: PlanTally = { tables: 0, skipped: 0, partitions: [], general: [], pinnedAt: null };
    if (await this.isStopped(spec.taskId)) {
      log.info('task is canceling or over; publishing an empty plan');
      return this.publishPlanned(spec, tally);
    }
    const source = this.sources.find(spec.accountId, spec.sourceName);
    if (!source)
      throw new PermanentError(`source ${spec.sourceName} is not registered for ${spec.accountId}`);
    const engine = engineFor(source.engine);
    log.info({ step: 1, source: source.name, engine: source.engine }, 'listing databases');
    const databases = await this.connecting(() => engine.listDatabases(source));
    const filter = new ExportOnlyFilter(spec.exportOnly, engine.hasSchemas);
    let tableIndex = 0;
    for (const database of databases.filter((name) => filter.includesDatabase(name))) {
      if (this.stopped.has(spec.taskId)) break;
      log.info({ step: 2, database }, 'pinning a consistent read point');
      const point = await this.connecting(() => engine.pinReadPoint(source, database));
      tally.pinnedAt ??= point.pinnedAt;
      const tables = (await point.listTables()).filter((table) =>
        filter.includesTable(database, table.schema, table.table),
      );
      log.info({ step: 3, database, tables: tables.length, snapshotId: point.snapshotId }, 'planning tables');
      const planned = await this.planTables(spec, source, engine, point, tables, tableIndex, tally);
      tableIndex += tables.length;
      if (planned > 0) this.holder.hold(spec.taskId, point);
      else await point.release();
    }
    log.info(
      { step: 4, tables: tally.tables, skipped: tally.skipped, partitions: tally.partitions.length },
      'plan complete; requesting partitions',
    );
    await this.publishPlanned(spec, tally);
    // All of them, even for a task canceled meanwhile: ExportPlanned announced this many, and an
    // extractor abandons the partitions of a canceled task at once.
    for (const request of tally.partitions) await this.publisher.publish(PartitionRequested, request);
  }

  /** Publishes every table of one database; returns how many tables have partitions to read. */
  private async planTables(
    spec: TaskSpec,
    source: SourceConfig,
    engine: DatabaseEngine,
    point: PinnedReadPoint,
    tables: DiscoveredTable[],
    firstIndex: number,
    tally: PlanTally,
  ): Promise<number> {
    let planned = 0;
    for (const [offset, table] of tables.entries()) {
      if (this.stopped.has(spec.taskId)) break;
      const ref: TableRef = {
        tableIndex: firstIndex + offset,
        database: point.database,
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
      tally.partitions.push(...(await this.planTable(spec, source, engine, point, table, ref)));
      tally.tables++;
      planned++;
    }
    return planned;
  }

  private async planTable(
    spec: TaskSpec,
    source: SourceConfig,
    engine: DatabaseEngine,
    point: PinnedReadPoint,
    table: DiscoveredTable,
    ref: TableRef,
  ): Promise<PartitionRequest[]> {
    const plan = await point.planPartitions(table, this.config.restorer.partitionTargetBytes);
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
        readPoint: {
          engine: engine.engine,
          sourceName: source.name,
          database: point.database,
          snapshotId: point.snapshotId,
          scratchServer: null,
        },
        destination: {
          bucket: spec.s3Bucket,
          iamRoleArn: spec.iamRoleArn,
          kmsKeyId: spec.kmsKeyId,
          partitionKeyPrefix: partitionKeyPrefix(tablePrefix, partitionIndex),
        },
      };
    });
  }

  private async publishPlanned(spec: TaskSpec, tally: PlanTally): Promise<void> {
    await this.publisher.publish(ExportPlanned, {
      ...taskEventFields(spec),
      eventId: eventIdFor(ExportPlanned, spec.taskId),
      exportTime: (tally.pinnedAt ?? new Date()).toISOString(),
      tableCount: tally.tables,
      skippedTableCount: tally.skipped,
      partitionCount: tally.partitions.length,
      general: tally.general,
    });
  }

  private async isStopped(taskId: string): Promise<boolean> {
    if (this.stopped.has(taskId)) return true;
    const { status } = await this.rpc.call(GetTaskStatusRpc, { taskId });
    return status === 'CANCELING' || TERMINAL_STATUSES.includes(status);
  }

  /** A source that cannot be reached now may be reachable on the next delivery. */
  private async connecting<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (CONNECTION_ERRORS.has(code)) {
        throw new RetryableError(`source unreachable: ${(error as Error).message}`, 5000, { cause: error });
      }
      throw error;
    }
  }
}
