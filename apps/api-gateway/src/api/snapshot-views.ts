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
  };
}

/** RDS's DBSnapshot, members in the order of the RDS model. */
export function dbSnapshotOf(view: SnapshotView): Record<string, unknown> {
  const {
    SnapshotCreateTime,
    Engine,
    AllocatedStorage,
    Status,
    SnapshotType,
    PercentProgress,
    OriginalSnapshotCreateTime,
  } = commonFields(view);
  return {
    DBSnapshotIdentifier: view.identifier,
    DBInstanceIdentifier: view.sourceIdentifier,
    SnapshotCreateTime,
    Engine,
    AllocatedStorage,
    Status,
    SnapshotType,
    PercentProgress,
    Encrypted: false,
    DBSnapshotArn: view.arn,
    OriginalSnapshotCreateTime,
  };
}

/** RDS's DBClusterSnapshot, members in the order of the RDS model. */
export function dbClusterSnapshotOf(view: SnapshotView): Record<string, unknown> {
  const { SnapshotCreateTime, Engine, AllocatedStorage, Status, SnapshotType, PercentProgress } =
    commonFields(view);
  return {
    DBClusterSnapshotIdentifier: view.identifier,
    DBClusterIdentifier: view.sourceIdentifier,
    SnapshotCreateTime,
    Engine,
    AllocatedStorage,
    Status,
    PercentProgress,
    StorageEncrypted: false,
    SnapshotType,
    DBClusterSnapshotArn: view.arn,
  };
}
