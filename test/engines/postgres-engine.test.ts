import { SourceConfig } from '@snapex/config';
import { ColumnPlan, PartitionRange } from '@snapex/contracts';
import {
  DiscoveredTable,
  engineFor,
  NO_READ_LIMITS as NO_LIMITS,
  ExportRow,
  rowsOf,
  PinnedReadPoint,
  ReadPointLostError,
} from '@snapex/engines';
import { Client, escapeIdentifier } from 'pg';
import { dropDatabase, PG_ADMIN_URL, pgUrl, recreateDatabase, withPg } from '../support/databases';
import { eventually } from '../support/eventually';
import { byFirstColumn, cellDifferences } from '../support/export-rows';

jest.setTimeout(120_000);

const DATABASE = `snapex_engine_test_${process.pid}`;
const READER_ROLE = `snapex_engine_reader_${process.pid}`;
const engine = engineFor('postgres');

const SCHEMA_SQL = `
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'ünïcode');
  CREATE TYPE address AS (street text, number int);
  CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
  CREATE TABLE all_types (
    id bigint PRIMARY KEY,
    c_smallint smallint, c_integer integer, c_bigint bigint,
    c_smallserial smallserial, c_serial serial, c_bigserial bigserial,
    c_decimal numeric(30,10), c_numeric numeric, c_money money,
    c_real real, c_double double precision, c_boolean boolean, c_bytea bytea,
    c_char char(5), c_varchar varchar(20), c_text text, c_name name, c_enum mood,
    c_int_array integer[], c_text_array text[], c_json json, c_jsonb jsonb, c_xml xml,
    c_tsvector tsvector, c_tsquery tsquery,
    c_date date, c_time time, c_timetz time(3) with time zone, c_timestamp timestamp(3),
    c_timestamptz timestamptz, c_interval interval,
    c_box box, c_circle circle, c_line line, c_lseg lseg, c_path path, c_point point, c_polygon polygon,
    c_cidr cidr, c_inet inet, c_macaddr macaddr, c_pg_lsn pg_lsn, c_int4range int4range, c_uuid uuid,
    c_bit bit(3), c_varbit bit varying(8), c_composite address, c_domain positive_int, c_oid oid
  );
  INSERT INTO all_types VALUES (
    1, 12, 123456, 1234567890123, 1, 1, 1,
    12345.6789, 3.14159265358979323846264338327950288, 1234.56,
    3.14, 2.718281828459045, true, '\\x00ff1000',
    'ab', 'héllo wörld', 'Tëxt with "quotes", \\backslash, tab	and 😀', 'a_name', 'ünïcode',
    '{1,NULL,3}', ARRAY['a b', 'c"d', NULL, 'ü', ''], '{"b": 1,  "a": [true, null]}', '{"b": 1, "a": "ü"}',
    '<a attr="1">ü</a>',
    'the quick brown fox', 'fox & dog',
    '2024-02-29', '13:14:15.123456', '13:14:15.123+02', '2024-02-29 13:14:15.1234',
    '2024-02-29 13:14:15.123456+05:30', '1 year 2 mons 3 days 04:05:06.789',
    '((1,2),(3,4))', '<(1,2),3>', '{1,-1,0}', '[(0,0),(1,1)]', '[(0,0),(1,1),(2,0)]', '(1.5,-2.5)',
    '((0,0),(1,1),(1,0))',
    '192.168.0.0/16', '2001:db8::1/64', '08:00:2b:01:02:03', '16/B374D848', '[1,10)',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    B'101', B'1101', ROW('Main St, ü', 42), 7, 4294967295
  ), (
    2, -32768, -2147483648, 9223372036854775807, 32767, 2147483647, -9223372036854775808,
    -0.0000000001, 'NaN', -92233720368547758.08,
    'NaN', '-Infinity', false, '\\x',
    '', '', '', '', 'sad',
    '{}', '{}', '[]', 'null', '',
    '', '',
    '4713-01-01 BC', '24:00:00', '00:00:00-15:59', 'infinity',
    '-infinity', '-178000000 years',
    '((0,0),(0,0))', '<(0,0),0>', '{0,1,-5}', '[(0,0),(0,0)]', '((0,0),(1,1))', '(0,-0)',
    '((0,0))',
    '::/0', '0.0.0.0', 'ff:ff:ff:ff:ff:ff', '0/0', 'empty',
    '00000000-0000-0000-0000-000000000000',
    B'000', B'', ROW(NULL, NULL), 2147483647, 0
  );
  INSERT INTO all_types (id, c_real, c_double) VALUES (3, 3.4028235e38, 1e-320);
  INSERT INTO all_types (id) VALUES (4);

  CREATE SCHEMA "Mixed Schema ü";
  CREATE TABLE "Mixed Schema ü"."Tab ""le"" Ñame" ("Id" int, "sp ace" text, "quo""te" text, "ÜNÏ" text);
  INSERT INTO "Mixed Schema ü"."Tab ""le"" Ñame" VALUES (1, 'a', 'b', 'ç'), (2, NULL, '"', '日本語');

  CREATE UNLOGGED TABLE scratch_unlogged (x int);
  CREATE TABLE secret (x int);
  CREATE VIEW all_types_view AS SELECT id FROM all_types;
  CREATE TABLE measurements (id int, at date) PARTITION BY RANGE (at);
  CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`;

