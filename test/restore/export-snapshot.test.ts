import { S3Client } from '@aws-sdk/client-s3';
import {
  CredentialsValidated,
  DatabaseDump,
  eventIdFor,
  EventPayload,
  PartitionRequested,
  SnapshotSource,
} from '@snapex/contracts';
import { connect, NatsConnection } from 'nats';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { pgUrl, recreateDatabase, withPg, PG_ADMIN_URL } from '../../scripts/local-stack/databases';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { downloadPrefix, listObjects, parquetList, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, NATS_URL, Stack } from '../../scripts/local-stack/stack';
import {
  createSnapshotStore,
  pgCustomDump,
  putDump,
  snapshotSource,
  snapshotTaskSpec,
} from './snapshot-store-fixtures';

const SOURCE_DB = 'snapex_rst_source';
const STACK_NAME = 'snapex-rst';
const STORE_BUCKET = 'snapex-rst-store';
const SCRATCH_PREFIX = 'snapex_rst_scratch_';
const MYSQL_URL = 'mysql://root@127.0.0.1:3306/';
const ORDERS = 200_000;
const CLUSTERS = ['rst-a', 'rst-b', 'rst-c', 'rst-d', 'rst-e'];
let clustersUsed = 0;
const SNAPSHOT_TIME = new Date('2026-11-01T12:00:00.000Z');

type PartitionRequest = EventPayload<typeof PartitionRequested>;

const ORDERS_DIGEST_SQL = `
  SELECT count(*)::text AS n, sum(id)::text AS total,
         md5(string_agg(note || amount::text || placed_at::text, ',' ORDER BY id)) AS digest
    FROM public.orders`;

function scratchName(taskId: string, ordinal = 1): string {
  return `${SCRATCH_PREFIX}${taskId.replace(/-/g, '')}_${ordinal}`;
}

async function pgDatabasesLike(prefix: string): Promise<string[]> {
  return withPg(PG_ADMIN_URL, async (client) => {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      prefix,
    ]);
    return rows.map((row) => row.datname as string);
  });
}

