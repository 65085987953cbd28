import { PutObjectCommand } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  grantReader,
  PG_ADMIN_URL,
  pgUrl,
  recreateDatabase,
  withPg,
} from '../../scripts/local-stack/databases';
import { MY_ADMIN_URL, myUrl, recreateMySqlDatabase, withMySql } from '../../scripts/local-stack/mariadb';
import { downloadPrefix, listObjects, parquetList, ParquetReader } from '../../scripts/local-stack/readback';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { adminClients, scratchPrefixOf, snapshotStoreOf, Stack } from '../../scripts/local-stack/stack';
import { eventuallyValue as eventually } from '../support/eventually';
import { printLogsIfFailed } from '../support/service-logs';

const STACK = { name: 'e2e-snap' };
const PG_SOURCE = 'snapex_e2e_snap_pg';
const MY_SOURCE = 'snapex_e2e_snap_my';
const READER = 'snapex_e2e_snap_reader';
const ORDER_ROWS = 60_000;
const SCRATCH_PREFIX = scratchPrefixOf(STACK);

/** What the export must reproduce: the orders as they were, summed and hashed in key order. */
const ORDERS_DIGEST_SQL = `
  SELECT count(*)::text AS n, sum(id)::text AS ids, md5(string_agg(amount::text || '|' || coalesce(note, '∅'), ',' ORDER BY id)) AS rows
    FROM orders`;

async function createPgSource(): Promise<void> {
  await withPg(await recreateDatabase(PG_SOURCE), async (client) => {
    await client.query('CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2), note text)');
    await client.query(
      `INSERT INTO orders SELECT i, (i % 9973) / 100.0, CASE WHEN i % 5 = 0 THEN NULL ELSE 'order ' || i END
         FROM generate_series(1, ${ORDER_ROWS}) i`,
    );
    await client.query('ANALYZE orders');
    await grantReader(client, READER, ['public']);
  });
}

async function createMySource(): Promise<void> {
  await recreateMySqlDatabase(MY_SOURCE);
  await withMySql(async (connection) => {
    await connection.query(
      'CREATE TABLE products (id INT PRIMARY KEY, price DECIMAL(10,2), added DATETIME(6), name VARCHAR(40))',
    );
    await connection.query(
      `INSERT INTO products
         SELECT seq, seq * 1.25, TIMESTAMP('2024-01-01') + INTERVAL seq SECOND, CONCAT('product ', seq)
           FROM seq_1_to_2000`,
    );
  }, MY_SOURCE);
}

/** A single-database dump as an operator would make one to register: no CREATE DATABASE, gzip. */
function mariadbDumpGz(database: string): Buffer {
  const url = new URL(MY_ADMIN_URL);
  const result = spawnSync(
    'mariadb-dump',
    [`--host=${url.hostname}`, `--port=${url.port || 3306}`, '--user=root', '--single-transaction', database],
    { maxBuffer: 256 * 1024 ** 2 },
  );
  if (result.status !== 0) throw new Error(`mariadb-dump failed: ${result.stderr.toString()}`);
  return gzipSync(result.stdout);
}

