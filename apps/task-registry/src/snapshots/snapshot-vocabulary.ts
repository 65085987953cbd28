import { Fault, FaultCode, SnapshotKind } from '@snapex/contracts';

/** How RDS names things for each kind of snapshot: parameters, resources and faults. */
interface KindVocabulary {
  resource: string;
  identifierParameter: string;
  sourceResource: string;
  arnResourceType: string;
  alreadyExists: FaultCode;
  notFound: FaultCode;
  invalidState: FaultCode;
  sourceNotFound: FaultCode;
}

const VOCABULARY: Record<SnapshotKind, KindVocabulary> = {
  'db-snapshot': {
    resource: 'DBSnapshot',
    identifierParameter: 'DBSnapshotIdentifier',
    sourceResource: 'DBInstance',
    arnResourceType: 'snapshot',
    alreadyExists: 'DBSnapshotAlreadyExists',
    notFound: 'DBSnapshotNotFound',
    invalidState: 'InvalidDBSnapshotState',
    sourceNotFound: 'DBInstanceNotFound',
  },
  'cluster-snapshot': {
    resource: 'DBClusterSnapshot',
    identifierParameter: 'DBClusterSnapshotIdentifier',
    sourceResource: 'DBCluster',
    arnResourceType: 'cluster-snapshot',
    alreadyExists: 'DBClusterSnapshotAlreadyExistsFault',
    notFound: 'DBClusterSnapshotNotFoundFault',
    invalidState: 'InvalidDBClusterSnapshotStateFault',
    sourceNotFound: 'DBClusterNotFoundFault',
  },
};

export function vocabularyOf(kind: SnapshotKind): KindVocabulary {
  return VOCABULARY[kind];
}

export function snapshotArn(
  region: string,
  accountId: string,
  kind: SnapshotKind,
  identifier: string,
): string {
  return `arn:aws:rds:${region}:${accountId}:${VOCABULARY[kind].arnResourceType}:${identifier}`;
}

export const SnapshotFaults = {
  alreadyExists: (kind: SnapshotKind, identifier: string) =>
    new Fault(
      VOCABULARY[kind].alreadyExists,
      `Cannot create the snapshot because a snapshot with the identifier ${identifier} already exists.`,
    ),
  notFound: (kind: SnapshotKind, identifier: string) =>
    new Fault(VOCABULARY[kind].notFound, `${VOCABULARY[kind].resource} ${identifier} not found.`),
  sourceNotFound: (kind: SnapshotKind, identifier: string) =>
    new Fault(VOCABULARY[kind].sourceNotFound, `${VOCABULARY[kind].sourceResource} ${identifier} not found.`),
  invalidState: (kind: SnapshotKind, message: string) => new Fault(VOCABULARY[kind].invalidState, message),
};