async function mysqlDatabasesLike(prefix: string): Promise<string[]> {
  const client = await createConnection(MYSQL_URL);
  try {
    const [rows] = await client.query('SELECT schema_name AS name FROM information_schema.schemata');
    return (rows as { name: string }[]).map((row) => row.name).filter((name) => name.startsWith(prefix));
  } finally {
    await client.end();
  }
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 60_000, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

describe('exporting a snapshot: restored into a scratch database, extracted from it, always cleaned up', () => {
  let stack: Stack;
  let nats: NatsConnection;
  let store: S3Client;
  let sourceUrl: string;
  let snapshotDigest: Record<string, string>;
  let dump: DatabaseDump;
  const requests: PartitionRequest[] = [];

  beforeAll(async () => {
    sourceUrl = await recreateDatabase(SOURCE_DB);
    await withPg(sourceUrl, (client) =>
      client.query(`
        CREATE TABLE public.orders (id bigint PRIMARY KEY, note text NOT NULL, amount numeric(12, 2) NOT NULL,
                                    placed_at timestamptz NOT NULL);
        INSERT INTO public.orders
        SELECT i, md5(i::text), (i % 10000) / 100.0, timestamptz '2026-01-01' + make_interval(secs => i)
          FROM generate_series(1, ${ORDERS}) i;
        CREATE SCHEMA sales;
        CREATE TABLE sales.items (sku text, price real);
        INSERT INTO sales.items SELECT 'sku-' || i, i / 4.0 FROM generate_series(1, 300) i;
        ANALYZE;`),
    );
    snapshotDigest = await withPg(sourceUrl, async (client) => {
      await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
      return (await client.query(ORDERS_DIGEST_SQL)).rows[0];
    });
    stack = await Stack.start({
      name: STACK_NAME,
      // One export at a time per source: a cluster of its own for each task of the suite.
      sources: CLUSTERS.map((name) => ({ name, url: sourceUrl, databases: [SOURCE_DB] })),
      workDir: process.env.SNAPEX_TEST_WORK_DIR,
      config: {
        nats: { url: NATS_URL, ackWaitSeconds: 5, maxDeliver: 5 },
        snapshotStore: { bucket: STORE_BUCKET },
        scratch: {
          servers: [
            { name: 'scratch-pg', engine: 'postgres', url: PG_ADMIN_URL },
            { name: 'scratch-my', engine: 'mysql', url: MYSQL_URL },
          ],
          databasePrefix: SCRATCH_PREFIX,
          restoreJobs: 2,
        },
        restorer: { partitionTargetBytes: 4 * 1024 * 1024 },
      },
    });
    // The snapshot catalogue is not here yet: the test stands in for the validator and hands the restorer
    // a spec that carries the snapshot, as StartExportTask will for a snapshot ARN.
    await stack.stopService(
      stack.services.find((service) => service.name.startsWith('credential-validator'))!,
    );
    store = await createSnapshotStore(stack.moto, STORE_BUCKET);
    dump = await putDump(
      store,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: `snapshots/rst-snap/${SOURCE_DB}.dump` },
      pgCustomDump(SOURCE_DB),
    );
    // The live database moves on after the snapshot; none of this may reach the export.
    await withPg(sourceUrl, (client) =>
      client.query(`
        INSERT INTO public.orders SELECT i, 'later', 1, now() FROM generate_series(${ORDERS + 1}, ${ORDERS + 5000}) i;
        UPDATE public.orders SET note = 'changed' WHERE id <= 100;
        DELETE FROM sales.items WHERE price > 10;`),
    );
    nats = await connect({ servers: NATS_URL });
    nats.subscribe(PartitionRequested.subject, {
      callback: (_error, message) => requests.push(message.json<PartitionRequest>()),
    });
  });

  afterAll(async () => {
    await nats?.close();
    await stack?.stop();
  });

  async function startSnapshotExport(identifier: string, snapshot: SnapshotSource) {
    const cluster = CLUSTERS[clustersUsed++];
    const started = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: identifier,
      SourceArn: stack.clusterArn(cluster),
      S3BucketName: stack.target.bucket,
      IamRoleArn: stack.target.roleArn,
      KmsKeyId: stack.target.kmsKeyArn,
    });
    expect(started.status).toBe(200);
    const taskId = await withPg(pgUrl(`snapex_registry_${STACK_NAME.replace(/-/g, '_')}`), async (client) => {
      const { rows } = await client.query(
        'SELECT task_id FROM snapex_registry.export_tasks WHERE export_task_identifier = $1',
        [identifier],
      );
      return rows[0].task_id as string;
    });
    const task = { taskId, accountId: MOTO_ACCOUNT, exportTaskIdentifier: identifier };
    const payload: EventPayload<typeof CredentialsValidated> = {
      ...task,
      eventId: eventIdFor(CredentialsValidated, taskId),
      occurredAt: new Date().toISOString(),
      spec: snapshotTaskSpec(task, stack.target, snapshot, cluster),
    };
    await nats.jetstream().publish(CredentialsValidated.subject, JSON.stringify(payload), {
      msgID: payload.eventId,
    });
    return taskId;
  }

  async function exportedOrdersDigest(identifier: string): Promise<Record<string, string>> {
    const { s3 } = adminClients(stack.moto);
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/${SOURCE_DB}/public.orders/`))
      .map((object) => object.key)
      .filter((key) => key.endsWith('.gz.parquet'));
    const { dir } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    const reader = await ParquetReader.open();
    const [digest] = await reader.rows(
      `SELECT count(*)::varchar AS n, sum(id)::varchar AS total,
              md5(string_agg(note || amount || placed_at, ',' ORDER BY id)) AS digest
         FROM read_parquet(${parquetList(keys.map((key) => join(dir, key)))})`,
    );
    return digest as Record<string, string>;
  }

  it('exports the snapshot, not the live data, from a scratch copy that is dropped once COMPLETE', async () => {
    const identifier = `rst-snap-${Date.now()}`;
    const taskId = await startSnapshotExport(
      identifier,
      snapshotSource('rst-snap', STORE_BUCKET, [dump], SNAPSHOT_TIME),
    );
    const statuses = new Set<string>();
    await waitUntil(async () => {
      const { body } = await stack.api('/v1/DescribeExportTasks', { ExportTaskIdentifier: identifier });
      statuses.add(body.ExportTasks[0].Status);
      return ['COMPLETE', 'FAILED'].includes(body.ExportTasks[0].Status);
    }, 240_000);
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    expect(task.ExportTime).toBe(SNAPSHOT_TIME.toISOString());
    expect(statuses.has('STARTING')).toBe(true);

    const own = requests.filter((request) => request.taskId === taskId);
    expect(own.length).toBeGreaterThan(2);
    for (const request of own) {
      expect(request.table.database).toBe(SOURCE_DB);
      expect(request.readPoint).toMatchObject({
        scratchServer: 'scratch-pg',
        database: scratchName(taskId),
        snapshotId: null,
      });
    }

    expect(await exportedOrdersDigest(identifier)).toEqual(snapshotDigest);
    const { s3 } = adminClients(stack.moto);
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/`)).map((object) => object.key);
    expect(keys.some((key) => key.startsWith(`${identifier}/${SOURCE_DB}/sales.items/`))).toBe(true);
    await waitUntil(async () => (await pgDatabasesLike(scratchName(taskId))).length === 0, 30_000);
    expect(stack.logs('restorer')).toContain('"msg":"copied into a scratch database"');
  });

  it('fails with the restore’s own cause when a dump cannot be restored, and leaves no scratch database', async () => {
    const broken = await putDump(
      store,
      STORE_BUCKET,
      { database: SOURCE_DB, format: 'pg-custom', key: 'snapshots/rst-broken/db.dump' },
      Buffer.from('this is not a pg_dump archive'),
    );
    const missing: DatabaseDump = { ...dump, database: 'other', key: 'snapshots/rst-missing/db.dump' };
    const cases = [
      {
        snapshot: [broken],
        cause: /^Database snapex_rst_source could not be restored: pg_restore exited with code 1/,
      },
      {
        snapshot: [missing],
        cause: /^The dump of database other could not be read from the snapshot store: NoSuchKey\.$/,
      },
    ];
    for (const [index, { snapshot, cause }] of cases.entries()) {
      const identifier = `rst-broken-${index}-${Date.now()}`;
      const taskId = await startSnapshotExport(
        identifier,
        snapshotSource('rst-broken', STORE_BUCKET, snapshot, SNAPSHOT_TIME),
      );
      const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED'], 60_000);
      expect(task.Status).toBe('FAILED');
      expect(task.FailureCause).toMatch(cause);
      await waitUntil(async () => (await pgDatabasesLike(scratchName(taskId))).length === 0, 30_000);
    }
  });

  it('finishes the restore after a restorer is killed mid-restore and started again', async () => {
    const identifier = `rst-kill-${Date.now()}`;
    const restorer = stack.services.find((service) => service.name.startsWith('restorer'))!;
    const taskId = await startSnapshotExport(
      identifier,
      snapshotSource('rst-kill', STORE_BUCKET, [dump], SNAPSHOT_TIME),
    );
    // The scratch database exists from the moment the restore begins; kill the restorer right then.
    await waitUntil(async () => (await pgDatabasesLike(scratchName(taskId))).length === 1, 60_000, 20);
    restorer.process.kill('SIGKILL');
    await new Promise((resolve) => restorer.process.once('exit', resolve));
    const { body } = await stack.api('/v1/DescribeExportTasks', { ExportTaskIdentifier: identifier });
    expect(body.ExportTasks[0].Status).toBe('STARTING');
    expect(stack.logs('restorer')).not.toMatch(
      new RegExp(`"taskId":"${taskId}".*"msg":"copied into a scratch database"`),
    );

    await stack.startService('restorer');
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED'], 240_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    expect(await exportedOrdersDigest(identifier)).toEqual(snapshotDigest);
    await waitUntil(async () => (await pgDatabasesLike(scratchName(taskId))).length === 0, 30_000);
  });

  it('cancels during the restore: the restore stops, and the copies go once CANCELED', async () => {
    const identifier = `rst-cancel-${Date.now()}`;
    const copies = [1, 2, 3].map((n) => ({ ...dump, database: `${SOURCE_DB}_${n}` }));
    const taskId = await startSnapshotExport(
      identifier,
      snapshotSource('rst-cancel', STORE_BUCKET, copies, SNAPSHOT_TIME),
    );
    await waitUntil(async () => (await pgDatabasesLike(scratchName(taskId))).length === 1, 60_000, 20);
    const canceled = await stack.api('/v1/CancelExportTask', { ExportTaskIdentifier: identifier });
    expect(canceled.body.Status).toBe('CANCELING');
    const task = await stack.waitForStatus(identifier, ['CANCELED', 'COMPLETE', 'FAILED'], 60_000);
    expect(task.Status).toBe('CANCELED');
    await waitUntil(
      async () => (await pgDatabasesLike(scratchName(taskId).slice(0, -1))).length === 0,
      30_000,
    );
    expect(requests.filter((request) => request.taskId === taskId)).toEqual([]);
    const ownLog = stack
      .logs('restorer')
      .split('\n')
      .filter((line) => line.includes(taskId));
    expect(
      ownLog.some((line) => line.includes('"msg":"stopped copying: the task is canceling or over"')),
    ).toBe(true);
    expect(
      ownLog.filter((line) => line.includes('"msg":"copied into a scratch database"')).length,
    ).toBeLessThan(3);
  });

  it('drops scratch databases of unknown tasks when a restorer starts', async () => {
    const orphan = `${SCRATCH_PREFIX}${'0123456789abcdef0123456789abcdef'}_1`;
    await withPg(PG_ADMIN_URL, (client) => client.query(`CREATE DATABASE "${orphan}"`));
    const mysql = await createConnection(MYSQL_URL);
    await mysql.query(`CREATE DATABASE \`${orphan}\``);
    await mysql.end();
    const unrelated = `${SCRATCH_PREFIX}keep_me`;
    await withPg(PG_ADMIN_URL, (client) => client.query(`CREATE DATABASE "${unrelated}"`));
    try {
      const restorer = stack.services.filter((service) => service.name.startsWith('restorer')).at(-1)!;
      await stack.stopService(restorer);
      await stack.startService('restorer');
      await waitUntil(async () => (await pgDatabasesLike(orphan)).length === 0, 60_000);
      await waitUntil(async () => (await mysqlDatabasesLike(orphan)).length === 0, 30_000);
      // A name the scheme did not make is not snapex's to drop.
      expect(await pgDatabasesLike(unrelated)).toEqual([unrelated]);
    } finally {
      await withPg(PG_ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${unrelated}"`));
    }
  });
});