/** The settings the engine reads with, so the database's own text output is comparable. */
const TEXT_SETTINGS =
  "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; " +
  "SET LOCAL bytea_output = 'hex'; SET LOCAL extra_float_digits = 1";

function sourceFor(url: string, databases?: string[]): SourceConfig {
  return { name: 'local', accountId: '123456789012', kind: 'cluster', engine: 'postgres', url, databases };
}

function urlAs(user: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.username = user;
  return url.toString();
}

function tableNamed(tables: DiscoveredTable[], schema: string, table: string): DiscoveredTable {
  const found = tables.find((candidate) => candidate.schema === schema && candidate.table === table);
  if (!found) throw new Error(`${schema}.${table} was not listed`);
  return found;
}

async function readAll(
  table: DiscoveredTable,
  snapshotId: string | null,
  options: { batchRows?: number; range?: PartitionRange | null } = {},
): Promise<ExportRow[][]> {
  const batches: ExportRow[][] = [];
  const rows = engine.readPartition(sourceFor(PG_ADMIN_URL), {
    database: DATABASE,
    snapshotId,
    schema: table.schema,
    table: table.table,
    columns: table.columns,
    range: options.range ?? null,
    batchRows: options.batchRows ?? 1000,
    limits: NO_LIMITS,
  });
  for await (const batch of rows) batches.push(rowsOf(batch, table.columns));
  return batches;
}

/**
 * The type's output function, through format('%s'): a `::text` cast is a different function for
 * some types (boolean gives `true`, char(n) drops its padding, inet adds `/32`); format() turns NULL
 * into '' and so is kept away from NULLs, found with num_nulls() because `ROW(NULL, NULL) IS NULL`.
 */
function textExpression(column: ColumnPlan): string {
  const name = escapeIdentifier(column.name);
  if (column.parquetType === 'BINARY') return `encode(${name}, 'hex')`;
  // The exact single-precision value, so the exported number can be checked after float32 rounding.
  if (column.parquetType === 'FLOAT') return `${name}::float8::text`;
  return `CASE WHEN num_nulls(${name}) = 1 THEN NULL ELSE format('%s', ${name}) END`;
}

/** The database's own text output of every column, read in a transaction importing the snapshot. */
async function textAtSnapshot(snapshotId: string, table: DiscoveredTable): Promise<(string | null)[][]> {
  return withPg(pgUrl(DATABASE), async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshotId}'`);
    await client.query(TEXT_SETTINGS);
    const { rows } = await client.query<(string | null)[]>({
      text: `SELECT ${table.columns.map(textExpression).join(', ')}
               FROM ${escapeIdentifier(table.schema)}.${escapeIdentifier(table.table)} ORDER BY 1`,
      rowMode: 'array',
    });
    await client.query('COMMIT');
    return rows;
  });
}

function expectedValue(column: ColumnPlan, text: string | null): ExportRow[number] {
  if (text === null) return null;
  switch (column.parquetType) {
    case 'INT64':
      return BigInt(text);
    case 'INT32':
    case 'INT16':
    case 'DOUBLE':
    case 'FLOAT':
      return Number(text);
    case 'BOOLEAN':
      return text === 't';
    case 'BINARY':
      return Buffer.from(text, 'hex');
    case 'STRING':
      return text;
    case 'DATE':
    case 'DECIMAL':
    case 'JSON':
    case 'TIME_MICROS':
    case 'TIMESTAMP_MICROS_LOCAL':
    case 'TIMESTAMP_MICROS':
    case 'UUID':
    case 'LIST':
      throw new Error(`PostgreSQL columns are never ${column.parquetType} in the AWS mapping`);
  }
}

