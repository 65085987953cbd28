import { join } from 'node:path';
import {
  dropMySqlDatabase,
  myUrl,
  quoteMyIdentifier as q,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { ownValuesOf } from '../../scripts/local-stack/mysql-sample';
import {
  downloadPrefix,
  getText,
  parquetList,
  ParquetReader,
  quote,
} from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { eventuallyValue } from '../support/eventually';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(300_000);

const DATABASE = `snapex_my_fidelity_${process.pid}`;
const SOURCE = 'maria-fidelity';
const MANY_DATES_ROWS = 20_000;

/**
 * Values a copy or a reader may lose: FLOAT beyond MariaDB's 6-digit text of it (FLT_MAX, the
 * smallest subnormal, 123456792, a negative zero), DOUBLE and DECIMAL extremes (one digit on INT32), ENUM and SET members
 * of 4-byte characters, and dates stored under ALLOW_INVALID_DATES or zero.
 */
const FIDELITY_SQL = `
  SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
  CREATE TABLE fidelity (
    id INT PRIMARY KEY,
    f FLOAT, d DOUBLE,
    dec5_2 DECIMAL(5,2), dec9_0 DECIMAL(9,0), dec18_4 DECIMAL(18,4), dec38_10 DECIMAL(38,10),
    e ENUM('plain', 'smile 😀', 'ünï'), s SET('x😀', 'y', '𝄞z'),
    dd DATE, dt DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL, dec1_0 DECIMAL(1,0)
  ) CHARACTER SET utf8mb4;
  INSERT INTO fidelity (id, f, d, dec5_2, dec9_0, dec18_4, dec38_10, e, s, dd, dt, ts) VALUES
    (1, 123456792, 0.1, 123.45, 123456789, 12345678901234.5678, 1234567890123456789012345678.0123456789,
     'smile 😀', 'x😀,𝄞z', '2023-02-30', '2023-02-30 10:00:00', '0000-00-00 00:00:00'),
    (2, 3.4028234663852886e38, 1.7976931348623157e308, -999.99, -999999999, -99999999999999.9999,
     -9999999999999999999999999999.9999999999, 'plain', 'y', '0000-00-00', '0000-00-00 00:00:00', NULL),
    (3, -3.4028234663852886e38, -1.7976931348623157e308, 999.99, 999999999, 99999999999999.9999,
     9999999999999999999999999999.9999999999, 'ünï', '', '2024-00-10', '2024-04-31 23:59:59.999999',
     '2038-01-19 03:14:07.999999'),
    (4, 1.401298464324817e-45, 5e-324, 0.01, 0, 0.0001, 0.0000000001, NULL, NULL, '2024-02-29',
     '2024-02-29 13:14:15.123456', '1970-01-01 00:00:01'),
    (5, -1.401298464324817e-45, -2.2250738585072014e-308, -0.01, -1, -0.0001, -0.0000000001, 'plain',
     'x😀,y,𝄞z', '1000-01-01', '1000-01-01 00:00:00', NULL),
    (6, 1.1754943508222875e-38, 0, 0, 1, 1, 1, 'plain', 'y', NULL, NULL, NULL),
    (7, 0.1, -0.1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  -- A FLOAT gets a negative zero when a tiny negative DOUBLE underflows as it is stored.
  INSERT INTO fidelity (id, f) VALUES (8, -1e-50);
  INSERT INTO fidelity (id) VALUES (9);
  UPDATE fidelity SET dec1_0 = ELT(id, 9, -9, 0, 1, -1);
  -- Read as several partitions, each counting its own impossible dates.
  SET SESSION max_recursive_iterations = 1000000;
  CREATE TABLE many_dates (id INT PRIMARY KEY, at DATETIME, pad CHAR(100));
  INSERT INTO many_dates WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${MANY_DATES_ROWS})
    SELECT n, IF(n % 7 = 0, '2023-02-30 00:00:00', '2024-01-01 00:00:00'), REPEAT('x', 100) FROM s;
  ANALYZE TABLE many_dates;
`;

type Physical = [type: string, typeLength: string | null, converted: string | null, precision?: number];
const UTF8: Physical = ['BYTE_ARRAY', null, 'UTF8'];
const MICROS: Physical = ['INT64', null, 'TIMESTAMP_MICROS'];
const EXPECTED_TYPES: Record<string, Physical> = {
  id: ['INT32', null, null],
  f: ['DOUBLE', null, null],
  d: ['DOUBLE', null, null],
  dec5_2: ['INT32', null, 'DECIMAL', 5],
  dec9_0: ['INT32', null, 'DECIMAL', 9],
  dec18_4: ['INT64', null, 'DECIMAL', 18],
  dec38_10: ['FIXED_LEN_BYTE_ARRAY', '16', 'DECIMAL', 38],
  e: UTF8,
  s: UTF8,
  dd: UTF8,
  dt: MICROS,
  ts: MICROS,
  dec1_0: ['INT32', null, 'DECIMAL', 1],
};

/** A Parquet column as a value comparable with the server's own (see ownValuesOf). */
function exportedExpression(column: string): string {
  const [, , converted] = EXPECTED_TYPES[column];
  const name = `"${column}"`;
  if (converted === 'DECIMAL') return `${name}::VARCHAR`;
  if (converted === 'TIMESTAMP_MICROS') return `epoch_us(${name})::VARCHAR`;
  return name;
}

function sameValue(column: string, exported: unknown, own: string | null): boolean {
  if (own === null || exported === null) return exported === own;
  if (EXPECTED_TYPES[column][0] === 'DOUBLE') return Object.is(exported, Number(own));
  // DuckDB prints a decimal without integer digits as `.5`; MariaDB as `0.5`.
  if (typeof exported === 'string') return exported.replace(/^(-?)\./, '$10.') === own;
  return String(exported) === own;
}

interface Comparison {
  compared: number;
  mismatches: string[];
}

describe('every MariaDB value exact, live and from a snapshot', () => {
  let stack: Stack;
  let reader: ParquetReader;
  let own: { columns: string[]; rows: (string | null)[][] };
  /** Per DATETIME/TIMESTAMP column, how many source values name no instant. */
  let noInstant: Record<string, number>;
  let negativeZeroFloat: boolean;

  beforeAll(async () => {
    await recreateMySqlDatabase(DATABASE);
    await withMySql((connection) => connection.query(FIDELITY_SQL), DATABASE);
    own = await ownValuesOf(DATABASE, 'fidelity');
    [noInstant, negativeZeroFloat] = await withMySql(async (connection) => {
      const [counts] = await connection.query(
        `SELECT ${['dt', 'ts']
          .map(
            (column) =>
              `CAST(SUM(${q(column)} IS NOT NULL AND ${q(column)} + INTERVAL 0 SECOND IS NULL) AS CHAR) AS ${q(column)}`,
          )
          .join(', ')},
                CAST(SUM(id = 8 AND f = 0 AND ATAN2(f, -1) < 0) AS CHAR) AS negative_zero
           FROM ${q(DATABASE)}.fidelity`,
      );
      const [row] = counts as Record<string, string>[];
      return [{ dt: Number(row.dt), ts: Number(row.ts) }, row.negative_zero === '1'];
    });
    stack = await Stack.start({
      name: 'snapex-my-fidelity',
      sources: [{ name: SOURCE, engine: 'mysql', url: myUrl(), databases: [DATABASE] }],
      // Small partitions, so many_dates is read as several.
      config: { restorer: { partitionTargetBytes: 256 * 1024 } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await dropMySqlDatabase(DATABASE);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function exported(identifier: string, table = 'fidelity') {
    const { s3 } = adminClients(stack.moto);
    const { dir, keys } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    const files = keys
      .filter((key) => key.startsWith(`${identifier}/${DATABASE}/${DATABASE}.${table}/`))
      .filter((key) => key.endsWith('.gz.parquet'))
      .map((key) => join(dir, key));
    const tablesKey = keys.find((key) => /export_tables_info_.*\.json$/.test(key))!;
    const tablesInfo = JSON.parse(await getText(s3, stack.target.bucket, tablesKey));
    const entry = tablesInfo.perTableStatus.find((info: { target: string }) =>
      info.target.endsWith(`.${table}`),
    );
    return { files, entry };
  }

  async function compare(files: string[]): Promise<Comparison> {
    const rows = await reader.rows(
      `SELECT ${own.columns.map((column, index) => `${exportedExpression(column)} AS c${index}`).join(', ')}
         FROM read_parquet(${parquetList(files)}) ORDER BY id`,
    );
    expect(rows).toHaveLength(own.rows.length);
    const mismatches: string[] = [];
    let compared = 0;
    own.rows.forEach((row, rowIndex) =>
      own.columns.forEach((column, index) => {
        const value = rows[rowIndex][`c${index}`];
        // MariaDB prints every zero as `0`; row 8's FLOAT is the negative one, as checked on the source.
        const expected = column === 'f' && row[0] === '8' && negativeZeroFloat ? '-0' : row[index];
        compared++;
        if (!sameValue(column, value, expected))
          mismatches.push(`id ${row[0]} ${column}: exported ${String(value)}, source ${expected}`);
      }),
    );
    return { compared, mismatches };
  }

  async function checkTypes(file: string): Promise<void> {
    const schema = await reader.rows(
      `SELECT name, type, type_length, converted_type, precision::INTEGER AS precision
         FROM parquet_schema(${quote(file)}) WHERE num_children IS NULL OR num_children = 0`,
    );
    expect(schema.map((column) => column.name)).toEqual(Object.keys(EXPECTED_TYPES));
    for (const column of schema) {
      const [type, typeLength, converted, precision] = EXPECTED_TYPES[column.name as string];
      expect(column).toMatchObject({
        type,
        type_length: typeLength,
        converted_type: converted,
        ...(precision ? { precision } : {}),
      });
    }
  }

  function expectNulledValuesReported(entry: any, task: any): void {
    const expected = Object.entries(noInstant)
      .filter(([, count]) => count > 0)
      .map(([columnName, count]) => ({ columnName, reason: 'NO_INSTANT', count }));
    expect(expected.length).toBeGreaterThan(0);
    expect(entry.nulledValues).toEqual(expected);
    expect(entry.warningMessage).toContain('were exported as NULL');
    const general = JSON.parse(task.WarningMessage).general;
    const total = expected.reduce((sum, counted) => sum + counted.count, 0);
    expect(general).toContainEqual({
      reason: `Table ${entry.target}: ${total} values the source holds were exported as NULL.`,
      detail: entry.warningMessage,
    });
  }

  async function checkExport(identifier: string, task: any): Promise<Comparison> {
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { files, entry } = await exported(identifier);
    expect(files).toHaveLength(1);
    await checkTypes(files[0]);
    expectNulledValuesReported(entry, task);
    return compare(files);
  }

  it('exports a live database with every value as the source holds it', async () => {
    const identifier = `my-fidelity-live-${Date.now()}`;
    const task = await stack.exportCluster(identifier, SOURCE);
    const comparison = await checkExport(identifier, task);
    console.info(`live export: ${comparison.compared} values compared, mismatches:`, comparison.mismatches);
    expect(comparison.mismatches).toEqual([]);
  });

  it('sums the NULLed values of a table read as several partitions', async () => {
    const identifier = `my-fidelity-parts-${Date.now()}`;
    const task = await stack.exportCluster(identifier, SOURCE);
    expect(task.Status).toBe('COMPLETE');
    const { files, entry } = await exported(identifier, 'many_dates');
    expect(entry.tableStatistics.partitioningInfo.numberOfPartitions).toBeGreaterThan(1);
    const count = Math.floor(MANY_DATES_ROWS / 7);
    expect(entry.nulledValues).toEqual([{ columnName: 'at', reason: 'NO_INSTANT', count }]);
    const [nulls] = await reader.rows(
      `SELECT count(*) FILTER (WHERE "at" IS NULL)::INTEGER AS nulls FROM read_parquet(${parquetList(files)})`,
    );
    expect(nulls).toEqual({ nulls: count });
    expect(JSON.parse(task.WarningMessage).general).toContainEqual({
      reason: `Table ${entry.target}: ${count} values the source holds were exported as NULL.`,
      detail: entry.warningMessage,
    });
  });

  it('exports a snapshot with every value as the source held it', async () => {
    const created = await stack.api('/v1/CreateDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: 'fidelity-snapshot',
      DBClusterIdentifier: SOURCE,
    });
    expect(created.status).toBe(200);
    const snapshot = await eventuallyValue<any>(async () => {
      const { body } = await stack.api('/v1/DescribeDBClusterSnapshots', {
        DBClusterSnapshotIdentifier: 'fidelity-snapshot',
      });
      const seen = body?.DBClusterSnapshots?.[0];
      return seen?.Status === 'available' ? seen : undefined;
    }, 120_000);
    const identifier = `my-fidelity-snap-${Date.now()}`;
    await stack.startExport(identifier, snapshot.DBClusterSnapshotArn);
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED']);
    const comparison = await checkExport(identifier, task);
    console.info(
      `snapshot export: ${comparison.compared} values compared, mismatches:`,
      comparison.mismatches,
    );
    expect(comparison.mismatches).toEqual([]);
  });
});
