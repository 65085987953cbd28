import { SourceConfig } from '@snapex/config';
import { engineFor, ExportRow, NO_READ_LIMITS, NulledValues, rowsOf } from '@snapex/engines';
import {
  dropMySqlDatabase,
  MY_ADMIN_URL,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';

jest.setTimeout(60_000);

const DATABASE = `snapex_my_exact_${process.pid}`;
const engine = engineFor('mysql');
const SOURCE: SourceConfig = {
  name: 'local',
  accountId: '123456789012',
  kind: 'cluster',
  engine: 'mysql',
  url: MY_ADMIN_URL,
};

/** FLOATs that MariaDB's 6-digit text of them would change, and DATETIMEs that name no instant. */
const TABLE_SQL = `
  SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
  CREATE TABLE exact (id INT PRIMARY KEY, f FLOAT, d DOUBLE, dt DATETIME, ts TIMESTAMP NULL DEFAULT NULL);
  INSERT INTO exact VALUES
    (1, 123456792, 0.1, '2023-02-30 10:00:00', '0000-00-00 00:00:00'),
    (2, 3.4028234663852886e38, 1.7976931348623157e308, '0000-00-00 00:00:00', NULL),
    (3, -3.4028234663852886e38, 5e-324, '2024-00-10 00:00:00', '2038-01-19 03:14:07'),
    (4, 1.401298464324817e-45, -2.2250738585072014e-308, '2024-02-29 13:14:15', NULL),
    (5, 1.1754943508222875e-38, 0, NULL, NULL),
    (6, 0.1, NULL, NULL, NULL);
  -- A FLOAT gets a negative zero when a tiny negative DOUBLE underflows as it is stored.
  INSERT INTO exact (id, f) VALUES (7, -1e-50);
`;

describe('MySQL values read exactly', () => {
  let rows: ExportRow[];
  let nulled: NulledValues;

  beforeAll(async () => {
    await recreateMySqlDatabase(DATABASE);
    await withMySql((connection) => connection.query(TABLE_SQL), DATABASE);
    const point = await engine.pinReadPoint(SOURCE, DATABASE);
    try {
      const [table] = await point.listTables();
      nulled = new NulledValues();
      rows = [];
      const batches = engine.readPartition(SOURCE, {
        database: DATABASE,
        snapshotId: null,
        schema: table.schema,
        table: table.table,
        columns: table.columns,
        range: null,
        batchRows: 2,
        limits: NO_READ_LIMITS,
        nulledValues: nulled,
      });
      for await (const batch of batches) rows.push(...rowsOf(batch, table.columns));
      rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    } finally {
      await point.release();
    }
  });

  afterAll(() => dropMySqlDatabase(DATABASE));

  it('reads each FLOAT as the DOUBLE it is, not its 6-digit text, keeping a negative zero', () => {
    const floats = rows.map((row) => row[1]);
    expect(floats).toEqual([
      123456792,
      3.4028234663852886e38,
      -3.4028234663852886e38,
      1.401298464324817e-45,
      1.1754943508222875e-38,
      Math.fround(0.1),
      -0,
    ]);
    expect(Object.is(floats[6], -0)).toBe(true);
    expect(rows.map((row) => row[2])).toEqual([
      0.1,
      1.7976931348623157e308,
      5e-324,
      -2.2250738585072014e-308,
      0,
      null,
      null,
    ]);
  });

  it('counts by column each DATETIME and TIMESTAMP made NULL because it names no instant', () => {
    expect(rows.map((row) => row[3])).toEqual([null, null, null, 1709212455000000n, null, null, null]);
    expect(nulled.list()).toEqual([
      { column: 'dt', reason: 'NO_INSTANT', count: 3 },
      { column: 'ts', reason: 'NO_INSTANT', count: 1 },
    ]);
  });
});