describe('exporting snapshots through the seven services', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    await createPgSource();
    await createMySource();
    stack = await Stack.start({
      ...STACK,
      sources: [
        { name: 'snap-pg', url: pgUrl(PG_SOURCE, READER), databases: [PG_SOURCE] },
        { name: 'snap-my', engine: 'mysql', url: myUrl(), databases: [MY_SOURCE] },
      ],
      // Small partitions, so the restored copy is read by several partitions at once.
      config: { restorer: { partitionTargetBytes: 512 * 1024 } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await withPg(PG_ADMIN_URL, (client) => client.query(`ALTER ROLE ${READER} LOGIN`)).catch(() => undefined);
    await stack?.stop();
  });

  afterEach(() => printLogsIfFailed(stack));

  async function describeSnapshot(identifier: string): Promise<any> {
    const { body } = await stack.api('/v1/DescribeDBClusterSnapshots', {
      DBClusterSnapshotIdentifier: identifier,
    });
    return body?.DBClusterSnapshots?.[0];
  }

  async function parquetFilesOf(identifier: string, folder: string): Promise<string[]> {
    const { s3 } = adminClients(stack.moto);
    const keys = (await listObjects(s3, stack.target.bucket, identifier))
      .map((object) => object.key)
      .filter((key) => key.endsWith('.gz.parquet') && key.includes(`/${folder}/`));
    const { dir } = await downloadPrefix(s3, stack.target.bucket, identifier);
    return keys.map((key) => join(dir, key));
  }

  async function scratchDatabases(): Promise<string[]> {
    return withPg(PG_ADMIN_URL, async (client) =>
      (
        await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [SCRATCH_PREFIX])
      ).rows.map((row) => row.datname as string),
    );
  }

  it('exports the data as the snapshot took it, with the live database changed, locked out and the snapshot deleted', async () => {
    const created = await stack.api('/v1/CreateDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: 'orders-before-cleanup',
      DBClusterIdentifier: 'snap-pg',
    });
    expect(created.status).toBe(200);
    expect(created.body.DBClusterSnapshot.Status).toBe('creating');
    const snapshot = await eventually(async () => {
      const seen = await describeSnapshot('orders-before-cleanup');
      return seen?.Status === 'available' ? seen : undefined;
    }, 120_000);
    const atSnapshot = await withPg(
      pgUrl(PG_SOURCE),
      async (client) => (await client.query(ORDERS_DIGEST_SQL)).rows[0],
    );

    // After the snapshot: the source changes, and its export user can no longer log in at all.
    await withPg(pgUrl(PG_SOURCE), async (client) => {
      await client.query('DELETE FROM orders WHERE id <= 1000');
      await client.query("UPDATE orders SET note = 'changed' WHERE id % 7 = 0");
      await client.query(`INSERT INTO orders VALUES (${ORDER_ROWS + 1}, 1.00, 'late')`);
      await client.query(`ALTER ROLE ${READER} NOLOGIN`);
    });

    const identifier = `snap-export-${Date.now()}`;
    const started = await stack.startExport(identifier, snapshot.DBClusterSnapshotArn);
    expect(started).toMatchObject({ Status: 'STARTING', SourceType: 'SNAPSHOT' });
    // The seed: a snapshot may be deleted while it is exported; the export goes on.
    const deleted = await stack.api('/v1/DeleteDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: 'orders-before-cleanup',
    });
    expect(deleted.status).toBe(200);

    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    expect([task.SnapshotTime, task.ExportTime]).toEqual([
      snapshot.SnapshotCreateTime,
      snapshot.SnapshotCreateTime,
    ]);

    const files = await parquetFilesOf(identifier, `${PG_SOURCE}/public.orders`);
    expect(files.length).toBeGreaterThan(1);
    const [exported] = await reader.rows(
      `SELECT count(*)::VARCHAR AS n, sum(id)::VARCHAR AS ids,
              md5(string_agg(amount || '|' || coalesce(note, '∅'), ',' ORDER BY id)) AS rows
         FROM read_parquet(${parquetList(files)})`,
    );
    expect(exported).toEqual(atSnapshot);

    await eventually(async () => ((await scratchDatabases()).length === 0 ? true : undefined), 60_000);
    await eventually(
      async () => ((await describeSnapshot('orders-before-cleanup')) ? undefined : true),
      60_000,
    );
  });

  it('exports a MariaDB dump registered as a snapshot', async () => {
    const { s3 } = adminClients(stack.moto);
    const key = `snapshots/${MOTO_ACCOUNT}/imports/${MY_SOURCE}.sql.gz`;
    await s3.send(
      new PutObjectCommand({ Bucket: snapshotStoreOf(STACK), Key: key, Body: mariadbDumpGz(MY_SOURCE) }),
    );
    const registered = await stack.api('/v1/RegisterDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: 'shop-import',
      DBClusterIdentifier: 'snap-my',
      Engine: 'mysql',
      Dumps: [{ Database: MY_SOURCE, Format: 'mysql-sql', S3Key: key }],
    });
    expect(registered.status).toBe(200);
    expect(registered.body.DBClusterSnapshot.Status).toBe('available');

    const identifier = `snap-import-${Date.now()}`;
    await stack.startExport(identifier, registered.body.DBClusterSnapshot.DBClusterSnapshotArn);
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });

    const files = await parquetFilesOf(identifier, `${MY_SOURCE}/${MY_SOURCE}.products`);
    const [exported] = await reader.rows(
      `SELECT count(*)::VARCHAR AS n, sum(price)::VARCHAR AS prices, epoch_us(min(added))::VARCHAR AS first,
              max(name) AS last FROM read_parquet(${parquetList(files)})`,
    );
    expect(exported).toEqual({
      n: '2000',
      prices: '2501250.00',
      first: String(Date.UTC(2024, 0, 1, 0, 0, 1) * 1000),
      last: 'product 999',
    });
    await eventually(async () => ((await scratchMyDatabases()).length === 0 ? true : undefined), 60_000);
  });

  async function scratchMyDatabases(): Promise<string[]> {
    return withMySql(async (connection) => {
      const [rows] = await connection.query(
        'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?',
        [`${SCRATCH_PREFIX}%`],
      );
      return (rows as { name: string }[]).map((row) => row.name);
    });
  }
});
