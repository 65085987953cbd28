import { Fault, SourceType } from '@snapex/contracts';
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

export interface ResolvedSource {
  sourceType: SourceType;
  source: SourceConfig;
}

/**
 * The source a caller may export: a registered cluster of the caller's account in this region. Anything
 * else is reported as not found, as RDS does for resources the caller cannot see.
 */
export function resolveSource(
  sourceArn: SourceArn,
  caller: { accountId: string; region: string },
  catalogue: SourceCatalogue,
): ResolvedSource {
  switch (sourceArn.kind) {
    case 'snapshot':
      throw new Fault('DBSnapshotNotFound', `DBSnapshot ${sourceArn.name} not found.`);
    case 'cluster-snapshot':
      throw new Fault('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${sourceArn.name} not found.`);
    case 'db':
      throw new Fault(
        'InvalidParameterValue',
        'Exporting a DB instance is not supported; SourceArn must name a DB cluster or a snapshot.',
      );
    case 'cluster':
      return { sourceType: 'CLUSTER', source: findCluster(sourceArn, caller, catalogue) };
  }
}

function findCluster(
  sourceArn: SourceArn,
  caller: { accountId: string; region: string },
  catalogue: SourceCatalogue,
): SourceConfig {
  const visible = sourceArn.region === caller.region && sourceArn.accountId === caller.accountId;
  const source = visible ? catalogue.find(caller.accountId, sourceArn.name) : undefined;
  if (!source) throw new Fault('DBClusterNotFoundFault', `DBCluster ${sourceArn.name} not found.`);
  return source;
}
