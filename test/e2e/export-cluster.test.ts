import { join } from 'node:path';
import { recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { createExportTarget } from '../../scripts/local-stack/export-target';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { createSampleDatabase } from '../../scripts/local-stack/sample-database';
import {
  downloadPrefix,
  encryptionOf,
  getText,
  listObjects,
  parquetList,
  ParquetReader,
} from '../../scripts/local-stack/readback';
import { adminClients, OTHER_API_KEY, readNotifications, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

const SOURCE_DB = 'snapex_e2e_source';
const MANY_TABLES_DB = 'snapex_e2e_many';
/** Enough tables that extraction is still running when the cancel arrives, however fast the reader. */
const MANY_TABLES = 200;
const ORDER_ROWS = 100_000;

type Kind = 'INT64' | 'INT32' | 'INT16' | 'DOUBLE' | 'FLOAT' | 'BOOLEAN' | 'BINARY' | 'STRING';

/** The seed's PostgreSQL → Parquet table, for the columns of public.all_types. */
const ALL_TYPES_KINDS: Record<string, Kind> = {
  id: 'INT64',
  c_bigint: 'INT64',
  c_decimal: 'STRING',
  c_double: 'DOUBLE',
  c_integer: 'INT32',
  c_money: 'STRING',
  c_real: 'FLOAT',
  c_serial: 'INT32',
  c_smallint: 'INT16',
  c_smallserial: 'INT16',
  c_bytea: 'BINARY',
  c_boolean: 'BOOLEAN',
};
const kindOf = (column: string): Kind => ALL_TYPES_KINDS[column] ?? 'STRING';

const PHYSICAL: Record<Kind, { type: string; convertedType: string | null }> = {
  INT64: { type: 'INT64', convertedType: null },
  INT32: { type: 'INT32', convertedType: null },
  INT16: { type: 'INT32', convertedType: 'INT_16' },
  DOUBLE: { type: 'DOUBLE', convertedType: null },
  FLOAT: { type: 'FLOAT', convertedType: null },
  BOOLEAN: { type: 'BOOLEAN', convertedType: null },
  BINARY: { type: 'BYTE_ARRAY', convertedType: null },
  STRING: { type: 'BYTE_ARRAY', convertedType: 'UTF8' },
};

/** Session settings the extractor uses, so the database's own text output is comparable. */
const TEXT_SETTINGS =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1";

function sameValue(kind: Kind, exported: unknown, sourceText: string | null): boolean {
  if (sourceText === null || exported === null) return exported === sourceText;
  switch (kind) {
    case 'INT64':
    case 'INT32':
    case 'INT16':
      return String(exported) === sourceText;
    case 'DOUBLE':
      return Object.is(exported, Number(sourceText));
    case 'FLOAT':
      return Object.is(Math.fround(exported as number), Math.fround(Number(sourceText)));
    case 'BOOLEAN':
      return exported === (sourceText === 't');
    case 'BINARY':
      return `\\x${Buffer.from(exported as Uint8Array).toString('hex')}` === sourceText;
    case 'STRING':
      return exported === sourceText;
  }
}

describe('export of a live PostgreSQL cluster through the seven services', () => {
  let stack: Stack;
  let sourceUrl: string;
  let reader: ParquetReader;

  beforeAll(async () => {
    sourceUrl = await recreateDatabase(SOURCE_DB);
    await createSampleDatabase(sourceUrl, ORDER_ROWS);
    const manyUrl = await recreateDatabase(MANY_TABLES_DB);
    await withPg(manyUrl, async (client) => {
      for (let table = 0; table < MANY_TABLES; table++) {
        await client.query(
          `CREATE TABLE t${table} AS SELECT i AS id, md5(i::text) AS payload FROM generate_series(1, 5000) i`,
        );
      }
    });
    stack = await Stack.start({
      name: 'e2e-cluster',
      sources: [
        { name: 'sample-cluster', url: sourceUrl, databases: [SOURCE_DB] },
        { name: 'many-tables', url: manyUrl, databases: [MANY_TABLES_DB] },
      ],
      // Small partitions, so the large table is read as several key ranges by parallel extractors.
      config: { restorer: { partitionTargetBytes: 2 * 1024 * 1024 } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(() => printLogsIfFailed(stack));

  it('exports every table as gzip Parquet whose types and values match the source, with metadata', async () => {
    const { s3 } = adminClients(stack.moto);
    const identifier = `full-export-${Date.now()}`;
    const sourceStats = await withPg(sourceUrl, async (client) => {
      await client.query(TEXT_SETTINGS);
      const { rows } = await client.query(
        `SELECT count(*) AS n, sum(order_id) AS ids, sum(quantity) AS qty, count(note) AS notes, count(*) FILTER (WHERE shipped) AS shipped,
                md5(string_agg(amount::text, ',' ORDER BY order_id)) AS amounts, md5(string_agg(ordered_at::text, ',' ORDER BY order_id)) AS times,
                md5(string_agg(customer || coalesce(note, '∅'), ',' ORDER BY order_id)) AS texts
         FROM sales.orders`,
      );
      return rows[0];
    });
    const started = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: identifier,
      SourceArn: stack.clusterArn('sample-cluster'),
      S3BucketName: stack.target.bucket,
      IamRoleArn: stack.target.roleArn,
      KmsKeyId: stack.target.kmsKeyArn,
      S3Prefix: 'exports/daily run',
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      ExportTaskIdentifier: identifier,
      Status: 'STARTING',
      PercentProgress: 0,
      SourceType: 'CLUSTER',
    });

    // Once the read point is pinned the cluster keeps taking writes; the export must not see them.
    const pinned = await stack.waitForStatus(identifier, ['IN_PROGRESS', 'COMPLETE', 'FAILED']);
    expect(pinned.ExportTime).toBeDefined();
    await withPg(sourceUrl, (client) =>
      client.query(
        "INSERT INTO inventory.items VALUES ('SKU-LATE', 'after start', 1, 1); " +
          'DELETE FROM sales.orders WHERE order_id <= 1000; ' +
          "UPDATE sales.orders SET note = 'changed' WHERE order_id % 7 = 0",
      ),
    );

    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    expect(task.PercentProgress).toBe(100);
    expect(task.TaskEndTime).toBeDefined();
    expect(task.ExportTime).toBeDefined();

    const root = `exports/daily_run/${identifier}`;
    const objects = await listObjects(s3, stack.target.bucket, root);
    const parquetKeys = objects.map((object) => object.key).filter((key) => key.endsWith('.gz.parquet'));
    for (const key of parquetKeys) {
      expect(key).toMatch(
        new RegExp(
          `^${root}/${SOURCE_DB}/[a-z]+\\.[a-z_]+/\\d+/part-00000-[0-9a-f-]{36}-c000\\.gz\\.parquet$`,
        ),
      );
    }
    for (const object of objects) {
      expect(await encryptionOf(s3, stack.target.bucket, object.key)).toEqual({
        sse: 'aws:kms',
        keyId: stack.target.kmsKeyArn,
      });
    }
    const { dir } = await downloadPrefix(s3, stack.target.bucket, root);
    const filesOf = (table: string) =>
      parquetKeys.filter((key) => key.includes(`/${SOURCE_DB}/${table}/`)).map((key) => join(dir, key));

    // Types: every column against the seed table, and gzip throughout.
    const allTypesFiles = filesOf('public.all_types');
    expect(allTypesFiles.length).toBeGreaterThan(0);
    const schema = await reader.schema(allTypesFiles[0]);
    const columns = await withPg(sourceUrl, async (client) =>
      (
        await client.query(
          "SELECT attname FROM pg_attribute WHERE attrelid = 'public.all_types'::regclass AND attnum > 0 ORDER BY attnum",
        )
      ).rows.map((row) => row.attname as string),
    );
    expect(Object.keys(schema).sort()).toEqual([...columns].sort());
    for (const column of columns) {
      expect({ column, ...pick(schema[column]) }).toEqual({ column, ...PHYSICAL[kindOf(column)] });
    }
    expect(await reader.codecs(allTypesFiles[0])).toEqual(['GZIP']);

    // Values of every column of every row of all_types, against the database's own output.
    const exported = await reader.rows(
      `SELECT * FROM read_parquet(${parquetList(allTypesFiles)}) ORDER BY id`,
    );
    // The database's own output function for every value (pg hands it over unparsed).
    const source = await withPg(sourceUrl, async (client) => {
      await client.query(TEXT_SETTINGS);
      const { rows } = await client.query({
        text: 'SELECT * FROM public.all_types ORDER BY id',
        rowMode: 'array',
        types: { getTypeParser: () => (text: string) => text },
      });
      return rows as (string | null)[][];
    });
    expect(exported).toHaveLength(source.length);
    const mismatches: string[] = [];
    source.forEach((row, rowIndex) =>
      columns.forEach((column, columnIndex) => {
        const value = exported[rowIndex][column];
        if (!sameValue(kindOf(column), value, row[columnIndex])) {
          mismatches.push(`row ${rowIndex} ${column}: exported ${String(value)} source ${row[columnIndex]}`);
        }
      }),
    );
    expect(mismatches).toEqual([]);

    // The large table: counts, sums and an ordered hash per column.
    const orders = filesOf('sales.orders');
    const [parquetStats] = await reader.rows(
      `SELECT count(*) AS n, sum(order_id) AS ids, sum(quantity) AS qty, count(note) AS notes, count(*) FILTER (WHERE shipped) AS shipped,
              md5(string_agg(amount, ',' ORDER BY order_id)) AS amounts, md5(string_agg(ordered_at, ',' ORDER BY order_id)) AS times,
              md5(string_agg(customer || coalesce(note, '∅'), ',' ORDER BY order_id)) AS texts
       FROM read_parquet(${parquetList(orders)})`,
    );
    expect(Number(parquetStats.n)).toBe(ORDER_ROWS);
    expect({
      ...parquetStats,
      n: String(parquetStats.n),
      ids: String(parquetStats.ids),
      qty: String(parquetStats.qty),
      notes: String(parquetStats.notes),
      shipped: String(parquetStats.shipped),
    }).toEqual(sourceStats);

    // Unicode, NULLs and the consistent point: the row inserted after the start is not there.
    const items = await reader.rows(
      `SELECT sku, title, weight, stock FROM read_parquet(${parquetList(filesOf('inventory.items'))}) ORDER BY sku`,
    );
    expect(items).toEqual([
      { sku: 'SKU-1', title: 'Teekanne «Ümlaut»', weight: 1.25, stock: 10 },
      { sku: 'SKU-2', title: '日本語の商品', weight: null, stock: -3 },
      { sku: 'SKU-3', title: null, weight: 0, stock: null },
    ]);
    // An empty table's folder holds one part with its columns and no rows.
    for (const [empty, columns] of [
      ['inventory.empty_table', ['id', 'label']],
      ['sales.refunds', ['refund_id', 'order_id', 'reason']],
    ] as const) {
      const parts = filesOf(empty);
      expect(parts).toHaveLength(1);
      expect(Object.keys(await reader.schema(parts[0]))).toEqual(columns);
      expect(
        await reader.rows(`SELECT count(*)::INTEGER AS n FROM read_parquet(${parquetList(parts)})`),
      ).toEqual([{ n: 0 }]);
    }

    // Metadata files and _SUCCESS markers.
    const keys = objects.map((object) => object.key);
    for (const table of [
      'public.all_types',
      'sales.orders',
      'sales.refunds',
      'inventory.items',
      'inventory.empty_table',
    ]) {
      expect(keys).toContain(`${root}/${SOURCE_DB}/${table}/_SUCCESS`);
    }
    const info = JSON.parse(await getText(s3, stack.target.bucket, `${root}/export_info_${identifier}.json`));
    expect(info).toMatchObject({
      exportTaskIdentifier: identifier,
      sourceArn: stack.clusterArn('sample-cluster'),
      s3Bucket: stack.target.bucket,
      s3Prefix: 'exports/daily run',
      exportedFilesPath: root,
      iamRoleArn: stack.target.roleArn,
      kmsKeyId: stack.target.kmsKeyArn,
      status: 'COMPLETE',
      percentProgress: 100,
      totalExportedDataInGB: 0,
    });
    for (const key of ['exportOnly', 'snapshotTime', 'taskStartTime', 'taskEndTime'])
      expect(info).toHaveProperty(key);
    const tablesKey = keys.find((key) => /export_tables_info_.*_from_0_to_4\.json$/.test(key));
    expect(tablesKey).toBeDefined();
    const tablesInfo = JSON.parse(await getText(s3, stack.target.bucket, tablesKey!));
    const byTarget = Object.fromEntries(tablesInfo.perTableStatus.map((entry: any) => [entry.target, entry]));
    expect(Object.keys(byTarget).sort()).toEqual(
      ['inventory.empty_table', 'inventory.items', 'public.all_types', 'sales.orders', 'sales.refunds']
        .map((t) => `${SOURCE_DB}.${t}`)
        .sort(),
    );
    const ordersInfo = byTarget[`${SOURCE_DB}.sales.orders`];
    expect(ordersInfo.status).toBe('COMPLETE');
    expect(ordersInfo.tableStatistics.partitioningInfo).toMatchObject({
      constraintType: 'PRIMARY_KEY',
      partitionColumns: [{ columnName: 'order_id', columnType: 'bigint', min: '1', max: String(ORDER_ROWS) }],
    });
    expect(ordersInfo.tableStatistics.partitioningInfo.numberOfPartitions).toBeGreaterThan(1);
    expect(orders.length).toBe(ordersInfo.tableStatistics.partitioningInfo.numberOfPartitions);
    expect(ordersInfo.tableStatistics.partitioningInfo.numberOfCompletedPartitions).toBe(
      ordersInfo.tableStatistics.partitioningInfo.numberOfPartitions,
    );
    expect(ordersInfo.schemaMetadata.originalTypeMappings).toContainEqual(
      expect.objectContaining({
        columnName: 'ordered_at',
        originalType: 'timestamp with time zone',
        expectedExportedType: 'binary (UTF8)',
      }),
    );
    expect(ordersInfo.schemaMetadata.originalTypeMappings).toContainEqual(
      expect.objectContaining({
        columnName: 'amount',
        originalType: 'numeric(12,2)',
        originalNumPrecision: 12,
      }),
    );

    // Notifications: started, progress before the end, completed with RDS's event id.
    const notifications = await readNotifications(MOTO_ACCOUNT, identifier);
    const categories = notifications.map((notification) => notification.category);
    expect(categories[0]).toBe('started');
    expect(categories).toContain('completed');
    const progress = notifications.filter((notification) => notification.category === 'progress');
    // How many progress announcements a one-second export gets depends on timing; the registry test
    // proves one per exported partition.
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.every((notification) => notification.rdsEventId === 'RDS-EVENT-0488')).toBe(true);
    expect(Math.min(...progress.map((notification) => notification.percentProgress))).toBeLessThan(100);
    expect(notifications.find((notification) => notification.category === 'completed').rdsEventId).toBe(
      'RDS-EVENT-0161',
    );
  });

  it('cancels a running export: CANCELING at once, then CANCELED, with no metadata written', async () => {
    const { s3 } = adminClients(stack.moto);
    const identifier = `cancel-${Date.now()}`;
    const started = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: identifier,
      SourceArn: stack.clusterArn('many-tables'),
      S3BucketName: stack.target.bucket,
      IamRoleArn: stack.target.roleArn,
      KmsKeyId: stack.target.kmsKeyArn,
    });
    expect(started.status).toBe(200);
    const running = await stack.waitForStatus(identifier, ['IN_PROGRESS', 'COMPLETE', 'FAILED'], 60_000);
    expect(running.Status).toBe('IN_PROGRESS');
    const canceled = await stack.api('/v1/CancelExportTask', { ExportTaskIdentifier: identifier });
    expect(canceled.status).toBe(200);
    expect(canceled.body.Status).toBe('CANCELING');

    const task = await stack.waitForStatus(identifier, ['CANCELED', 'COMPLETE', 'FAILED'], 60_000);
    expect(task.Status).toBe('CANCELED');
    expect(task.TaskEndTime).toBeDefined();
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/`)).map((object) => object.key);
    expect(keys.filter((key) => key.includes('export_info_'))).toEqual([]);
    expect(keys.filter((key) => key.endsWith('.gz.parquet')).length).toBeLessThan(MANY_TABLES);

    const again = await stack.api('/v1/CancelExportTask', { ExportTaskIdentifier: identifier });
    expect(again.status).toBe(400);
    expect(again.body.Error.Code).toBe('InvalidExportTaskStateFault');
    const notifications = await readNotifications(MOTO_ACCOUNT, identifier);
    expect(notifications.map((notification) => notification.category)).toEqual(
      expect.arrayContaining(['canceling', 'canceled']),
    );
  });

  it('fails a task whose bucket does not exist with the seed message, and hides it from other accounts', async () => {
    const identifier = `no-bucket-${Date.now()}`;
    // A role allowed everything on a bucket that was never created.
    const missing = await createExportTarget(stack.moto, 'never-created', { createBucket: false });
    const started = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: identifier,
      SourceArn: stack.clusterArn('sample-cluster'),
      S3BucketName: missing.bucket,
      IamRoleArn: missing.roleArn,
      KmsKeyId: missing.kmsKeyArn,
    });
    expect(started.status).toBe(200);
    const task = await stack.waitForStatus(identifier, ['FAILED', 'COMPLETE'], 60_000);
    expect(task.Status).toBe('FAILED');
    expect(task.FailureCause).toBe(
      "The S3 bucket never-created-bucket isn't valid. Either it isn't located in the current AWS Region or it doesn't exist. Review your S3 bucket name and retry the export.",
    );
    const notifications = await readNotifications(MOTO_ACCOUNT, identifier);
    expect(notifications.find((notification) => notification.category === 'failed')?.rdsEventId).toBe(
      'RDS-EVENT-0159',
    );

    const otherDescribe = await stack.api(
      '/v1/DescribeExportTasks',
      { ExportTaskIdentifier: identifier },
      OTHER_API_KEY,
    );
    expect(otherDescribe.status).toBe(404);
    expect(otherDescribe.body.Error.Code).toBe('ExportTaskNotFound');
    const otherCancel = await stack.api(
      '/v1/CancelExportTask',
      { ExportTaskIdentifier: identifier },
      OTHER_API_KEY,
    );
    expect(otherCancel.body.Error.Code).toBe('ExportTaskNotFound');
  });
});

function pick(entry: { type: string; convertedType: string | null }) {
  return { type: entry.type, convertedType: entry.convertedType };
}

/** Every notification published so far for one task, in order. */
