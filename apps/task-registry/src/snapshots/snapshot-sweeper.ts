import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SNAPSHOT_STORE, SnapshotStore } from '@snapex/aws';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { RegistryDatabase } from '../database/registry-database';
import { RepeatingPass } from '../database/repeating-pass';
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
  private readonly passes = new RepeatingPass(() => this.sweep(), SWEEP_INTERVAL_MS);

  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.store) this.passes.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.passes.stop();
  }

  /** Starts a sweep, or asks the sweep in flight to go round once more. */
  kick(): void {
    if (this.store) this.passes.kick();
  }

  private async sweep(): Promise<void> {
    try {
      while (!this.passes.isStopped && (await this.purgeBatch()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn({ err: error }, 'snapshot sweep failed; retrying on the next tick');
    }
  }

  /**
   * The rows stay locked while their objects go, so no other replica purges them at the same time.
   * Answers how many were purged: a batch with failures ends the sweep until the next tick.
   */
  private purgeBatch(): Promise<number> {
    return this.database.transaction(async (tx) => {
      const purgeable = await this.snapshots.lockPurgeable(tx, BATCH_SIZE);
      let purged = 0;
      for (const snapshot of purgeable) {
        const keys = objectsOf(snapshot);
        const shared = await this.snapshots.keysHeldByOthers(tx, snapshot.snapshotId, keys);
        try {
          await this.store!.remove(keys.filter((key) => !shared.has(key)));
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
        purged++;
      }
      return purged;
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
