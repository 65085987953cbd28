import { Inject, Injectable } from '@nestjs/common';
import { SnapshotKind, SnapshotView } from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { storedIdentifier } from './snapshot-identifiers';
import { SnapshotRecord, toSnapshotView } from './snapshot-record';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotSweeper } from './snapshot-sweeper';
import { SnapshotFaults } from './snapshot-vocabulary';

/**
 * DeleteDBSnapshot / DeleteDBClusterSnapshot: the snapshot is `deleting` at once; its archive is removed
 * by the sweeper as soon as no export reads it, so an export already running from it goes on.
 */
@Injectable()
export class DeleteSnapshotUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(SnapshotSweeper) private readonly sweeper: SnapshotSweeper,
  ) {}

  async execute(accountId: string, kind: SnapshotKind, identifier: string): Promise<SnapshotView> {
    const deleting = await this.database.transaction(async (tx) => {
      const snapshot = await this.snapshots.lock(tx, accountId, kind, storedIdentifier(identifier), 'update');
      if (!snapshot) throw SnapshotFaults.notFound(kind, identifier);
      checkDeletable(snapshot);
      return this.snapshots.markDeleting(tx, snapshot.snapshotId);
    });
    this.sweeper.kick();
    return toSnapshotView(deleting);
  }
}

function checkDeletable(snapshot: SnapshotRecord): void {
  if (snapshot.snapshotType === 'automated') {
    throw SnapshotFaults.invalidState(
      snapshot.kind,
      `Only manual snapshots may be deleted; ${snapshot.identifier} is an automated snapshot.`,
    );
  }
  if (snapshot.status === 'creating' || snapshot.status === 'deleting') {
    throw SnapshotFaults.invalidState(
      snapshot.kind,
      `Cannot delete the snapshot ${snapshot.identifier} because its status is ${snapshot.status}; ` +
        'only available or failed snapshots can be deleted.',
    );
  }
}
