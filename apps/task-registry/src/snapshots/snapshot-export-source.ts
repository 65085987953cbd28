import { Inject, Injectable } from '@nestjs/common';
import { Engine, Fault, SnapshotKind, SnapshotSource } from '@snapex/contracts';
import { Connection } from '../database/registry-database';
import { storedIdentifier } from './snapshot-identifiers';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotFaults } from './snapshot-vocabulary';

export interface ExportableSnapshot {
  sourceName: string;
  engine: Engine;
  snapshot: SnapshotSource;
}

/**
 * The snapshot an export starts from: the caller's own, available. The row stays share-locked until the
 * task is recorded, so a delete cannot slip in between; once the task is active the archive is kept.
 */
@Injectable()
export class SnapshotExportSource {
  constructor(@Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository) {}

  async resolve(
    tx: Connection,
    accountId: string,
    kind: SnapshotKind,
    identifier: string,
  ): Promise<ExportableSnapshot> {
    const snapshot = await this.snapshots.lock(tx, accountId, kind, storedIdentifier(identifier), 'share');
    if (!snapshot) throw SnapshotFaults.notFound(kind, identifier);
    if (snapshot.status !== 'available' || !snapshot.archive || !snapshot.snapshotTime) {
      const why = snapshot.failureReason ? ` (${snapshot.failureReason})` : '';
      throw new Fault(
        'InvalidExportSourceState',
        `The snapshot ${snapshot.arn} can't be exported because its status is ${snapshot.status}${why}; ` +
          'only available snapshots can be exported.',
      );
    }
    return {
      sourceName: snapshot.sourceName,
      engine: snapshot.engine,
      snapshot: {
        snapshotArn: snapshot.arn,
        snapshotIdentifier: snapshot.identifier,
        kind: snapshot.kind,
        engine: snapshot.engine,
        snapshotTime: snapshot.snapshotTime.toISOString(),
        archive: snapshot.archive,
      },
    };
  }
}
