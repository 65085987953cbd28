import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@snapex/bus';
import { EventPayload, SnapshotCreated, SnapshotEventBase, SnapshotFailed } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { Connection, RegistryDatabase } from '../database/registry-database';
import { ProcessedEventRepository } from '../events/processed-event.repository';
import { SnapshotRecord } from './snapshot-record';
import { SnapshotRepository } from './snapshot.repository';

export const SNAPSHOT_EVENTS = [SnapshotCreated, SnapshotFailed];

/**
 * Folds the outcome of a dump into the catalogue, once: the event id is claimed and the snapshot
 * changed in one transaction, and only a snapshot still `creating` changes.
 */
@Injectable()
export class SnapshotEventsHandler {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(ProcessedEventRepository) private readonly processedEvents: ProcessedEventRepository,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(SnapshotCreated)
  async onSnapshotCreated(event: EventPayload<typeof SnapshotCreated>): Promise<void> {
    await this.applyOnce(event, (tx, snapshot) =>
      this.snapshots.markAvailable(tx, snapshot.snapshotId, {
        archive: event.archive,
        snapshotTime: new Date(event.snapshotTime),
        totalBytes: event.totalBytes,
      }),
    );
  }

  @OnEvent(SnapshotFailed)
  async onSnapshotFailed(event: EventPayload<typeof SnapshotFailed>): Promise<void> {
    await this.applyOnce(event, (tx, snapshot) =>
      this.snapshots.markFailed(tx, snapshot.snapshotId, event.reason),
    );
  }

  private async applyOnce(
    event: SnapshotEventBase,
    change: (tx: Connection, snapshot: SnapshotRecord) => Promise<void>,
  ): Promise<void> {
    await this.database.transaction(async (tx) => {
      if (!(await this.processedEvents.claim(tx, event.eventId, event.snapshotId))) return;
      const snapshot = await this.snapshots.lockById(tx, event.snapshotId);
      if (!snapshot || snapshot.accountId !== event.accountId || snapshot.status !== 'creating') {
        this.logger.debug({ eventId: event.eventId, snapshotId: event.snapshotId }, 'snapshot event ignored');
        return;
      }
      await change(tx, snapshot);
    });
  }
}
