// export-task first, as a service that imports the task spec before anything else loads it.
import { TaskSpecSchema } from './export-task';

describe('TaskSpec.snapshot', () => {
  it('validates the snapshot whichever model module loads first', () => {
    const spec = {
      taskId: '0b5e1c2a-9f3d-4c1e-8a7b-1234567890ab',
      accountId: '123456789012',
      exportTaskIdentifier: 'snap-export',
      sourceArn: 'arn:aws:rds:us-east-1:123456789012:snapshot:nightly',
      sourceType: 'SNAPSHOT',
      sourceName: 'orders',
      engine: 'postgres',
      s3Bucket: 'bucket',
      s3Prefix: '',
      iamRoleArn: 'arn:aws:iam::123456789012:role/export',
      kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
      exportOnly: [],
      snapshot: {
        snapshotArn: 'arn:aws:rds:us-east-1:123456789012:snapshot:nightly',
        snapshotIdentifier: 'nightly',
        kind: 'db-snapshot',
        engine: 'postgres',
        snapshotTime: '2026-11-01T12:00:00.000Z',
        archive: {
          bucket: 'store',
          dumps: [{ database: 'orders', format: 'pg-custom', key: 'k.dump', bytes: 1 }],
        },
      },
    };
    expect(TaskSpecSchema.parse(spec).snapshot?.engine).toBe('postgres');
    expect(() =>
      TaskSpecSchema.parse({ ...spec, snapshot: { ...spec.snapshot, engine: 'oracle' } }),
    ).toThrow();
  });
});
