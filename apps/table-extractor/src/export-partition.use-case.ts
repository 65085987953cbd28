import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { exportRoleOf } from '@snapex/aws';
import { EventPublisher, PermanentError, RetryableError, RpcClient, sleep } from '@snapex/bus';
import { extractorMemoryPlan, SnapexConfig, SourceConfig } from '@snapex/config';
import {
  eventIdFor,
  EventPayload,
  ExportTaskStatus,
  GetPartitionStateRpc,
  GetTaskStatusRpc,
  PartitionAbandoned,
  PartitionExported,
  PartitionRequested,
  PartitionStarted,
  TableSkipped,
  tableTarget,
  taskEventFields,
  TaskFailed,
} from '@snapex/contracts';
import { DatabaseEngine, NulledValues, PartitionReadRequest } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { batchBytes, ColumnarBatch, type OpenPartEncoder } from '@snapex/parquet';
import { CONFIG, LOGGER, StoppedTasks } from '@snapex/service';
import { extractorMetrics } from './extractor-metrics';
import { extractionVerdict, stalledCause } from './extraction-failures';
import { MemoryGuard, peakResidentBytes } from './memory-guard';
import { PartFile } from './part-file';
import { PartSeries } from './part-series';
import { partObjectKey } from './part-object-key';
import { FinishedPartition, finishedFiles } from './partition-record';
import { PartStorage, PartTarget } from './part-upload';
import { ProgressLog } from './progress-log';
import { ReadPointSources } from './read-point-sources';
import { PartitionStalledError, StallWatchdog } from './stall-watchdog';
import { ENGINES, EngineLookup, PART_ENCODER, PART_STORAGE } from './tokens';

export type PartitionRequest = EventPayload<typeof PartitionRequested>;
type AbandonReason = EventPayload<typeof PartitionAbandoned>['reason'];

type Extraction =
  | ({ kind: 'exported' } & FinishedPartition)
  /** The task was canceled or ended while the partition was read. */
  | { kind: 'stopped' }
  /** This process is shutting down; another replica takes the partition. */
  | { kind: 'interrupted' };

const PROGRESS_INTERVAL_MS = 5000;
const RETRY_DELAY_MS = 5000;
const PUBLISH_RETRY_MS = 1000;
const MAX_PUBLISH_RETRY_MS = 10_000;

/** CANCELING/CANCELED abandon as CANCELED, FAILED/COMPLETE as TASK_ENDED; null keeps the partition going. */
function abandonReasonFor(status: ExportTaskStatus, stoppedHere: boolean): AbandonReason | null {
  if (status === 'CANCELING' || status === 'CANCELED') return 'CANCELED';
  if (status === 'FAILED' || status === 'COMPLETE') return 'TASK_ENDED';
  // The registry has not caught up with a signal this process already heard.
  return stoppedHere ? 'CANCELED' : null;
}

function partitionIds(request: PartitionRequest): [number, number] {
  return [request.table.tableIndex, request.partitionIndex];
}

/**
 * Reads one partition at its task's read point and streams it, as one gzip Parquet object, into the
 * caller's bucket; stops between batches when the task is canceled or ends.
 */
