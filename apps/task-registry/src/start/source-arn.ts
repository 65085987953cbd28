import { Fault, SnapshotKind } from '@snapex/contracts';
import { SourceCatalogue, SourceConfig } from '@snapex/config';

export type SourceArnKind = 'cluster' | 'snapshot' | 'cluster-snapshot' | 'db';

export interface SourceArn {
  arn: string;
  region: string;
  accountId: string;
  kind: SourceArnKind;
  name: string;
}

const RDS_ARN = /^arn:aws:rds:([a-z0-9-]+):(\d{12}):(cluster|snapshot|cluster-snapshot|db):(.+)$/;

export function parseSourceArn(arn: string): SourceArn {
  const match = RDS_ARN.exec(arn);
  if (!match) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter SourceArn must be the ARN of a DB cluster, DB snapshot or DB cluster snapshot: ${arn}`,
    );
  }
  const [, region, accountId, kind, name] = match;
  return { arn, region, accountId, kind: kind as SourceArnKind, name };
}

export type ResolvedSource =
  | { sourceType: 'CLUSTER'; source: SourceConfig }
  /** A snapshot of the caller's, looked up in the snapshot catalogue by whoever resolves it. */
  | { sourceType: 'SNAPSHOT'; snapshot: { kind: SnapshotKind; identifier: string } };

/**
 * The source a caller may export: a registered cluster, or a snapshot, of the caller's account in this
 * region. Anything else is reported as not found, as RDS does for resources the caller cannot see.
 */
export function resolveSource(
  sourceArn: SourceArn,
  caller: { accountId: string; region: string },
  catalogue: SourceCatalogue,
): ResolvedSource {
  switch (sourceArn.kind) {
    case 'snapshot':
      if (!isVisible(sourceArn, caller)) {
        throw new Fault('DBSnapshotNotFound', `DBSnapshot ${sourceArn.name} not found.`);
      }
      return { sourceType: 'SNAPSHOT', snapshot: { kind: 'db-snapshot', identifier: sourceArn.name } };
    case 'cluster-snapshot':
      if (!isVisible(sourceArn, caller)) {
        throw new Fault('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${sourceArn.name} not found.`);
      }
      return { sourceType: 'SNAPSHOT', snapshot: { kind: 'cluster-snapshot', identifier: sourceArn.name } };
    case 'db':
      throw new Fault(
        'InvalidParameterValue',
        'Exporting a DB instance is not supported; SourceArn must name a DB cluster or a snapshot.',
      );
    case 'cluster':
      return { sourceType: 'CLUSTER', source: findCluster(sourceArn, caller, catalogue) };
  }
}

function isVisible(sourceArn: SourceArn, caller: { accountId: string; region: string }): boolean {
  return sourceArn.region === caller.region && sourceArn.accountId === caller.accountId;
}

function findCluster(
  sourceArn: SourceArn,
  caller: { accountId: string; region: string },
  catalogue: SourceCatalogue,
): SourceConfig {
  const source = isVisible(sourceArn, caller) ? catalogue.find(caller.accountId, sourceArn.name) : undefined;
  if (!source) throw new Fault('DBClusterNotFoundFault', `DBCluster ${sourceArn.name} not found.`);
  return source;
}
