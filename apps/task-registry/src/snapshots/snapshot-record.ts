import {
  Engine,
  SnapshotArchive,
  SnapshotKind,
  SnapshotStatus,
  SnapshotType,
  SnapshotView,
} from '@snapex/contracts';

/** One row of snapshots, in the shape the code works with. */
export interface SnapshotRecord {
  snapshotId: string;
  seq: string;
  accountId: string;
  kind: SnapshotKind;
  identifier: string;
  arn: string;
  engine: Engine;
  sourceName: string;
  status: SnapshotStatus;
  snapshotType: SnapshotType;
  archive: SnapshotArchive | null;
  totalBytes: number;
  requestedAt: Date;
  snapshotTime: Date | null;
  failureReason: string | null;
}

export function toSnapshotView(snapshot: SnapshotRecord): SnapshotView {
  const view: SnapshotView = {
    kind: snapshot.kind,
    identifier: snapshot.identifier,
    arn: snapshot.arn,
    sourceIdentifier: snapshot.sourceName,
    engine: snapshot.engine,
    status: snapshot.status,
    snapshotType: snapshot.snapshotType,
    requestedAt: snapshot.requestedAt.toISOString(),
    percentProgress: snapshot.status === 'creating' ? 0 : 100,
    totalBytes: snapshot.totalBytes,
    databases: snapshot.archive?.dumps.map((dump) => dump.database) ?? [],
  };
  if (snapshot.snapshotTime) view.snapshotCreateTime = snapshot.snapshotTime.toISOString();
  if (snapshot.failureReason) view.failureReason = snapshot.failureReason;
  return view;
}
