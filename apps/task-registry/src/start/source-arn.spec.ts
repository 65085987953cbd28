import { parseConfig, SourceCatalogue } from '@snapex/config';
import { Fault } from '@snapex/contracts';
import { parseSourceArn, resolveSource } from './source-arn';

const config = parseConfig({
  region: 'us-east-1',
  accounts: [{ id: '123456789012' }, { id: '210987654321' }],
  sources: [
    { name: 'orders', accountId: '123456789012', engine: 'postgres', url: 'postgresql://reader@db/orders' },
    { name: 'legacy', accountId: '210987654321', engine: 'mysql', url: 'mysql://reader@db/legacy' },
  ],
});
const catalogue = new SourceCatalogue(config);
const caller = { accountId: '123456789012', region: 'us-east-1' };

function faultOf(arn: string): Fault {
  try {
    resolveSource(parseSourceArn(arn), caller, catalogue);
  } catch (error) {
    if (error instanceof Fault) return error;
    throw error;
  }
  throw new Error(`${arn} was accepted`);
}

describe('source ARNs', () => {
  it('parses the kinds RDS exports from, keeping colons in snapshot names', () => {
    expect(parseSourceArn('arn:aws:rds:us-east-1:123456789012:cluster:orders')).toMatchObject({
      kind: 'cluster',
      name: 'orders',
    });
    expect(parseSourceArn('arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2024-01-01')).toMatchObject(
      {
        kind: 'snapshot',
        name: 'rds:orders-2024-01-01',
      },
    );
    expect(parseSourceArn('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:nightly').kind).toBe(
      'cluster-snapshot',
    );
  });

  it.each([
    'orders',
    'arn:aws:rds:us-east-1:1234:cluster:orders',
    'arn:aws:s3:::bucket',
    'arn:aws:rds:us-east-1:123456789012:og:x',
  ])('refuses %s as not an ARN of an exportable source', (arn) => {
    expect(() => parseSourceArn(arn)).toThrow(expect.objectContaining({ code: 'InvalidParameterValue' }));
  });

  it('resolves a registered cluster of the caller in this region', () => {
    const resolved = resolveSource(
      parseSourceArn('arn:aws:rds:us-east-1:123456789012:cluster:orders'),
      caller,
      catalogue,
    );
    expect(resolved).toMatchObject({ sourceType: 'CLUSTER', source: { name: 'orders', engine: 'postgres' } });
  });

  it('reports clusters the caller cannot see as not found', () => {
    for (const arn of [
      'arn:aws:rds:us-east-1:123456789012:cluster:missing',
      'arn:aws:rds:eu-west-1:123456789012:cluster:orders',
      'arn:aws:rds:us-east-1:210987654321:cluster:legacy',
    ]) {
      const fault = faultOf(arn);
      expect(fault.code).toBe('DBClusterNotFoundFault');
      expect(fault.httpStatus).toBe(404);
    }
    expect(faultOf('arn:aws:rds:us-east-1:123456789012:cluster:missing').message).toBe(
      'DBCluster missing not found.',
    );
  });

  it('resolves snapshots of the caller to be looked up, and reports others as not found', () => {
    expect(
      resolveSource(parseSourceArn('arn:aws:rds:us-east-1:123456789012:snapshot:nightly'), caller, catalogue),
    ).toEqual({ sourceType: 'SNAPSHOT', snapshot: { kind: 'db-snapshot', identifier: 'nightly' } });
    expect(
      resolveSource(
        parseSourceArn('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:orders-2026-11-30-07-05'),
        caller,
        catalogue,
      ),
    ).toEqual({
      sourceType: 'SNAPSHOT',
      snapshot: { kind: 'cluster-snapshot', identifier: 'rds:orders-2026-11-30-07-05' },
    });
    expect(faultOf('arn:aws:rds:eu-west-1:123456789012:snapshot:nightly')).toMatchObject({
      code: 'DBSnapshotNotFound',
      message: 'DBSnapshot nightly not found.',
    });
    expect(faultOf('arn:aws:rds:us-east-1:210987654321:cluster-snapshot:nightly')).toMatchObject({
      code: 'DBClusterSnapshotNotFoundFault',
      message: 'DBClusterSnapshot nightly not found.',
    });
    expect(faultOf('arn:aws:rds:us-east-1:123456789012:db:orders').code).toBe('InvalidParameterValue');
  });
});
