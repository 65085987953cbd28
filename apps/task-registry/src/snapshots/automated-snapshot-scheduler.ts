import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SnapexConfig, SourceConfig } from '@snapex/config';
import { Fault, SnapshotKind } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER } from '@snapex/service';
import { RegistryDatabase } from '../database/registry-database';
import { automatedSnapshotDue, expiredAutomatedSnapshots } from './automated-retention';
import { CreateSnapshotUseCase } from './create-snapshot.use-case';
import { automatedSnapshotIdentifier } from './snapshot-identifiers';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotSweeper } from './snapshot-sweeper';
import { vocabularyOf } from './snapshot-vocabulary';

/** Sources are clusters, so their automated snapshots are cluster snapshots. */
const AUTOMATED_KIND: SnapshotKind = 'cluster-snapshot';
const MAX_CHECK_INTERVAL_MS = 30_000;

type ScheduledSource = SourceConfig & { automatedSnapshots: NonNullable<SourceConfig['automatedSnapshots']> };

/**
 * Takes each source's automated snapshots on its schedule (`sources[].automatedSnapshots`) and deletes
 * those past its retention. Replicas may all run it: a snapshot name is unique per minute and source.
 */
@Injectable()
export class AutomatedSnapshotScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly scheduled: ScheduledSource[];

  constructor(
    @Inject(CONFIG) config: SnapexConfig,
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(CreateSnapshotUseCase) private readonly createSnapshot: CreateSnapshotUseCase,
    @Inject(SnapshotSweeper) private readonly sweeper: SnapshotSweeper,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.scheduled = config.sources.filter(
      (source): source is ScheduledSource => !!source.automatedSnapshots,
    );
  }

  onApplicationBootstrap(): void {
    if (this.scheduled.length === 0) return;
    const shortest = Math.min(...this.scheduled.map((source) => intervalMsOf(source)));
    this.timer = setInterval(() => this.tick(), Math.min(Math.max(shortest / 2, 500), MAX_CHECK_INTERVAL_MS));
    this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.runOnce().finally(() => (this.running = undefined));
  }

  private async runOnce(): Promise<void> {
    for (const source of this.scheduled) {
      try {
        await this.snapshotIfDue(source);
        await this.expireOld(source);
      } catch (error) {
        this.logger.warn({ err: error, source: source.name }, 'automated snapshot round failed');
      }
    }
  }

  private async snapshotIfDue(source: ScheduledSource): Promise<void> {
    const [newest] = await this.automatedOf(source);
    const now = new Date();
    if (!automatedSnapshotDue(newest, intervalMsOf(source), now)) return;
    const identifier = automatedSnapshotIdentifier(source.name, now);
    try {
      await this.createSnapshot.order({
        accountId: source.accountId,
        kind: AUTOMATED_KIND,
        identifier,
        source,
        snapshotType: 'automated',
      });
      this.logger.info({ source: source.name, identifier }, 'automated snapshot requested');
    } catch (error) {
      // Another replica took this minute's snapshot.
      if (error instanceof Fault && error.code === vocabularyOf(AUTOMATED_KIND).alreadyExists) return;
      throw error;
    }
  }

  private async expireOld(source: ScheduledSource): Promise<void> {
    const expired = expiredAutomatedSnapshots(
      await this.automatedOf(source),
      source.automatedSnapshots.retain,
    );
    if (expired.length === 0) return;
    await this.database.transaction(async (tx) => {
      for (const snapshot of expired) {
        const locked = await this.snapshots.lockById(tx, snapshot.snapshotId);
        if (locked?.status === 'available' || locked?.status === 'failed') {
          await this.snapshots.markDeleting(tx, snapshot.snapshotId);
        }
      }
    });
    this.sweeper.kick();
  }

  private automatedOf(source: ScheduledSource) {
    return this.database.read((connection) =>
      this.snapshots.automatedOf(connection, source.accountId, AUTOMATED_KIND, source.name),
    );
  }
}

function intervalMsOf(source: ScheduledSource): number {
  return source.automatedSnapshots.intervalMinutes * 60_000;
}
