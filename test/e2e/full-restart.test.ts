import { ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { pgUrl, withPg } from '../../scripts/local-stack/databases';
import { downloadPrefix, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { createEventsTable, exportedDigest, sourceDigest } from '../support/table-digest';
import { eventuallyValue } from '../support/eventually';
import { printLogsIfFailed } from '../support/service-logs';

const SOURCE_DB = 'snapex_e2e_restart';
const REGISTRY_DB = 'snapex_registry_e2e_restart';
const ROWS = 400_000;

/** Every version of every object in the bucket, key by key; a key written twice has two. */
async function versionsByKey(s3: S3Client, bucket: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const version of page.Versions ?? []) counts.set(version.Key!, (counts.get(version.Key!) ?? 0) + 1);
    if (!page.IsTruncated) return counts;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

describe('every service killed (kill -9) and started again in the middle of a snapshot export', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    await createEventsTable(SOURCE_DB, ROWS, 50);
    stack = await Stack.start({
      name: 'e2e-restart',
      sources: [{ name: 'restart-cluster', url: pgUrl(SOURCE_DB), databases: [SOURCE_DB] }],
      config: {
        restorer: { partitionTargetBytes: 2 * 1024 * 1024 },
        extractor: { concurrency: 1, batchRows: 2000 },
      },
    });
    // With versioning on, an object written a second time keeps both versions: the proof of a rewrite.
    await adminClients(stack.moto).s3.send(
      new PutBucketVersioningCommand({
        Bucket: stack.target.bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(() => printLogsIfFailed(stack));

  /** Partitions the registry has as EXPORTED, and how many the plan has. */
  async function partitionCounts(taskId: string): Promise<{ exported: number; planned: number }> {
    return withPg(pgUrl(REGISTRY_DB), async (client) => {
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM snapex_registry.export_partitions WHERE task_id = $1 AND status = 'EXPORTED')::int AS exported,
                coalesce((SELECT (plan->>'partitionCount')::int FROM snapex_registry.export_tasks WHERE task_id = $1), 0) AS planned`,
        [taskId],
      );
      return rows[0];
    });
  }

  async function taskIdOf(identifier: string): Promise<string | undefined> {
    return withPg(pgUrl(REGISTRY_DB), async (client) => {
      const { rows } = await client.query(
        'SELECT task_id FROM snapex_registry.export_tasks WHERE export_task_identifier = $1',
        [identifier],
      );
      return rows[0]?.task_id;
    });
  }

  it('completes without writing any finished partition a second time', async () => {
    const created = await stack.api('/v1/CreateDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: 'before-restart',
      DBClusterIdentifier: 'restart-cluster',
    });
    expect(created.status).toBe(200);
    const arn = await eventuallyValue(async () => {
      const { body } = await stack.api('/v1/DescribeDBClusterSnapshots', {
        DBClusterSnapshotIdentifier: 'before-restart',
      });
      const snapshot = body?.DBClusterSnapshots?.[0];
      return snapshot?.Status === 'available' ? (snapshot.DBClusterSnapshotArn as string) : undefined;
    }, 120_000);

    const identifier = `restart-${Date.now()}`;
    await stack.startExport(identifier, arn);
    const taskId = await eventuallyValue(() => taskIdOf(identifier));

    // Kill once a few partitions are in the bucket and more are still to come: nothing gets to
    // finish what it was doing, a partition may be written but not reported.
    const before = await eventuallyValue(async () => {
      const counts = await partitionCounts(taskId);
      return counts.exported >= 3 ? counts : undefined;
    }, 120_000);
    await stack.restartAll('SIGKILL');
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const after = await partitionCounts(taskId);
    expect(before.exported).toBeLessThan(after.planned);

    const { s3 } = adminClients(stack.moto);
    const parquetVersions = [...(await versionsByKey(s3, stack.target.bucket))].filter(
      ([key]) => key.startsWith(`${identifier}/`) && key.endsWith('.gz.parquet'),
    );
    expect(parquetVersions.length).toBe(after.planned);
    expect(parquetVersions.filter(([, versions]) => versions !== 1)).toEqual([]);

    const { dir } = await downloadPrefix(s3, stack.target.bucket, identifier);
    const files = parquetVersions.map(([key]) => join(dir, key));
    expect(await exportedDigest(reader, files)).toEqual(await sourceDigest(SOURCE_DB));
  });
});
