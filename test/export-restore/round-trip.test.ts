import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeIdentifier } from 'pg';
import { dropDatabase, pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import {
  dropMySqlDatabase,
  myUrl,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { MOTO_REGION } from '../../scripts/local-stack/moto';
import { mySampleSql, ownValuesOf } from '../../scripts/local-stack/mysql-sample';
import { downloadPrefix, ParquetReader } from '../../scripts/local-stack/readback';
import { createSampleDatabase } from '../../scripts/local-stack/sample-database';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { eventuallyValue } from '../support/eventually';
import { runSnapex } from '../support/snapex-cli';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(300_000);

const PG_SOURCE = `snapex_rt_pg_src_${process.pid}`;
const PG_RESTORED = `snapex_rt_pg_dst_${process.pid}`;
const PG_RESTORED_BY_API = `snapex_rt_pg_api_${process.pid}`;
const MY_SOURCE = `snapex_rt_my_src_${process.pid}`;
const MY_RESTORED = `snapex_rt_my_dst_${process.pid}`;
const PG_RESTORED_NATIVE = `snapex_rt_pg_nat_${process.pid}`;
const MY_RESTORED_NATIVE = `snapex_rt_my_nat_${process.pid}`;
const PG_TABLES = [
  'inventory.empty_table',
  'inventory.items',
  'public.all_types',
  'sales.orders',
  'sales.refunds',
];
const MY_TABLES = ['all_types', 'orders', 'Odd `name` select', 'empty_table'];

/** Rows and an md5 of every row's text, in the text's order: what says two tables hold the same values. */
async function pgDigests(database: string): Promise<Record<string, string>> {
  return withPg(pgUrl(database), async (client) => {
    const digests: Record<string, string> = {};
    for (const name of PG_TABLES) {
      const [schema, table] = name.split('.');
      const { rows } = await client.query(
        `SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') AS digest
           FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)} t`,
      );
      digests[name] = rows[0].digest;
    }
    return digests;
  });
}

/** Every value of every table as MariaDB shows it (see ownValuesOf). */
async function myValues(database: string) {
  const values: Record<string, unknown> = {};
  for (const table of MY_TABLES) values[table] = await ownValuesOf(database, table);
  return values;
}

describe('an export read back: table definitions and a restore into a fresh database', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    await createSampleDatabase(await recreateDatabase(PG_SOURCE), 3_000);
    await recreateMySqlDatabase(MY_SOURCE);
    // Zero dates are exported as NULL (counted in nulledValues), so the row holding them is left out here.
    await withMySql(
      (connection) => connection.query(`${mySampleSql(2_000)} DELETE FROM all_types WHERE id = 4;`),
      MY_SOURCE,
    );
    stack = await Stack.start({
      name: 'snapex-round-trip',
      sources: [
        { name: 'pg-cluster', url: pgUrl(PG_SOURCE), databases: [PG_SOURCE] },
        { name: 'maria-cluster', engine: 'mysql', url: myUrl(), databases: [MY_SOURCE] },
      ],
      config: { gateway: { restoreExports: true } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(PG_SOURCE);
    await dropDatabase(PG_RESTORED);
    await dropDatabase(PG_RESTORED_BY_API);
    await dropMySqlDatabase(MY_SOURCE);
    await dropMySqlDatabase(MY_RESTORED);
    await dropDatabase(PG_RESTORED_NATIVE);
    await dropMySqlDatabase(MY_RESTORED_NATIVE);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function exported(identifier: string, source: string, extra: Record<string, unknown> = {}) {
    await stack.startExport(identifier, stack.clusterArn(source), extra);
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 240_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    return (await downloadPrefix(adminClients(stack.moto).s3, stack.target.bucket, `${identifier}/`)).dir;
  }

  /** The export's DuckDB definitions, run against the downloaded copy of its folder. */
  async function runDuckdbDefinitions(dir: string, identifier: string): Promise<void> {
    const sql = readFileSync(
      join(dir, identifier, `export_table_definitions_${identifier}_duckdb.sql`),
      'utf8',
    );
    await reader.rows(sql.replaceAll(`s3://${stack.target.bucket}/`, `${dir}/`));
  }

  /** Rows of each view, by view name. */
  const viewCounts = (schema: string, views: string[]) =>
    reader.rows(
      views
        .map((view) => `SELECT '${view}' AS t, count(*)::INTEGER AS n FROM "${schema}"."${view}"`)
        .join(' UNION ALL ') + ' ORDER BY t',
    );

  const snapex = (args: string[]) =>
    runSnapex(args, {
      AWS_ACCESS_KEY_ID: stack.moto.admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stack.moto.admin.secretAccessKey,
      AWS_REGION: MOTO_REGION,
      AWS_ENDPOINT_URL_S3: stack.moto.endpoint,
    });

  const restoreArgs = (identifier: string, targetUrl: string) => [
    'restore-export',
    '--s3-bucket-name',
    stack.target.bucket,
    '--export-task-identifier',
    identifier,
    '--target-url',
    targetUrl,
    '--concurrency',
    '3',
  ];

  it('PostgreSQL: the DuckDB views read every table with typed columns, and the restore holds every row exactly', async () => {
    const identifier = `rt-pg-${Date.now()}`;
    const dir = await exported(identifier, 'pg-cluster');

    await runDuckdbDefinitions(dir, identifier);
    expect(await viewCounts(PG_SOURCE, PG_TABLES)).toEqual([
      { t: 'inventory.empty_table', n: 0 },
      { t: 'inventory.items', n: 3 },
      { t: 'public.all_types', n: 63 },
      { t: 'sales.orders', n: 3000 },
      { t: 'sales.refunds', n: 0 },
    ]);
    const types = await reader.rows(
      `SELECT column_name, column_type AS data_type FROM (DESCRIBE "${PG_SOURCE}"."public.all_types")
         WHERE column_name IN ('c_decimal', 'c_date', 'c_timestamp', 'c_timestamptz', 'c_uuid', 'c_text', 'c_bigint')
         ORDER BY column_name`,
    );
    expect(types).toEqual([
      { column_name: 'c_bigint', data_type: 'BIGINT' },
      { column_name: 'c_date', data_type: 'DATE' },
      { column_name: 'c_decimal', data_type: 'DECIMAL(20,6)' },
      { column_name: 'c_text', data_type: 'VARCHAR' },
      { column_name: 'c_timestamp', data_type: 'TIMESTAMP' },
      { column_name: 'c_timestamptz', data_type: 'TIMESTAMP WITH TIME ZONE' },
      { column_name: 'c_uuid', data_type: 'UUID' },
    ]);
    const [sums] = await reader.rows(
      `SELECT sum(amount)::VARCHAR AS amount, min(ordered_at)::VARCHAR AS first FROM "${PG_SOURCE}"."sales.orders"`,
    );
    const [own] = await withPg(pgUrl(PG_SOURCE), async (client) => {
      await client.query("SET TimeZone = 'UTC'");
      return (
        await client.query(
          `SELECT sum(amount)::text AS amount, to_char(min(ordered_at), 'YYYY-MM-DD HH24:MI:SS') || '+00' AS first FROM sales.orders`,
        )
      ).rows;
    });
    expect(sums).toEqual(own);
    const emptyColumns = await reader.rows(
      `SELECT column_name FROM (DESCRIBE "${PG_SOURCE}"."inventory.empty_table")`,
    );
    expect(emptyColumns.map((row) => row.column_name)).toEqual(['id', 'label']);

    await recreateDatabase(PG_RESTORED);
    const restore = await snapex(restoreArgs(identifier, pgUrl(PG_RESTORED)));
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('restore: 5/5 tables, 3066/3066 rows');
    expect(await pgDigests(PG_RESTORED)).toEqual(await pgDigests(PG_SOURCE));

    const again = await snapex(restoreArgs(identifier, pgUrl(PG_RESTORED)));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists in the target/);

    // The same through the gateway, which reads the files as the export's role.
    await recreateDatabase(PG_RESTORED_BY_API);
    const started = await stack.api('/v1/RestoreExportTask', {
      ExportTaskIdentifier: identifier,
      TargetUrl: pgUrl(PG_RESTORED_BY_API),
      Concurrency: 2,
    });
    expect(started).toMatchObject({ status: 200, body: { Status: 'IN_PROGRESS' } });
    const restored = await eventuallyValue(async () => {
      const { body } = await stack.api('/v1/DescribeExportTaskRestore', { ExportTaskIdentifier: identifier });
      return body.Status === 'IN_PROGRESS' ? undefined : body;
    }, 60_000);
    expect(restored).toMatchObject({
      Status: 'COMPLETE',
      TablesRestored: 5,
      RowsRestored: 3066,
      RowsTotal: 3066,
    });
    expect(await pgDigests(PG_RESTORED_BY_API)).toEqual(await pgDigests(PG_SOURCE));
    const unknown = await stack.api('/v1/DescribeExportTaskRestore', {
      ExportTaskIdentifier: 'no-such-export',
    });
    expect(unknown.status).toBe(404);
  });

  it('MySQL: the DuckDB views read every table, and the restore holds every value exactly', async () => {
    const identifier = `rt-my-${Date.now()}`;
    const dir = await exported(identifier, 'maria-cluster');

    await runDuckdbDefinitions(dir, identifier);
    expect(await viewCounts(MY_SOURCE, MY_TABLES)).toEqual([
      { t: 'Odd `name` select', n: 1 },
      { t: 'all_types', n: 4 },
      { t: 'empty_table', n: 0 },
      { t: 'orders', n: 2000 },
    ]);
    const [dates] = await reader.rows(
      `SELECT any_value(typeof(c_date)) AS type, min(c_date)::VARCHAR AS first FROM "${MY_SOURCE}"."all_types"`,
    );
    expect(dates).toEqual({ type: 'DATE', first: '1000-01-01' });

    await recreateMySqlDatabase(MY_RESTORED);
    const restore = await snapex(restoreArgs(identifier, myUrl({ database: MY_RESTORED })));
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('restore: 4/4 tables, 2005/2005 rows');
    expect(await myValues(MY_RESTORED)).toEqual(await myValues(MY_SOURCE));
  });

  it('native types: the restore turns dates, times, wall clocks, UUIDs, JSON and lists back into the same values', async () => {
    const native = { SnapexOutput: { TypeMode: 'native' } };
    const pgIdentifier = `rt-pg-native-${Date.now()}`;
    await exported(pgIdentifier, 'pg-cluster', native);
    await recreateDatabase(PG_RESTORED_NATIVE);
    const pgRestore = await snapex(restoreArgs(pgIdentifier, pgUrl(PG_RESTORED_NATIVE)));
    expect(pgRestore.stderr).toBe('');
    expect(pgRestore.code).toBe(0);
    expect(await pgDigests(PG_RESTORED_NATIVE)).toEqual(await pgDigests(PG_SOURCE));

    const myIdentifier = `rt-my-native-${Date.now()}`;
    await exported(myIdentifier, 'maria-cluster', native);
    await recreateMySqlDatabase(MY_RESTORED_NATIVE);
    const myRestore = await snapex(restoreArgs(myIdentifier, myUrl({ database: MY_RESTORED_NATIVE })));
    expect(myRestore.stderr).toBe('');
    expect(myRestore.code).toBe(0);
    // A TIME outside one day is a duration Parquet's TIME cannot hold: exported NULL, and counted.
    const source = await myValues(MY_SOURCE);
    const allTypes = source.all_types as { columns: string[]; rows: (string | null)[][] };
    const time = allTypes.columns.indexOf('c_time');
    const outsideADay = (value: string | null) => value !== null && !/^[01]\d:|^2[0-3]:/.test(value);
    expect(allTypes.rows.filter((row) => outsideADay(row[time]))).toHaveLength(2);
    for (const row of allTypes.rows) if (outsideADay(row[time])) row[time] = null;
    expect(await myValues(MY_RESTORED_NATIVE)).toEqual(source);
  });
});
