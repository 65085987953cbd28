import { SnapshotView } from '@snapex/contracts';

const GIB = 1024 ** 3;

/** Fields RDS returns for both kinds of snapshot, where they apply to a dump in a snapshot store. */
function commonFields(view: SnapshotView) {
  const createTime = view.snapshotCreateTime ?? view.requestedAt;
  return {
    SnapshotCreateTime: createTime,
    Engine: view.engine,
    AllocatedStorage: Math.ceil(view.totalBytes / GIB),
    Status: view.status,
    SnapshotType: view.snapshotType,
    PercentProgress: view.percentProgress,
    OriginalSnapshotCreateTime: createTime,
    // Not an RDS field: why a failed snapshot could not be taken (RDS says it only in an event).
    ...(view.failureReason ? { FailureReason: view.failureReason } : {}),
  };
}

/** RDS's DBSnapshot. */
export function dbSnapshotOf(view: SnapshotView): Record<string, unknown> {
  return {
    DBSnapshotIdentifier: view.identifier,
    DBInstanceIdentifier: view.sourceIdentifier,
    ...commonFields(view),
    Encrypted: false,
    DBSnapshotArn: view.arn,
  };
}

/** RDS's DBClusterSnapshot. */
export function dbClusterSnapshotOf(view: SnapshotView): Record<string, unknown> {
  return {
    DBClusterSnapshotIdentifier: view.identifier,
    DBClusterIdentifier: view.sourceIdentifier,
    ...commonFields(view),
    StorageEncrypted: false,
    DBClusterSnapshotArn: view.arn,
  };
}