function exportedValue(column: ColumnPlan, value: ExportRow[number]): ExportRow[number] {
  return column.parquetType === 'FLOAT' && typeof value === 'number' ? Math.fround(value) : value;
}

function mismatches(columns: ColumnPlan[], exported: ExportRow[], texts: (string | null)[][]): string[] {
  return cellDifferences(columns, exported, texts, expectedValue, exportedValue);
}

function ids(batches: ExportRow[][]): bigint[] {
  return byFirstColumn(batches.flat()).map((row) => row[0] as bigint);
}

async function sessionsOf(applicationName: string): Promise<number> {
  return withPg(PG_ADMIN_URL, async (client) => {
    const { rows } = await client.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [DATABASE, applicationName],
    );
    return rows[0].count;
  });
}

describe('PostgresEngine against a live server', () => {
  let point: PinnedReadPoint;
  let tables: DiscoveredTable[];
  let allTypes: DiscoveredTable;
  let tempSession: Client;

  beforeAll(async () => {
    const url = await recreateDatabase(DATABASE);
    await withPg(url, (client) => client.query(SCHEMA_SQL));
    // A temporary table of another session, present while the catalog is listed.
    tempSession = new Client({ connectionString: url });
    await tempSession.connect();
    await tempSession.query('CREATE TEMP TABLE scratch_temp (x int)');

    point = await engine.pinReadPoint(sourceFor(PG_ADMIN_URL), DATABASE);
    await withPg(url, (client) =>
      client.query(`
        INSERT INTO all_types (id, c_text) VALUES (5, 'added after the pin');
        UPDATE all_types SET c_text = 'changed after the pin' WHERE id = 1;
        DELETE FROM all_types WHERE id = 2;
        CREATE TABLE created_after_the_pin (x int);
      `),
    );
    tables = await point.listTables();
    allTypes = tableNamed(tables, 'public', 'all_types');
  });

  afterAll(async () => {
    await point?.release();
    await tempSession?.end();
    await dropDatabase(DATABASE);
    await withPg(PG_ADMIN_URL, (client) =>
      client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(READER_ROLE)}`),
    );
  });

  describe('listDatabases', () => {
    it('lists user databases that accept connections, templates left out', async () => {
      const databases = await engine.listDatabases(sourceFor(PG_ADMIN_URL));
      expect(databases).toContain(DATABASE);
      expect(databases).toContain('postgres');
      expect(databases).not.toContain('template0');
      expect(databases).not.toContain('template1');
    });

    it('keeps only the databases the source names', async () => {
      const source = sourceFor(PG_ADMIN_URL, [DATABASE, 'no_such_database']);
      expect(await engine.listDatabases(source)).toEqual([DATABASE]);
    });
  });

  describe('pinReadPoint and listTables', () => {
    it('exports a snapshot and the instant it was taken', () => {
      expect(point.database).toBe(DATABASE);
      expect(point.snapshotId).toMatch(/^[0-9A-F]+-[0-9A-F]+-\d+$/);
      expect(Math.abs(point.pinnedAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('lists ordinary tables and partitions as the pinned snapshot sees them', () => {
      const names = tables.map((table) => `${table.schema}.${table.table}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'public.all_types',
          'Mixed Schema ü.Tab "le" Ñame',
          'public.scratch_unlogged',
          'public.secret',
          'public.measurements_2024',
        ]),
      );
      expect(names).not.toContain('public.measurements');
      expect(names).not.toContain('public.all_types_view');
      expect(names).not.toContain('public.created_after_the_pin');
      expect(names.some((name) => /^(pg_catalog|information_schema|pg_toast)/.test(name))).toBe(false);
    });

    it('lists the view and the partitioned table apart, with its partitions; serial sequences stay with their table', async () => {
      expect(await point.listUnexportedObjects()).toEqual([
        { schema: 'public', name: 'all_types_view', kind: 'VIEW', partitions: [] },
        {
          schema: 'public',
          name: 'measurements',
          kind: 'PARTITIONED_TABLE',
          partitions: [{ schema: 'public', table: 'measurements_2024' }],
        },
      ]);
    });

    it('reports persistence and size', () => {
      expect(allTypes.persistence).toBe('permanent');
      expect(allTypes.estimatedBytes).toBeGreaterThan(0);
      expect(tableNamed(tables, 'public', 'scratch_unlogged').persistence).toBe('unlogged');
      const temporary = tables.find((table) => table.table === 'scratch_temp');
      expect(temporary).toMatchObject({ persistence: 'temporary' });
      expect(temporary?.schema).toMatch(/^pg_temp_\d+$/);
    });

    it('plans every column per the seed mapping, with lengths and precisions', () => {
      const planOf = (name: string) => allTypes.columns.find((column) => column.name === name)!;
      const kinds = Object.fromEntries(allTypes.columns.map((column) => [column.name, column.parquetType]));
      expect(kinds).toMatchObject({
        id: 'INT64',
        c_smallint: 'INT16',
        c_integer: 'INT32',
        c_bigint: 'INT64',
        c_smallserial: 'INT16',
        c_serial: 'INT32',
        c_bigserial: 'INT64',
        c_real: 'FLOAT',
        c_double: 'DOUBLE',
        c_boolean: 'BOOLEAN',
        c_bytea: 'BINARY',
        c_domain: 'STRING',
        c_oid: 'STRING',
      });
      const natives = new Set(['id', 'c_smallint', 'c_integer', 'c_bigint', 'c_smallserial', 'c_serial']);
      ['c_bigserial', 'c_real', 'c_double', 'c_boolean', 'c_bytea'].forEach((name) => natives.add(name));
      for (const column of allTypes.columns.filter((candidate) => !natives.has(candidate.name))) {
        expect({ name: column.name, type: column.parquetType }).toEqual({
          name: column.name,
          type: 'STRING',
        });
      }
      expect(planOf('c_smallint')).toMatchObject({
        originalType: 'smallint',
        expectedExportedType: 'int32 (INT_16)',
      });
      expect(planOf('c_varchar')).toMatchObject({
        originalType: 'character varying(20)',
        originalCharMaxLength: 20,
      });
      expect(planOf('c_char')).toMatchObject({ originalType: 'character(5)', originalCharMaxLength: 5 });
      expect(planOf('c_decimal')).toMatchObject({ originalType: 'numeric(30,10)', originalNumPrecision: 30 });
      expect(planOf('c_timestamp')).toMatchObject({
        originalType: 'timestamp(3) without time zone',
        originalDateTimePrecision: 3,
      });
      expect(planOf('c_timestamptz')).toMatchObject({
        originalType: 'timestamp with time zone',
        expectedExportedType: 'binary (UTF8)',
        originalDateTimePrecision: 6,
      });
      expect(planOf('c_int_array').originalType).toBe('integer[]');
      expect(planOf('c_domain')).toMatchObject({ originalType: 'positive_int', originalNumPrecision: 32 });
    });

    it('marks tables the export user may not read', async () => {
      await withPg(PG_ADMIN_URL, async (client) => {
        await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(READER_ROLE)}`);
        await client.query(`CREATE ROLE ${escapeIdentifier(READER_ROLE)} LOGIN`);
      });
      await withPg(pgUrl(DATABASE), (client) =>
        client.query(`GRANT SELECT ON all_types TO ${escapeIdentifier(READER_ROLE)}`),
      );
      const restricted = await engine.pinReadPoint(sourceFor(urlAs(READER_ROLE)), DATABASE);
      try {
        const seen = await restricted.listTables();
        expect(tableNamed(seen, 'public', 'all_types').readable).toBe(true);
        expect(tableNamed(seen, 'public', 'secret').readable).toBe(false);
      } finally {
        await restricted.release();
      }
    });

    it('plans a table smaller than the target size as one partition', async () => {
      expect(await point.planPartitions(allTypes, 256 * 1024 * 1024)).toEqual({
        ranges: [null],
        info: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
      });
    });
  });

  describe('readPartition', () => {
    it('reads exactly the rows of the pinned snapshot', async () => {
      const batches = await readAll(allTypes, point.snapshotId);
      expect(ids(batches)).toEqual([1n, 2n, 3n, 4n]);
      const textColumn = allTypes.columns.findIndex((column) => column.name === 'c_text');
      expect(byFirstColumn(batches.flat())[0][textColumn]).toBe(
        'Tëxt with "quotes", \\backslash, tab\tand 😀',
      );
    });

    it('reads the current rows without a snapshot', async () => {
      expect(ids(await readAll(allTypes, null))).toEqual([1n, 3n, 4n, 5n]);
    });

    it("matches the database's own text output for every column of every type", async () => {
      const exported = byFirstColumn((await readAll(allTypes, point.snapshotId)).flat());
      const texts = await textAtSnapshot(point.snapshotId!, allTypes);
      expect(texts).toHaveLength(4);
      expect(mismatches(allTypes.columns, exported, texts)).toEqual([]);
    });

    it('turns special values into their native representations', async () => {
      const [first, second, third, fourth] = byFirstColumn(
        (await readAll(allTypes, point.snapshotId)).flat(),
      );
      const at = (row: ExportRow, name: string) =>
        row[allTypes.columns.findIndex((column) => column.name === name)];
      expect(at(second, 'c_bigint')).toBe(9223372036854775807n);
      expect(at(second, 'c_bigserial')).toBe(-9223372036854775808n);
      expect(at(second, 'c_smallint')).toBe(-32768);
      expect(at(second, 'c_real')).toBeNaN();
      expect(at(second, 'c_double')).toBe(-Infinity);
      expect(at(second, 'c_bytea')).toEqual(Buffer.alloc(0));
      expect(at(first, 'c_bytea')).toEqual(Buffer.from([0x00, 0xff, 0x10, 0x00]));
      expect(at(first, 'c_boolean')).toBe(true);
      expect(at(second, 'c_boolean')).toBe(false);
      expect(at(first, 'c_timestamptz')).toBe('2024-02-29 07:44:15.123456+00');
      expect(at(second, 'c_numeric')).toBe('NaN');
      expect(at(first, 'c_char')).toBe('ab   ');
      expect(at(second, 'c_inet')).toBe('0.0.0.0');
      expect(at(first, 'c_domain')).toBe('7');
      expect(Math.fround(at(third, 'c_real') as number)).toBe(Math.fround(3.4028235e38));
      expect(at(third, 'c_double')).toBe(1e-320);
      expect(fourth.slice(1).filter((value) => value !== null)).toHaveLength(3);
    });

    it('yields batches of the requested size', async () => {
      const batches = await readAll(allTypes, point.snapshotId, { batchRows: 3 });
      expect(batches.map((batch) => batch.length)).toEqual([3, 1]);
    });

    it('reads a key range, lower bound included and upper bound excluded', async () => {
      const range: PartitionRange = { column: 'id', constraintType: 'PRIMARY_KEY', lower: '2', upper: '4' };
      expect(ids(await readAll(allTypes, point.snapshotId, { range }))).toEqual([2n, 3n]);
    });

    it('reads a table whose names need quoting', async () => {
      const quoted = tableNamed(tables, 'Mixed Schema ü', 'Tab "le" Ñame');
      expect(quoted.columns.map((column) => column.name)).toEqual(['Id', 'sp ace', 'quo"te', 'ÜNÏ']);
      const rows = byFirstColumn((await readAll(quoted, point.snapshotId)).flat());
      expect(rows).toEqual([
        [1, 'a', 'b', 'ç'],
        [2, null, '"', '日本語'],
      ]);
    });

    it('closes its connection when the consumer stops early', async () => {
      const rows = engine.readPartition(sourceFor(PG_ADMIN_URL), {
        database: DATABASE,
        snapshotId: point.snapshotId,
        schema: 'public',
        table: 'all_types',
        columns: allTypes.columns,
        range: null,
        batchRows: 1,
        limits: NO_LIMITS,
      });
      for await (const batch of rows) {
        expect(batch).toHaveLength(1);
        expect(await sessionsOf('snapex-extractor')).toBe(1);
        break;
      }
      expect(await eventually(async () => (await sessionsOf('snapex-extractor')) === 0)).toBe(true);
    });

    it('fails for good once the read point is released', async () => {
      const released = await engine.pinReadPoint(sourceFor(PG_ADMIN_URL), DATABASE);
      await released.release();
      expect(await sessionsOf('snapex-read-point')).toBe(1);
      const error = await readAll(allTypes, released.snapshotId).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(ReadPointLostError);
      expect(engine.classifyFailure(error)).toBe('permanent');
    });

    it('fails for good on a table that does not exist', async () => {
      const missing = { ...allTypes, table: 'no_such_table' };
      const error = await readAll(missing, point.snapshotId).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect((error as { code?: string }).code).toBe('42P01');
      expect(engine.classifyFailure(error)).toBe('permanent');
    });

    it('retries when the server cannot be reached', async () => {
      const unreachable = sourceFor('postgresql://postgres@127.0.0.1:1/postgres');
      const error = await engine.listDatabases(unreachable).then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(engine.classifyFailure(error)).toBe('transient');
    });
  });
});
