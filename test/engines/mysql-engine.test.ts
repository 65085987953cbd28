import { SourceConfig } from '@snapex/config';
import { ColumnPlan, PartitionRange } from '@snapex/contracts';
import {
  DiscoveredTable,
  engineFor,
  ExportRow,
  rowsOf,
  NO_READ_LIMITS,
  PinnedReadPoint,
  ReadLimits,
  RowTooLargeError,
  ValueTooLargeError,
} from '@snapex/engines';
import {
  dropMySqlDatabase,
  MY_ADMIN_URL,
  myUrl,
  quoteMyIdentifier as q,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { MY_ALL_TYPES_SQL, ownValuesOf } from '../../scripts/local-stack/mysql-sample';
import { eventually } from '../support/eventually';
import { byFirstColumn, cellDifferences } from '../support/export-rows';

jest.setTimeout(180_000);

const DATABASE = `snapex_my_engine_${process.pid}`;
const ODD_DATABASE = `snapex_my_Odd \`db\` "ü" $${process.pid}`;
const READER = `snapex_my_reader_${process.pid}`;
const engine = engineFor('mysql');

const ODD_TABLE = 'Tab `le` "Ñame" select';
const ODD_COLUMNS = ['select', 'Mixed Case', 'quo"te', 'back`tick', 'ünï $', "it's"];

const SCHEMA_SQL = `
  SET SESSION sql_mode = '';
  SET SESSION max_recursive_iterations = 1000000;
  ${MY_ALL_TYPES_SQL}

  CREATE TABLE even_keys (id INT PRIMARY KEY, pad CHAR(200));
  INSERT INTO even_keys WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20000)
    SELECT 2 * n, REPEAT('x', 200) FROM s;
  CREATE TABLE skewed_keys (id BIGINT UNSIGNED PRIMARY KEY, pad CHAR(200));
  INSERT INTO skewed_keys WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 18000)
    SELECT n, REPEAT('x', 200) FROM s;
  INSERT INTO skewed_keys WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2000)
    SELECT 18446744073709551615 - n * 1000000000, REPEAT('x', 200) FROM s;
  CREATE TABLE composite_keys (a BIGINT, b VARCHAR(10), pad CHAR(200), PRIMARY KEY (a, b));
  INSERT INTO composite_keys WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20000)
    SELECT -10000 + n DIV 2, IF(n % 2 = 0, 'x', 'y'), REPEAT('x', 200) FROM s;
  CREATE TABLE no_key (x INT, pad CHAR(200));
  INSERT INTO no_key SELECT id, pad FROM even_keys;
  CREATE TABLE text_key (k VARCHAR(20) PRIMARY KEY, pad CHAR(200));
  INSERT INTO text_key SELECT CONCAT('k', id), pad FROM even_keys;
  CREATE TABLE empty_table (id INT PRIMARY KEY);
  CREATE TABLE wide_rows (id INT PRIMARY KEY, pad VARCHAR(2000));
  INSERT INTO wide_rows WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 30000)
    SELECT n, REPEAT('w', 2000) FROM s;
  CREATE TABLE partly_readable (id INT PRIMARY KEY, secret TEXT);
  CREATE TABLE unreadable (id INT);
  CREATE VIEW a_view AS SELECT id FROM all_types;
  CREATE SEQUENCE a_sequence;
  ANALYZE TABLE even_keys, skewed_keys, composite_keys, no_key, text_key;
`;

const ODD_SCHEMA_SQL = `
  CREATE TABLE ${q(ODD_TABLE)} (${ODD_COLUMNS.map((name, index) => `${q(name)} ${index === 0 ? 'INT PRIMARY KEY' : 'TEXT'}`).join(', ')});
  INSERT INTO ${q(ODD_TABLE)} VALUES (1, 'a', '"', '\`', 'ç', 'it''s'), (2, NULL, 'b', 'c', '日本語', '');
`;

function sourceFor(url: string, databases?: string[]): SourceConfig {
  return { name: 'local', accountId: '123456789012', kind: 'cluster', engine: 'mysql', url, databases };
}

const ADMIN = sourceFor(MY_ADMIN_URL);

function tableNamed(tables: DiscoveredTable[], table: string): DiscoveredTable {
  const found = tables.find((candidate) => candidate.table === table);
  if (!found) throw new Error(`${table} was not listed`);
  return found;
}

async function readAll(
  database: string,
  table: DiscoveredTable,
  options: { batchRows?: number; range?: PartitionRange | null; limits?: ReadLimits } = {},
): Promise<ExportRow[][]> {
  const batches: ExportRow[][] = [];
  const rows = engine.readPartition(ADMIN, {
    database,
    snapshotId: null,
    schema: table.schema,
    table: table.table,
    columns: table.columns,
    range: options.range ?? null,
    batchRows: options.batchRows ?? 1000,
    limits: options.limits ?? NO_READ_LIMITS,
  });
  for await (const batch of rows) batches.push(rowsOf(batch, table.columns));
  return batches;
}

/** The server's own values of every column, ordered by the first column. */
async function ownValues(database: string, table: DiscoveredTable): Promise<(string | null)[][]> {
  return (await ownValuesOf(database, table.table)).rows;
}

function expectedValue(column: ColumnPlan, text: string | null): ExportRow[number] {
  if (text === null) return null;
  switch (column.parquetType) {
    case 'INT64':
    case 'TIMESTAMP_MICROS':
      return BigInt(text);
    case 'INT32':
    case 'INT16':
    case 'DOUBLE':
    case 'FLOAT':
      return Number(text);
    case 'BINARY':
      return Buffer.from(text, 'hex');
    case 'STRING':
    case 'DECIMAL':
      return text;
    case 'BOOLEAN':
    case 'DATE':
    case 'JSON':
    case 'TIME_MICROS':
    case 'TIMESTAMP_MICROS_LOCAL':
    case 'UUID':
    case 'LIST':
      throw new Error(`these MySQL columns are never ${column.parquetType}`);
  }
}

function keysOf(batches: ExportRow[][]): string[] {
  return batches.flat().map((row) => String(row[0]));
}

describe('MySqlEngine against a live MariaDB', () => {
  let point: PinnedReadPoint;
  let tables: DiscoveredTable[];
  let allTypes: DiscoveredTable;

  beforeAll(async () => {
    await recreateMySqlDatabase(DATABASE);
    await recreateMySqlDatabase(ODD_DATABASE);
    await withMySql((connection) => connection.query(SCHEMA_SQL), DATABASE);
    await withMySql((connection) => connection.query(ODD_SCHEMA_SQL), ODD_DATABASE);
    point = await engine.pinReadPoint(ADMIN, DATABASE);
    await withMySql(
      (connection) =>
        connection.query(
          'CREATE TABLE created_after_the_pin (id INT PRIMARY KEY, pad CHAR(200)); INSERT INTO created_after_the_pin SELECT id, pad FROM even_keys',
        ),
      DATABASE,
    );
    tables = await point.listTables();
    allTypes = tableNamed(tables, 'all_types');
  });

  afterAll(async () => {
    await point?.release();
    await dropMySqlDatabase(DATABASE);
    await dropMySqlDatabase(ODD_DATABASE);
    await withMySql((connection) => connection.query(`DROP USER IF EXISTS ${q(READER)}@'%'`));
  });

  describe('listDatabases', () => {
    it('lists user databases, system databases left out', async () => {
      const databases = await engine.listDatabases(ADMIN);
      expect(databases).toEqual(expect.arrayContaining([DATABASE, ODD_DATABASE]));
      for (const system of ['mysql', 'information_schema', 'performance_schema', 'sys'])
        expect(databases).not.toContain(system);
    });

    it('keeps only the databases the source names', async () => {
      expect(await engine.listDatabases(sourceFor(MY_ADMIN_URL, [DATABASE, 'no_such_database']))).toEqual([
        DATABASE,
      ]);
    });
  });

  describe('pinReadPoint and listTables', () => {
    it('pins a read point without a snapshot id, at the server clock', () => {
      expect(point.database).toBe(DATABASE);
      expect(point.snapshotId).toBeNull();
      expect(Math.abs(point.pinnedAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('lists views and sequences apart from the tables, with the database as their schema', async () => {
      expect(await point.listUnexportedObjects()).toEqual([
        { schema: DATABASE, name: 'a_sequence', kind: 'SEQUENCE', partitions: [] },
        { schema: DATABASE, name: 'a_view', kind: 'VIEW', partitions: [] },
      ]);
    });

    it('lists base tables with the database as their schema, views and sequences left out', () => {
      expect(tables.map((table) => table.table).sort()).toEqual(
        [
          'all_types',
          'composite_keys',
          'created_after_the_pin',
          'empty_table',
          'even_keys',
          'no_key',
          'partly_readable',
          'skewed_keys',
          'text_key',
          'unreadable',
          'wide_rows',
        ].sort(),
      );
      for (const table of tables) expect(table).toMatchObject({ schema: DATABASE, persistence: 'permanent' });
      expect(tableNamed(tables, 'even_keys').estimatedBytes).toBeGreaterThan(1_000_000);
    });

    it('maps every column as the AWS MySQL table says, with information_schema lengths and precisions', () => {
      const plans = Object.fromEntries(allTypes.columns.map((column) => [column.name, column]));
      const types = Object.fromEntries(
        allTypes.columns.map((column) => [column.name, [column.parquetType, column.expectedExportedType]]),
      );
      expect(types).toEqual({
        id: ['INT64', 'int64'],
        c_bigint: ['INT64', 'int64'],
        c_bigint_u: ['DECIMAL', 'fixed_len_byte_array(9) (DECIMAL(20,0))'],
        c_int: ['INT32', 'int32'],
        c_int_u: ['INT64', 'int64'],
        c_mediumint: ['INT32', 'int32'],
        c_mediumint_u: ['INT64', 'int64'],
        c_smallint: ['INT32', 'int32'],
        c_smallint_u: ['INT32', 'int32'],
        c_tinyint: ['INT32', 'int32'],
        c_tinyint_u: ['INT16', 'int32 (INT_16)'],
        c_year: ['INT32', 'int32'],
        c_dec5_2: ['DECIMAL', 'int32 (DECIMAL(5,2))'],
        c_dec18_4: ['DECIMAL', 'int64 (DECIMAL(18,4))'],
        c_dec30_10: ['DECIMAL', 'fixed_len_byte_array(13) (DECIMAL(30,10))'],
        c_dec65_30: ['STRING', 'binary (UTF8)'],
        c_numeric: ['DECIMAL', 'int64 (DECIMAL(10,0))'],
        c_float: ['DOUBLE', 'double'],
        c_double: ['DOUBLE', 'double'],
        c_bit: ['BINARY', 'binary'],
        c_binary: ['BINARY', 'binary'],
        c_varbinary: ['BINARY', 'binary'],
        c_tinyblob: ['BINARY', 'binary'],
        c_blob: ['BINARY', 'binary'],
        c_mediumblob: ['BINARY', 'binary'],
        c_longblob: ['BINARY', 'binary'],
        c_geometry: ['BINARY', 'binary'],
        c_point: ['BINARY', 'binary'],
        c_char: ['BINARY', 'binary'],
        c_varchar: ['STRING', 'binary (UTF8)'],
        c_tinytext: ['STRING', 'binary (UTF8)'],
        c_text: ['STRING', 'binary (UTF8)'],
        c_mediumtext: ['STRING', 'binary (UTF8)'],
        c_longtext: ['STRING', 'binary (UTF8)'],
        c_enum: ['STRING', 'binary (UTF8)'],
        c_set: ['STRING', 'binary (UTF8)'],
        c_json: ['STRING', 'binary (UTF8)'],
        c_date: ['STRING', 'binary (UTF8)'],
        c_time: ['STRING', 'binary (UTF8)'],
        c_datetime: ['TIMESTAMP_MICROS', 'int64 (TIMESTAMP_MICROS)'],
        c_timestamp: ['TIMESTAMP_MICROS', 'int64 (TIMESTAMP_MICROS)'],
        c_datetime0: ['TIMESTAMP_MICROS', 'int64 (TIMESTAMP_MICROS)'],
      });
      expect(plans.c_bigint_u).toMatchObject({
        originalType: 'bigint(20) unsigned',
        decimal: { precision: 20, scale: 0 },
        originalNumPrecision: 20,
      });
      expect(plans.c_dec30_10).toMatchObject({
        originalType: 'decimal(30,10)',
        decimal: { precision: 30, scale: 10 },
        originalNumPrecision: 30,
      });
      expect(plans.c_varchar).toMatchObject({ originalType: 'varchar(20)', originalCharMaxLength: 20 });
      expect(plans.c_datetime).toMatchObject({ originalType: 'datetime(6)', originalDateTimePrecision: 6 });
      expect(plans.c_enum.originalType).toBe("enum('sad','ok','ünï')");
    });

    it('tells tables the export user may read from those it may not, without failing', async () => {
      await withMySql((connection) =>
        connection.query(
          `CREATE USER IF NOT EXISTS ${q(READER)}@'%';
           GRANT SELECT ON ${q(DATABASE)}.all_types TO ${q(READER)}@'%';
           GRANT SELECT (id) ON ${q(DATABASE)}.partly_readable TO ${q(READER)}@'%';`,
        ),
      );
      const asReader = await engine.pinReadPoint(sourceFor(myUrl({ user: READER })), DATABASE);
      try {
        const seen = await asReader.listTables();
        expect(Object.fromEntries(seen.map((table) => [table.table, table.readable]))).toEqual({
          all_types: true,
          partly_readable: false,
        });
      } finally {
        await asReader.release();
      }
    });
  });

  describe('readPartition', () => {
    it('reads every value exactly as MariaDB holds it: extremes, decimals, zero dates, NULLs, bytes', async () => {
      const batches = await readAll(DATABASE, allTypes, { batchRows: 2 });
      expect(batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
      const exported = byFirstColumn(batches.flat());
      const own = await ownValues(DATABASE, allTypes);
      expect(cellDifferences(allTypes.columns, exported, own, expectedValue)).toEqual([]);
    });

    it('keeps what floating point would lose, and makes zero DATETIME and TIMESTAMP values NULL', async () => {
      const rows = byFirstColumn((await readAll(DATABASE, allTypes)).flat());
      const value = (id: number, name: string) =>
        rows[id - 1][allTypes.columns.findIndex((column) => column.name === name)];
      expect(value(3, 'c_bigint')).toBe(9223372036854775807n);
      expect(value(3, 'c_bigint_u')).toBe('18446744073709551615');
      expect(value(1, 'c_dec30_10')).toBe('12345678901234567890.0123456789');
      expect(value(1, 'c_datetime')).toBe(BigInt(Date.UTC(2024, 1, 29, 13, 14, 15)) * 1000n + 123456n);
      expect(value(1, 'c_timestamp')).toBe(BigInt(Date.UTC(2024, 1, 29, 13, 14, 15)) * 1000n + 654321n);
      expect(value(1, 'c_datetime0')).toBe(BigInt(Date.UTC(1969, 6, 20, 20, 17, 40)) * 1000n);
      expect(value(2, 'c_time')).toBe('-838:59:59.000000');
      expect(value(4, 'c_date')).toBe('0000-00-00');
      expect(value(4, 'c_datetime')).toBeNull();
      expect(value(4, 'c_timestamp')).toBeNull();
      expect(value(4, 'c_datetime0')).toBeNull();
      expect(value(1, 'c_binary')).toEqual(Buffer.from([0x00, 0xff, 0x00, 0x01]));
      expect(value(1, 'c_text')).toBe('Tëxt with "quotes", \\backslash, tab\tand 😀');
    });

    it('reads names with backticks, quotes, unicode, $, mixed case and reserved words', async () => {
      const oddPoint = await engine.pinReadPoint(ADMIN, ODD_DATABASE);
      try {
        const [odd] = await oddPoint.listTables();
        expect(odd).toMatchObject({ schema: ODD_DATABASE, table: ODD_TABLE, readable: true });
        expect(odd.columns.map((column) => column.name)).toEqual(ODD_COLUMNS);
        const rows = byFirstColumn((await readAll(ODD_DATABASE, odd)).flat());
        expect(rows).toEqual([
          [1, 'a', '"', '`', 'ç', "it's"],
          [2, null, 'b', 'c', '日本語', ''],
        ]);
      } finally {
        await oddPoint.release();
      }
    });

    it('enforces the row and value size limits', async () => {
      await expect(
        readAll(DATABASE, allTypes, { limits: { maxRowBytes: Infinity, maxValueBytes: 10 } }),
      ).rejects.toBeInstanceOf(ValueTooLargeError);
      await expect(
        readAll(DATABASE, allTypes, { limits: { maxRowBytes: 100, maxValueBytes: Infinity } }),
      ).rejects.toBeInstanceOf(RowTooLargeError);
    });

    it('ends the query and the connection when the consumer stops early', async () => {
      const table = tableNamed(tables, 'wide_rows');
      const running = async () =>
        withMySql(async (connection) => {
          const [rows] = await connection.query(
            `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE '%wide_rows%'`,
            [DATABASE],
          );
          return Number((rows as { n: string }[])[0].n);
        });
      const reading = engine.readPartition(ADMIN, {
        database: DATABASE,
        snapshotId: null,
        schema: DATABASE,
        table: table.table,
        columns: table.columns,
        range: null,
        batchRows: 10,
        limits: NO_READ_LIMITS,
      });
      for await (const batch of reading) {
        expect(batch).toHaveLength(10);
        expect(await running()).toBe(1);
        break;
      }
      expect(await eventually(async () => (await running()) === 0, 10_000)).toBe(true);
    });

    it('classifies failures by MySQL error number', async () => {
      const missing = { ...allTypes, table: 'no_such_table' };
      const failure = await readAll(DATABASE, missing).catch((error: unknown) => error);
      expect(engine.classifyFailure(failure)).toBe('permanent');
      const denied = await engine
        .listDatabases(sourceFor(myUrl({ user: 'snapex_my_nobody', password: 'wrong' })))
        .catch((error: unknown) => error);
      expect(engine.classifyFailure(denied)).toBe('permanent');
      const refused = await engine
        .listDatabases(sourceFor('mysql://root@127.0.0.1:1/'))
        .catch((error: unknown) => error);
      expect(engine.classifyFailure(refused)).toBe('transient');
      expect(engine.classifyFailure(new Error('anything'))).toBe('unknown');
    });
  });

  describe('planPartitions', () => {
    async function planAndRead(name: string, parts: number) {
      const table = tableNamed(tables, name);
      const plan = await point.planPartitions(table, Math.ceil(table.estimatedBytes / parts));
      const counts: number[] = [];
      const keys: string[] = [];
      for (const range of plan.ranges) {
        const read = keysOf(await readAll(DATABASE, table, { range }));
        counts.push(read.length);
        keys.push(...read);
      }
      const own = await withMySql(async (connection) => {
        const [rows] = await connection.query({
          sql: `SELECT CAST(${q(table.columns[0].name)} AS CHAR) FROM ${q(DATABASE)}.${q(name)}`,
          rowsAsArray: true,
        });
        return (rows as string[][]).map(([key]) => key);
      });
      return { plan, counts, keys, own };
    }

    function expectEven(counts: number[]): void {
      const average = counts.reduce((sum, count) => sum + count, 0) / counts.length;
      for (const count of counts) expect(Math.abs(count - average)).toBeLessThan(average * 0.5);
    }

    it('cuts an integer key with gaps into even ranges that cover every row once', async () => {
      const { plan, counts, keys, own } = await planAndRead('even_keys', 4);
      expect(plan.info).toMatchObject({
        constraintType: 'PRIMARY_KEY',
        numberOfPartitions: plan.ranges.length,
        partitionColumns: [{ columnName: 'id', columnType: 'int(11)', min: '2', max: '40000' }],
      });
      expect(plan.ranges.length).toBeGreaterThanOrEqual(3);
      expect(keys.sort()).toEqual(own.sort());
      expectEven(counts);
    });

    it('places boundaries at quantiles, so a skewed BIGINT UNSIGNED key beyond 2^63 still splits evenly', async () => {
      const { plan, counts, keys, own } = await planAndRead('skewed_keys', 5);
      expect(plan.info.partitionColumns[0]).toMatchObject({
        columnType: 'bigint(20) unsigned',
        max: '18446744072709551615',
      });
      expect(keys.length).toBe(own.length);
      expect(new Set(keys).size).toBe(own.length);
      expectEven(counts);
    });

    it('uses the leading column of a composite key', async () => {
      const { plan, keys, own } = await planAndRead('composite_keys', 4);
      expect(plan.info.partitionColumns[0]).toMatchObject({ columnName: 'a', min: '-10000', max: '0' });
      expect(plan.ranges.length).toBeGreaterThan(1);
      expect(keys.length).toBe(own.length);
    });

    it('reads tables without an integer key, and small tables, as one partition', async () => {
      // Large tables with nothing to cut them by are announced as read by one worker.
      for (const name of ['no_key', 'text_key']) {
        const plan = await point.planPartitions(tableNamed(tables, name), 1024);
        expect(plan).toEqual({
          ranges: [null],
          info: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
          singleWorkerReason: 'NO_PARTITION_KEY',
        });
      }
      const empty = await point.planPartitions(tableNamed(tables, 'empty_table'), 1024);
      expect(empty.info).toEqual({ numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] });
      // Created after the read point: its snapshot cannot look at it, the extractor's own can.
      const late = tableNamed(tables, 'created_after_the_pin');
      expect(late.readable).toBe(true);
      expect((await point.planPartitions(late, 1024)).info.constraintType).toBe('NONE');
      expect(keysOf(await readAll(DATABASE, late))).toHaveLength(20_000);
      const small = await point.planPartitions(tableNamed(tables, 'even_keys'), 1024 ** 4);
      expect(small.info.constraintType).toBe('NONE');
      expect(small.singleWorkerReason).toBeUndefined();
    });
  });
});
