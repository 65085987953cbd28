import { faultOf } from '../../../../test/support/fault-of';
import { encodeMarker } from '../describe/marker';
import { snapshotCriteria } from './snapshot-describe-criteria';

describe('DescribeDBSnapshots / DescribeDBClusterSnapshots criteria', () => {
  it('lists everything, 100 at a time, by default', () => {
    expect(snapshotCriteria('db-snapshot', {})).toEqual({
      conditions: [],
      maxRecords: 100,
      beforeSeq: undefined,
    });
  });

  it('turns parameters and the kind’s filters into conditions, identifiers and ARNs alike', () => {
    const criteria = snapshotCriteria('db-snapshot', {
      snapshotIdentifier: 'Nightly',
      sourceIdentifier: 'orders',
      snapshotType: 'manual',
      filters: [
        {
          Name: 'db-snapshot-id',
          Values: ['arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2026-11-30-07-05'],
        },
        { Name: 'db-instance-id', Values: ['arn:aws:rds:us-east-1:123456789012:db:orders', 'billing'] },
        { Name: 'snapshot-type', Values: ['automated'] },
        { Name: 'engine', Values: ['postgres', 'mysql'] },
      ],
      maxRecords: 20,
      marker: encodeMarker('42'),
    });
    expect(criteria).toEqual({
      conditions: [
        { column: 'identifier', values: ['nightly'] },
        { column: 'source_name', values: ['orders'] },
        { column: 'snapshot_type', values: ['manual'] },
        { column: 'identifier', values: ['rds:orders-2026-11-30-07-05'] },
        { column: 'source_name', values: ['orders', 'billing'] },
        { column: 'snapshot_type', values: ['automated'] },
        { column: 'engine', values: ['postgres', 'mysql'] },
      ],
      maxRecords: 20,
      beforeSeq: '42',
    });
    expect(
      snapshotCriteria('cluster-snapshot', { filters: [{ Name: 'db-cluster-id', Values: ['orders'] }] })
        .conditions,
    ).toEqual([{ column: 'source_name', values: ['orders'] }]);
  });

  it.each([
    ['db-snapshot', { filters: [{ Name: 'db-cluster-id', Values: ['orders'] }] }, /Unrecognized filter name/],
    [
      'cluster-snapshot',
      { filters: [{ Name: 'db-instance-id', Values: ['orders'] }] },
      /Unrecognized filter name/,
    ],
    ['db-snapshot', { filters: [{ Name: 'engine', Values: [] }] }, /at least one value/],
    ['db-snapshot', { filters: [{ Name: 'engine', Values: ['oracle-ee'] }] }, /Invalid engine value/],
    ['db-snapshot', { snapshotType: 'shared' }, /Invalid SnapshotType value/],
    ['db-snapshot', { maxRecords: 19 }, /MaxRecords/],
    ['db-snapshot', { maxRecords: 101 }, /MaxRecords/],
    ['db-snapshot', { marker: 'not-ours' }, /Marker/],
  ] as const)('refuses for %s %j', (kind, input, message) => {
    const fault = faultOf(() => snapshotCriteria(kind, input as never));
    expect(fault?.code).toBe('InvalidParameterValue');
    expect(fault?.message).toMatch(message);
  });
});
