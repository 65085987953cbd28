import { faultOf } from '../../../../test/support/fault-of';
import {
  automatedSnapshotIdentifier,
  manualSnapshotIdentifier,
  MAX_SNAPSHOT_IDENTIFIER_LENGTH,
} from './snapshot-identifiers';
import { snapshotArn } from './snapshot-vocabulary';

describe('snapshot identifiers', () => {
  it.each(['a', 'nightly', 'Before-Upgrade-2', 'x'.repeat(MAX_SNAPSHOT_IDENTIFIER_LENGTH)])(
    'accepts %s, lower-cased',
    (identifier) => {
      expect(manualSnapshotIdentifier('db-snapshot', identifier)).toBe(identifier.toLowerCase());
    },
  );

  it.each(['', '1abc', '-abc', 'abc-', 'a--b', 'with_underscore', 'dot.ted', 'x'.repeat(256), 'caf\u00e9'])(
    'refuses %j with InvalidParameterValue naming the parameter of the kind',
    (identifier) => {
      expect(faultOf(() => manualSnapshotIdentifier('db-snapshot', identifier))).toMatchObject({
        code: 'InvalidParameterValue',
        message: expect.stringContaining('DBSnapshotIdentifier'),
      });
      expect(faultOf(() => manualSnapshotIdentifier('cluster-snapshot', identifier))?.message).toContain(
        'DBClusterSnapshotIdentifier',
      );
    },
  );

  it('keeps the rds: prefix for automated snapshots', () => {
    for (const identifier of ['rds:nightly', 'RDS:nightly']) {
      expect(faultOf(() => manualSnapshotIdentifier('db-snapshot', identifier))?.message).toMatch(/reserved/);
    }
  });

  it('names automated snapshots after the source and the minute, in UTC', () => {
    expect(automatedSnapshotIdentifier('Orders', new Date('2026-11-30T07:05:59.123Z'))).toBe(
      'rds:orders-2026-11-30-07-05',
    );
  });

  it('builds ARNs of both kinds', () => {
    expect(snapshotArn('us-east-1', '123456789012', 'db-snapshot', 'rds:orders-2026-11-30-07-05')).toBe(
      'arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2026-11-30-07-05',
    );
    expect(snapshotArn('us-east-1', '123456789012', 'cluster-snapshot', 'nightly')).toBe(
      'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:nightly',
    );
  });
});
