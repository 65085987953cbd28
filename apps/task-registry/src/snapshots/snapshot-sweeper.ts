import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SNAPSHOT_STORE, SnapshotStore } from '@snapex/aws';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { RegistryDatabase } from '../database/registry-database';
import { SnapshotRecord } from './snapshot-record';
import { SnapshotRepository } from './snapshot.repository';

const SWEEP_INTERVAL_MS = 2000;
const BATCH_SIZE = 20;

/**
 * Removes the archives of snapshots being deleted, then their rows, once no export reads them: right
 * after a delete, and on a timer for those whose export was still running (or a crash mid-way).
 */
@Injectable()
export class SnapshotSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private runAgain = false;
  private stopped = false;

  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.store) return;
    this.timer = setInterval(() => this.kick(), SWEEP_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Starts a sweep, or asks the sweep in flight to go round once more. */
  kick(): void {
    if (this.stopped || !this.store) return;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = this.sweep().finally(() => {
      this.running = undefined;
      if (this.runAgain) {
        this.runAgain = false;
        this.kick();
      }
    });
  }

  private async sweep(): Promise<void> {
    try {
      while (!this.stopped && (await this.purgeBatch()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn({ err: error }, 'snapshot sweep failed; retrying on the next tick');
    }
  }

  /** The rows stay locked while their objects go, so no other replica purges them at the same time. */
  private purgeBatch(): Promise<number> {
    return this.database.transaction(async (tx) => {
      const purgeable = await this.snapshots.lockPurgeable(tx, BATCH_SIZE);
      for (const snapshot of purgeable) {
        try {
          await this.store!.remove(objectsOf(snapshot));
        } catch (error) {
          // One snapshot whose objects cannot go now must not hold up the others.
          this.logger.warn(
            { err: error, snapshotArn: snapshot.arn },
            'snapshot objects not removed; retrying later',
          );
          continue;
        }
        await this.snapshots.remove(tx, snapshot.snapshotId);
        this.logger.info({ snapshotArn: snapshot.arn }, 'snapshot deleted');
      }
      return purgeable.length;
    });
  }
}

/**
 * The snapshot's dumps. Dumps of a snapshot that failed half-way are not in its archive: a lifecycle rule
 * on the snapshot store's prefix cleans those up.
 */
function objectsOf(snapshot: SnapshotRecord): string[] {
  return snapshot.archive?.dumps.map((dump) => dump.key) ?? [];
}