@Injectable()
export class ExportPartition implements BeforeApplicationShutdown {
  private readonly sources: ReadPointSources;
  private readonly extractorId = `${hostname()}:${process.pid}`;
  private draining = false;
  private readonly memory: MemoryGuard;
  /** Partitions this process is reading and encoding now, for the logs. */
  private inFlight = 0;
  private readonly maxBatchBytes: number | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(StoppedTasks) private readonly stopped: StoppedTasks,
    @Inject(ENGINES) private readonly engines: EngineLookup,
    @Inject(PART_STORAGE) private readonly storage: PartStorage,
    @Inject(PART_ENCODER) private readonly openEncoder: OpenPartEncoder,
  ) {
    this.sources = new ReadPointSources(config);
    this.memory = new MemoryGuard(config.extractor.memoryLimitBytes);
    const plan = extractorMemoryPlan(config.extractor);
    // A configuration without a plan was refused when the service started.
    this.maxBatchBytes = 'plan' in plan ? plan.plan.maxBatchBytes : undefined;
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  async execute(request: PartitionRequest): Promise<void> {
    const log = this.logger.child({
      taskId: request.taskId,
      exportTaskIdentifier: request.exportTaskIdentifier,
      table: tableTarget(request.table),
      partition: request.partitionIndex,
    });
    const state = await this.rpc.call(GetPartitionStateRpc, {
      taskId: request.taskId,
      tableIndex: request.table.tableIndex,
      partitionIndex: request.partitionIndex,
    });
    if (state.partitionStatus === 'EXPORTED') {
      log.info('partition was already exported by an earlier attempt; nothing to do');
      return;
    }
    if (state.tableSkipped) {
      log.info('the table was skipped while another partition was read; nothing to do');
      return;
    }
    const reason = abandonReasonFor(state.taskStatus, this.stopped.has(request.taskId));
    if (reason) return this.abandon(request, reason, log);
    const finishedEarlier = await this.finishedEarlier(request, log);
    if (finishedEarlier) {
      log.info('an earlier attempt wrote the partition but could not report it; reporting it now');
      await this.removeStaleTail(request, finishedEarlier.parts.length, log);
      return this.publishExported(request, finishedEarlier, new Date(), log);
    }
    await this.publishStarted(request);
    const source = this.sourceOf(request);
    const engine = this.engineOf(request);
    const startedAt = new Date();
    const timer = extractorMetrics.duration.startTimer();
    let extraction: Extraction;
    this.inFlight++;
    const running = log.child({ partitionsInFlight: this.inFlight });
    try {
      extraction = await this.extract(request, source, engine, running);
      timer({ outcome: extraction.kind });
    } catch (error) {
      timer({ outcome: 'failed' });
      return this.handleFailure(
        request,
        engine,
        error,
        log.child({ durationMs: Date.now() - startedAt.getTime() }),
      );
    } finally {
      this.inFlight--;
    }
    switch (extraction.kind) {
      case 'stopped':
        return this.abandon(request, await this.reasonAfterStop(request.taskId), log);
      case 'interrupted':
        throw new RetryableError('extractor is shutting down; the partition goes back to the queue', 0);
      case 'exported':
        extractorMetrics.exported.inc();
        extractorMetrics.rows.inc(extraction.parts.reduce((sum, part) => sum + part.rows, 0));
        extractorMetrics.bytes.inc(extraction.parts.reduce((sum, part) => sum + part.bytes, 0));
        if (state.partitionStatus !== 'NOT_STARTED')
          await this.removeStaleTail(request, extraction.parts.length, log);
        return this.publishExported(request, extraction, startedAt, running);
    }
  }

  private async extract(
    request: PartitionRequest,
    source: SourceConfig,
    engine: DatabaseEngine,
    log: Logger,
  ): Promise<Extraction> {
    const { rowGroupRows, stallTimeoutSeconds } = this.config.extractor;
    const fileTargetBytes = request.output?.fileTargetBytes ?? this.config.extractor.fileTargetBytes;
    const encoderOptions = { rowGroupRows, compression: request.output?.compression };
    const watchdog = new StallWatchdog(stallTimeoutSeconds * 1000);
    const files = new PartSeries(
      (fileIndex) =>
        new PartFile(
          this.storage,
          this.openEncoder,
          this.targetOf(request, fileIndex),
          request.columns,
          encoderOptions,
          watchdog,
        ),
      fileTargetBytes,
    );
    const progress = new ProgressLog(log, PROGRESS_INTERVAL_MS);
    const nulledValues = new NulledValues();
    const read = engine.readPartition(source, { ...this.readRequestOf(request), nulledValues });
    const batches = read[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const next = await watchdog.guard('database', batches.next());
        if (next.done) break;
        watchdog.progressed();
        if (this.stopped.has(request.taskId)) return { kind: 'stopped' };
        if (this.draining) return { kind: 'interrupted' };
        await watchdog.guard('storage', files.append(next.value));
        // Rows of values have no byte count at hand: the guard then reads the resident size.
        this.memory.check(next.value instanceof ColumnarBatch ? batchBytes(next.value) : Infinity);
        progress.report(files.progress());
      }
      const parts = await watchdog.guard('storage', files.finish(nulledValues.list()));
      finished = true;
      return { kind: 'exported', parts, nulledValues: nulledValues.list() };
    } finally {
      watchdog.stop();
      if (!finished) await this.closeEarly(batches, watchdog.signal, files);
    }
  }

  /**
   * A stalled read is left to end on its own (its driver may never return): waiting for it would
   * keep the partition's message alive, the very thing the watchdog is there to end.
   */
  private async closeEarly(
    batches: AsyncIterator<unknown>,
    stalled: AbortSignal,
    files: PartSeries,
  ): Promise<void> {
    const closing = Promise.resolve(batches.return?.()).catch(() => undefined);
    if (!stalled.aborted) await closing;
    await files.discard();
  }

  /**
   * Files of this partition an earlier attempt finished, as their footers record, e.g. before a crash
   * or while NATS was out: reported again rather than rewritten. A lookup that fails only costs a
   * rewrite.
   */
  private async finishedEarlier(request: PartitionRequest, log: Logger): Promise<FinishedPartition | null> {
    try {
      return await this.withinStallTimeout(request, () =>
        finishedFiles((fileIndex) => this.storage.footerOf(this.targetOf(request, fileIndex))),
      );
    } catch (error) {
      if (error instanceof RetryableError) throw error;
      log.warn({ err: error }, 'could not tell whether an earlier attempt finished the partition');
      return null;
    }
  }

  /**
   * A storage call outside the extraction's own watch, bounded alike: one that makes no progress for
   * the stall timeout sends the partition back to the queue, naming the stall if every attempt stalls.
   */
  private async withinStallTimeout<T>(request: PartitionRequest, work: () => Promise<T>): Promise<T> {
    const watchdog = new StallWatchdog(this.config.extractor.stallTimeoutSeconds * 1000);
    try {
      return await watchdog.guard('storage', work());
    } catch (error) {
      if (!(error instanceof PartitionStalledError)) throw error;
      throw new RetryableError(error.message, RETRY_DELAY_MS, {
        cause: error,
        failureCause: stalledCause(error, tableTarget(request.table)),
      });
    } finally {
      watchdog.stop();
    }
  }

  /**
   * An earlier attempt may have completed more files than the attempt whose files are kept (this one,
   * or a finished one being reported again), its last file cut at a different row; those objects
   * would hold rows twice, so they go.
   */
  private async removeStaleTail(request: PartitionRequest, fileCount: number, log: Logger): Promise<void> {
    const removeFrom = async (fileIndex: number): Promise<void> => {
      if (!(await this.storage.removeIfPresent(this.targetOf(request, fileIndex)))) return;
      log.info({ fileIndex }, 'removed a file left by an earlier attempt');
      await removeFrom(fileIndex + 1);
    };
    await this.withinStallTimeout(request, () => removeFrom(fileCount));
  }

  private targetOf(request: PartitionRequest, fileIndex: number): PartTarget {
    const { destination } = request;
    const key = partObjectKey(
      destination.partitionKeyPrefix,
      {
        taskId: request.taskId,
        tableIndex: request.table.tableIndex,
        partitionIndex: request.partitionIndex,
        fileIndex,
      },
      request.output?.compression.codec,
    );
    return {
      bucket: destination.bucket,
      key,
      role: exportRoleOf({ ...destination, accountId: request.accountId }),
      kmsKeyId: destination.kmsKeyId,
    };
  }

  private readRequestOf(request: PartitionRequest): PartitionReadRequest {
    return {
      database: request.readPoint.database,
      snapshotId: request.readPoint.snapshotId,
      schema: request.table.schema,
      table: request.table.table,
      columns: request.columns,
      range: request.range,
      batchRows: this.config.extractor.batchRows,
      maxBatchBytes: this.maxBatchBytes,
      limits: {
        maxRowBytes: this.config.extractor.maxRowBytes,
        maxValueBytes: this.config.extractor.maxValueBytes,
      },
    };
  }

  private sourceOf(request: PartitionRequest): SourceConfig {
    return this.sources.resolve(request.accountId, request.readPoint);
  }

  private engineOf(request: PartitionRequest): DatabaseEngine {
    try {
      return this.engines(request.readPoint.engine);
    } catch (error) {
      throw new PermanentError((error as Error).message, { cause: error });
    }
  }

  private async abandonReason(taskId: string): Promise<AbandonReason | null> {
    const { status } = await this.rpc.call(GetTaskStatusRpc, { taskId });
    return abandonReasonFor(status, this.stopped.has(taskId));
  }

  /** The partition already stopped; a registry that cannot answer now does not change that. */
  private async reasonAfterStop(taskId: string): Promise<AbandonReason> {
    try {
      return (await this.abandonReason(taskId)) ?? 'CANCELED';
    } catch {
      return 'CANCELED';
    }
  }

  private async handleFailure(
    request: PartitionRequest,
    engine: DatabaseEngine,
    error: unknown,
    log: Logger,
  ): Promise<void> {
    const verdict = extractionVerdict(error, engine, {
      destination: request.destination,
      target: tableTarget(request.table),
    });
    extractorMetrics.failed.inc({ verdict: verdict.kind });
    switch (verdict.kind) {
      case 'retry':
        log.warn({ err: error }, 'partition failed; it will be retried');
        throw new RetryableError(`partition failed: ${(error as Error).message}`, RETRY_DELAY_MS, {
          cause: error,
          failureCause: verdict.failureCause,
        });
      case 'fail-task':
        log.error(
          { err: error, failureCause: verdict.failureCause },
          'partition cannot be exported; failing the task',
        );
        this.stopped.add(request.taskId);
        return this.publisher.publish(TaskFailed, {
          ...taskEventFields(request),
          eventId: eventIdFor(TaskFailed, request.taskId, 'EXTRACTION', ...partitionIds(request)),
          stage: 'EXTRACTION',
          failureCause: verdict.failureCause,
        });
      case 'skip-table':
        log.warn({ reason: verdict.reason, detail: verdict.detail }, 'skipping the table');
        // Files this partition completed before the row were never reported: nobody else removes them.
        await this.removeStaleTail(request, 0, log);
        return this.publisher.publish(TableSkipped, {
          ...taskEventFields(request),
          eventId: eventIdFor(TableSkipped, request.taskId, request.table.tableIndex),
          table: request.table,
          target: tableTarget(request.table),
          reason: verdict.reason,
          detail: verdict.detail,
        });
      case 'unknown':
        throw error;
    }
  }

  private async publishStarted(request: PartitionRequest): Promise<void> {
    extractorMetrics.started.inc();
    await this.publisher.publish(PartitionStarted, {
      ...taskEventFields(request),
      eventId: eventIdFor(PartitionStarted, request.taskId, ...partitionIds(request)),
      table: request.table,
      partitionIndex: request.partitionIndex,
      extractor: this.extractorId,
    });
  }

  private async abandon(request: PartitionRequest, reason: AbandonReason, log: Logger): Promise<void> {
    log.info({ reason }, 'partition abandoned');
    await this.publisher.publish(PartitionAbandoned, {
      ...taskEventFields(request),
      eventId: eventIdFor(PartitionAbandoned, request.taskId, ...partitionIds(request)),
      table: request.table,
      partitionIndex: request.partitionIndex,
      reason,
    });
  }

  private async publishExported(
    request: PartitionRequest,
    { parts, nulledValues }: FinishedPartition,
    startedAt: Date,
    log: Logger,
  ): Promise<void> {
    const finishedAt = new Date();
    const rowCount = parts.reduce((sum, part) => sum + part.rows, 0);
    const bytes = parts.reduce((sum, part) => sum + part.bytes, 0);
    log.info(
      {
        rows: rowCount,
        bytes,
        files: parts.length,
        nulledValues,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        peakRssBytes: peakResidentBytes(),
      },
      'partition exported',
    );
    await this.publishUntilDelivered(log, () =>
      this.publisher.publish(PartitionExported, {
        ...taskEventFields(request),
        eventId: eventIdFor(PartitionExported, request.taskId, ...partitionIds(request)),
        table: request.table,
        partitionIndex: request.partitionIndex,
        rowCount,
        bytes,
        objects: parts,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        ...(nulledValues.length > 0 ? { nulledValues } : {}),
      }),
    );
  }

  /**
   * The partition's files are written: giving its work item up while NATS is unreachable would only
   * have it read again. Keeps trying (the message stays alive meanwhile) until this process stops.
   */
  private async publishUntilDelivered(log: Logger, publish: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await publish();
      } catch (error) {
        if (!(error instanceof RetryableError) || this.draining) throw error;
        log.warn({ err: error, attempt }, 'could not report the exported partition; trying again');
        await sleep(Math.min(PUBLISH_RETRY_MS * attempt, MAX_PUBLISH_RETRY_MS));
      }
    }
  }
}
