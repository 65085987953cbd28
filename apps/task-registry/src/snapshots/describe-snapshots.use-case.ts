import { Inject, Injectable } from '@nestjs/common';
import { DescribeSnapshotsInput, DescribeSnapshotsResult, SnapshotKind } from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { encodeMarker } from '../describe/marker';
import { storedIdentifier } from './snapshot-identifiers';
import { toSnapshotView } from './snapshot-record';
import { snapshotCriteria } from './snapshot-describe-criteria';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotFaults } from './snapshot-vocabulary';

/** DescribeDBSnapshots / DescribeDBClusterSnapshots: the caller's own snapshots, newest first, a page at a time. */
@Injectable()
export class DescribeSnapshotsUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
  ) {}

  async execute(
    accountId: string,
    kind: SnapshotKind,
    input: DescribeSnapshotsInput,
  ): Promise<DescribeSnapshotsResult> {
    const criteria = snapshotCriteria(kind, input);
    return this.database.read(async (connection) => {
      const named = input.snapshotIdentifier;
      if (
        named !== undefined &&
        !(await this.snapshots.find(connection, accountId, kind, storedIdentifier(named)))
      ) {
        throw SnapshotFaults.notFound(kind, named);
      }
      // One extra row tells whether another page follows.
      const found = await this.snapshots.list(connection, {
        accountId,
        kind,
        conditions: criteria.conditions,
        beforeSeq: criteria.beforeSeq,
        limit: criteria.maxRecords + 1,
      });
      const page = found.slice(0, criteria.maxRecords);
      const result: DescribeSnapshotsResult = { snapshots: page.map(toSnapshotView) };
      if (found.length > page.length) result.marker = encodeMarker(page[page.length - 1].seq);
      return result;
    });
  }
}
