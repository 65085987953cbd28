import { join } from 'node:path';
import {
  dropMySqlDatabase,
  myUrl,
  quoteMyIdentifier as q,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { mySampleSql, ownValuesOf } from '../../scripts/local-stack/mysql-sample';
import {
  downloadPrefix,
  getText,
  listObjects,
  parquetList,
  ParquetReader,
  quote,
} from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(300_000);

const DATABASE = `snapex_my_e2e_${process.pid}`;
const ORDER_ROWS = 20_000;

/** Physical type, byte length, converted type, precision and scale each column of all_types must have. */
type Physical = [
  type: string,
  typeLength: string | null,
  converted: string | null,
  precision?: number,
  scale?: number,
];
const BYTES: Physical = ['BYTE_ARRAY', null, null];
const UTF8: Physical = ['BYTE_ARRAY', null, 'UTF8'];
const EXPECTED_TYPES: Record<string, Physical> = {
  id: ['INT64', null, null],
  c_bigint: ['INT64', null, null],
  c_bigint_u: ['FIXED_LEN_BYTE_ARRAY', '9', 'DECIMAL', 20, 0],
  c_int: ['INT32', null, null],
  c_int_u: ['INT64', null, null],
  c_mediumint: ['INT32', null, null],
  c_mediumint_u: ['INT64', null, null],
  c_smallint: ['INT32', null, null],
  c_smallint_u: ['INT32', null, null],
  c_tinyint: ['INT32', null, null],
  c_tinyint_u: ['INT32', null, 'INT_16'],
  c_year: ['INT32', null, null],
  c_dec5_2: ['INT32', null, 'DECIMAL', 5, 2],
  c_dec18_4: ['INT64', null, 'DECIMAL', 18, 4],
  c_dec30_10: ['FIXED_LEN_BYTE_ARRAY', '13', 'DECIMAL', 30, 10],
  c_dec65_30: UTF8,
  c_numeric: ['INT64', null, 'DECIMAL', 10, 0],
  c_float: ['DOUBLE', null, null],
  c_double: ['DOUBLE', null, null],
  c_bit: BYTES,
  c_binary: BYTES,
  c_varbinary: BYTES,
  c_tinyblob: BYTES,
  c_blob: BYTES,
  c_mediumblob: BYTES,
  c_longblob: BYTES,
  c_geometry: BYTES,
  c_point: BYTES,
  c_char: BYTES,
  c_varchar: UTF8,
  c_tinytext: UTF8,
  c_text: UTF8,
  c_mediumtext: UTF8,
  c_longtext: UTF8,
  c_enum: UTF8,
  c_set: UTF8,
  c_json: UTF8,
  c_date: UTF8,
  c_time: UTF8,
  c_datetime: ['INT64', null, 'TIMESTAMP_MICROS'],
  c_timestamp: ['INT64', null, 'TIMESTAMP_MICROS'],
  c_datetime0: ['INT64', null, 'TIMESTAMP_MICROS'],
};

/** A Parquet column as text comparable with MariaDB's own (see ownValuesOf). */
function exportedExpression(column: string): string {
  const [type, , converted] = EXPECTED_TYPES[column];
  const name = `"${column}"`;
  if (converted === 'DECIMAL') return `${name}::VARCHAR`;
  if (converted === 'TIMESTAMP_MICROS') return `epoch_us(${name})::VARCHAR`;
  if (type === 'BYTE_ARRAY' && converted === null) return `hex(${name})`;
  return name;
}

function sameValue(column: string, exported: unknown, own: string | null): boolean {
  if (own === null || exported === null) return exported === own;
  // DuckDB prints a decimal without integer digits as `.5`; MariaDB as `0.5`.
  if (typeof exported === 'string') return exported.replace(/^(-?)\./, '$10.') === own;
  if (EXPECTED_TYPES[column][0] === 'DOUBLE') return Object.is(exported, Number(own));
  return String(exported) === own;
}

describe('export of a live MariaDB cluster through the seven services', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    await recreateMySqlDatabase(DATABASE);
    await withMySql((connection) => connection.query(mySampleSql(ORDER_ROWS)), DATABASE);
    stack = await Stack.start({
      name: 'snapex-my-e2e',
      sources: [{ name: 'maria-cluster', engine: 'mysql', url: myUrl(), databases: [DATABASE] }],
      // Small partitions, so orders is read as several key ranges.
      config: { restorer: { partitionTargetBytes: 256 * 1024 } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await dropMySqlDatabase(DATABASE);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function exportAndDownload(identifier: string, exportOnly?: string[]) {
    const { s3 } = adminClients(stack.moto);
    const started = await stack.api('/v1/StartExportTask', {
      ExportTaskIdentifier: identifier,
      SourceArn: stack.clusterArn('maria-cluster'),
      S3BucketName: stack.target.bucket,
      IamRoleArn: stack.target.roleArn,
      KmsKeyId: stack.target.kmsKeyArn,
      ...(exportOnly ? { ExportOnly: exportOnly } : {}),
    });
    expect(started.status).toBe(200);
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/`)).map((object) => object.key);
    const { dir } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    const parquet = keys.filter((key) => key.endsWith('.gz.parquet'));
    const filesOf = (table: string) =>
      parquet
        .filter((key) => key.startsWith(`${identifier}/${DATABASE}/${DATABASE}.${table}/`))
        .map((key) => join(dir, key));
    return { keys, parquet, filesOf };
  }

  it('exports every table at <database>/<database>.<table>/ with the AWS MySQL types and every value exact', async () => {
    const identifier = `my-full-${Date.now()}`;
    const { keys, parquet, filesOf } = await exportAndDownload(identifier);
    for (const key of parquet) {
      expect(key.startsWith(`${identifier}/${DATABASE}/${DATABASE}.`)).toBe(true);
      expect(key).toMatch(/\/\d+\/part-00000-[0-9a-f-]{36}-c000\.gz\.parquet$/);
    }
    for (const table of ['all_types', 'orders', 'Odd__name__select', 'empty_table'])
      expect(keys).toContain(`${identifier}/${DATABASE}/${DATABASE}.${table}/_SUCCESS`);
    expect(filesOf('empty_table')).toHaveLength(1);
    expect(Object.keys(await reader.schema(filesOf('empty_table')[0]))).toEqual(['id']);

    const allTypes = filesOf('all_types');
    expect(allTypes).toHaveLength(1);
    const schema = await reader.rows(
      `SELECT name, type, type_length, converted_type, precision::INTEGER AS precision, scale::INTEGER AS scale, logical_type
         FROM parquet_schema(${quote(allTypes[0])}) WHERE num_children IS NULL OR num_children = 0`,
    );
    expect(schema.map((column) => column.name)).toEqual(Object.keys(EXPECTED_TYPES));
    for (const column of schema) {
      const [type, typeLength, converted, precision, scale] = EXPECTED_TYPES[column.name as string];
      expect(column).toMatchObject({
        type,
        type_length: typeLength,
        converted_type: converted,
        ...(converted === 'DECIMAL' ? { precision, scale } : {}),
      });
    }
    const timestampLogical = schema.find((column) => column.name === 'c_timestamp')!.logical_type;
    expect(timestampLogical).toMatch(
      /TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(.*MICROS=MicroSeconds/,
    );
    expect(await reader.codecs(allTypes[0])).toEqual(['GZIP']);

    const own = await ownValuesOf(DATABASE, 'all_types');
    expect(own.columns).toEqual(Object.keys(EXPECTED_TYPES));
    const exported = await reader.rows(
      `SELECT ${own.columns.map((column, index) => `${exportedExpression(column)} AS c${index}`).join(', ')}
         FROM read_parquet(${parquetList(allTypes)}) ORDER BY id`,
    );
    expect(exported).toHaveLength(own.rows.length);
    const mismatches: string[] = [];
    own.rows.forEach((row, rowIndex) =>
      own.columns.forEach((column, index) => {
        const value = exported[rowIndex][`c${index}`];
        if (!sameValue(column, value, row[index]))
          mismatches.push(`row ${rowIndex} ${column}: exported ${String(value)} own ${row[index]}`);
      }),
    );
    expect(mismatches).toEqual([]);

    const orders = filesOf('orders');
    expect(orders.length).toBeGreaterThan(1);
    const [exportedOrders] = await reader.rows(
      `SELECT count(*)::VARCHAR AS n, sum(order_id)::VARCHAR AS ids, sum(amount)::VARCHAR AS amounts,
              sum(epoch_us(placed_at))::VARCHAR AS micros, count(note)::VARCHAR AS notes
         FROM read_parquet(${parquetList(orders)})`,
    );
    const [ownOrders] = await withMySql(async (connection) => {
      const [rows] = await connection.query(
        `SELECT CAST(COUNT(*) AS CHAR) AS n, CAST(SUM(order_id) AS CHAR) AS ids, CAST(SUM(amount) AS CHAR) AS amounts,
                CAST(SUM(TIMESTAMPDIFF(MICROSECOND, '1970-01-01', placed_at)) AS CHAR) AS micros, CAST(COUNT(note) AS CHAR) AS notes
           FROM ${q(DATABASE)}.orders`,
      );
      return rows as Record<string, string>[];
    });
    expect(exportedOrders).toEqual(ownOrders);

    const { s3 } = adminClients(stack.moto);
    const tablesKey = keys.find((key) => /export_tables_info_.*\.json$/.test(key))!;
    const tablesInfo = JSON.parse(await getText(s3, stack.target.bucket, tablesKey));
    const infoOf = (table: string) =>
      tablesInfo.perTableStatus.find((entry: { target: string }) => entry.target.endsWith(`.${table}`));
    expect(infoOf('all_types').schemaMetadata.originalTypeMappings).toContainEqual({
      columnName: 'c_bigint_u',
      originalType: 'bigint(20) unsigned',
      expectedExportedType: 'fixed_len_byte_array(9) (DECIMAL(20,0))',
      originalCharMaxLength: 0,
      originalNumPrecision: 20,
      originalDateTimePrecision: 0,
    });
    expect(infoOf('orders').tableStatistics.partitioningInfo).toMatchObject({
      numberOfPartitions: orders.length,
      constraintType: 'PRIMARY_KEY',
      partitionColumns: [
        { columnName: 'order_id', columnType: 'int(10) unsigned', min: '1', max: String(ORDER_ROWS) },
      ],
    });

    const odd = await reader.rows(`SELECT * FROM read_parquet(${parquetList(filesOf('Odd__name__select'))})`);
    expect(odd).toEqual([{ select: 1, 'Mixed`Case$ü': 'x' }]);
  });

  it('exports only the tables ExportOnly names as database.table', async () => {
    const identifier = `my-only-${Date.now()}`;
    const { parquet, filesOf } = await exportAndDownload(identifier, [`${DATABASE}.orders`]);
    expect(filesOf('orders').length).toBeGreaterThan(1);
    expect(parquet.every((key) => key.includes(`/${DATABASE}.orders/`))).toBe(true);
  });
});
