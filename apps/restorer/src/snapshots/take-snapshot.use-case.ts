import { Inject, Injectable } from '@nestjs/common';
import { SNAPSHOT_STORE, SnapshotStore } from '@snapex/aws';
import { EventPublisher, PermanentError, RpcClient } from '@snapex/bus';
import { SnapexConfig, SourceCatalogue, SourceConfig } from '@snapex/config';
import {
  DatabaseDump,
  EventPayload,
  eventIdFor,
  GetSnapshotStatusRpc,
  SnapshotCreated,
  snapshotEventFields,
  SnapshotFailed,
  SnapshotRequested,
} from '@snapex/contracts';
import { SourceRefusedError } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER } from '@snapex/service';
import { dumpKey } from './dump-key';
import { dumpToolFor } from './dump-tools';
import { DumpTool } from './dump-tool';
import { SnapshotProgress, snapshotFailureReason } from './snapshot-failures';

type Request = EventPayload<typeof SnapshotRequested>;

interface StoredDump {
  dump: DatabaseDump;
  consistentAt: Date;
}

/**
 * Takes a snapshot: each database of the source is dumped and streamed straight into the snapshot
 * store, one object per database at a key fixed by the snapshot, so a dump redone after a crash
 * overwrites the same objects. A snapshot no longer `creating` is left alone.
 */
@Injectable()
export class TakeSnapshotUseCase {
  private readonly sources: SourceCatalogue;

  constructor(
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore | null,
  ) {
    this.sources = new SourceCatalogue(config);
  }

  async execute(request: Request, attempt: number): Promise<void> {
    const log = this.logger.child({ snapshotArn: request.snapshotArn });
    const { status } = await this.rpc.call(GetSnapshotStatusRpc, { snapshotId: request.snapshotId });
    if (status !== 'creating') return log.info({ status }, 'snapshot needs no dump');
    const progress: SnapshotProgress = {
      source: request.sourceName,
      bucket: this.store?.bucket ?? null,
      database: null,
    };
    try {
      await this.take(request, progress, log);
    } catch (error) {
      if (!isLasting(error) && attempt < this.config.nats.maxDeliver) throw error;
      log.error({ err: error, attempt, database: progress.database }, 'snapshot failed');
      await this.publisher.publish(SnapshotFailed, {
        ...snapshotEventFields(request),
        eventId: eventIdFor(SnapshotFailed, request.snapshotId),
        reason: snapshotFailureReason(error, progress),
      });
    }
  }

  private async take(request: Request, progress: SnapshotProgress, log: Logger): Promise<void> {
    const store = this.requireStore();
    const source = this.sourceOf(request);
    const tool = dumpToolFor(request.engine);
    const databases = await tool.listDatabases(source);
    if (databases.length === 0)
      throw new PermanentError(`the source ${source.name} has no database to snapshot`);
    const stored: StoredDump[] = [];
    for (const database of databases) {
      progress.database = database;
      stored.push(
        await this.dumpOne(
          store,
          tool,
          source,
          database,
          dumpKey(request.keyPrefix, database, tool.extension),
        ),
      );
      log.info({ database, bytes: stored[stored.length - 1].dump.bytes }, 'database dumped');
    }
    const dumps = stored.map(({ dump }) => dump);
    await this.publisher.publish(SnapshotCreated, {
      ...snapshotEventFields(request),
      eventId: eventIdFor(SnapshotCreated, request.snapshotId),
      archive: { bucket: store.bucket, dumps },
      snapshotTime: new Date(
        Math.min(...stored.map(({ consistentAt }) => consistentAt.getTime())),
      ).toISOString(),
      totalBytes: dumps.reduce((sum, dump) => sum + dump.bytes, 0),
    });
  }

  private async dumpOne(
    store: SnapshotStore,
    tool: DumpTool,
    source: SourceConfig,
    database: string,
    key: string,
  ): Promise<StoredDump> {
    const running = await tool.start(source, database);
    try {
      await Promise.all([store.upload(key, running.output), running.finished]);
    } catch (error) {
      running.abort();
      throw error;
    }
    const stored = await store.describe(key);
    if (!stored)
      throw new Error(`the dump of ${database} is missing from the snapshot store after its upload`);
    return {
      dump: { database, format: tool.format, key, bytes: stored.bytes },
      consistentAt: running.consistentAt,
    };
  }

  private sourceOf(request: Request): SourceConfig {
    const source = this.sources.find(request.accountId, request.sourceName);
    if (!source) throw new PermanentError(`the source ${request.sourceName} is no longer registered`);
    return source;
  }

  private requireStore(): SnapshotStore {
    if (!this.store)
      throw new PermanentError('this deployment has no snapshot store (snapshotStore) configured');
    return this.store;
  }
}

/** Another attempt cannot help: a rule broken, or a source that refuses the login or database. */
function isLasting(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof SourceRefusedError;
}
