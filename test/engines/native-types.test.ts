import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { SourceConfig } from '@snapex/config';
import { Engine, NulledValueCount } from '@snapex/contracts';
import { engineFor, NO_READ_LIMITS, NulledValues } from '@snapex/engines';
import { parquetWasmEncoder, DEFAULT_PARQUET_WASM_TUNING } from '@snapex/parquet';
import {
  dropMySqlDatabase,
  MY_ADMIN_URL,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { dropDatabase, PG_ADMIN_URL, recreateDatabase, withPg } from '../support/databases';
import { encoderWorkspace } from '../support/encoder-workspace';

jest.setTimeout(60_000);

const DATABASE = `snapex_native_${process.pid}`;

const PG_TABLE_SQL = `
  CREATE TABLE typed (
    id integer PRIMARY KEY, amount numeric(12,2), wide numeric(38,10), loose numeric, huge numeric(50,2),
    day date, clock time, local_ts timestamp, utc_ts timestamptz(3), uid uuid, doc json, docb jsonb,
    tags text[], nums bigint[], stamps timestamptz[], ips inet[]
  );
  INSERT INTO typed VALUES
    (1, 1234567890.12, -1234567890123456789012345678.0123456789, 1.5, 1e40, '2024-02-29', '12:34:56.789012',
     '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.999+02', '0f8fad5b-d9cb-469f-a165-70867728950e',
     '{"b":  1, "a": [true]}', '{"b":  1, "a": [true]}', ARRAY['x', NULL, 'ü'],
     ARRAY[9223372036854775807, NULL, -1], ARRAY['2024-01-01 00:00:00Z'::timestamptz], ARRAY['10.0.0.1'::inet]),
    (2, -0.01, 0, 'NaN', NULL, '0044-03-15 BC', '00:00:00', '4713-01-01 00:00:00 BC', '1969-12-31 23:59:59.999Z',
     '00000000-0000-0000-0000-000000000000', '[]', 'null', '{}', '{{1,2},{3,4}}', '{}', NULL),
    (3, 'NaN', NULL, NULL, NULL, 'infinity', '24:00:00', '-infinity', 'infinity', NULL, NULL, NULL, NULL,
     NULL, ARRAY['infinity'::timestamptz], NULL),
    (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
`;

/** The source's own view of each value, in forms DuckDB can give too: text, days and microseconds. */
const PG_VALUES_SQL = `
  SELECT id, amount::text AS amount, wide::text AS wide, (day - DATE '1970-01-01')::text AS day,
         (extract(epoch FROM clock) * 1000000)::bigint::text AS clock,
         (extract(epoch FROM local_ts) * 1000000)::bigint::text AS local_ts,
         (extract(epoch FROM utc_ts) * 1000000)::bigint::text AS utc_ts,
         uid::text AS uid, doc::text AS doc, docb::text AS docb, array_to_json(tags)::text AS tags,
         -- An array of more than one dimension is the one value a LIST is not given (see below).
         CASE WHEN array_ndims(nums) > 1 THEN NULL ELSE array_to_json(nums)::text END AS nums,
         (SELECT json_agg((extract(epoch FROM s) * 1000000)::bigint)::text FROM unnest(stamps) s) AS stamps
    FROM typed
   WHERE id <= 2 ORDER BY id`;

const MY_TABLE_SQL = `
  SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
  SET SESSION time_zone = '+00:00';
  CREATE TABLE typed (
    id INT PRIMARY KEY, amount DECIMAL(12,2), day DATE, clock TIME(6), local_dt DATETIME(6),
    utc_ts TIMESTAMP(6) NULL DEFAULT NULL, uid UUID, doc JSON
  );
  INSERT INTO typed VALUES
    (1, 1234567890.12, '2024-02-29', '12:34:56.789012', '2024-02-29 23:59:59.999999',
     '2024-02-29 21:59:59.999000', '0f8fad5b-d9cb-469f-a165-70867728950e', '{"b": 1}'),
    (2, -0.01, '1000-01-01', '00:00:00', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '00000000-0000-0000-0000-000000000000', '[]'),
    (3, NULL, '0000-00-00', '-01:00:00', '0000-00-00 00:00:00', NULL, NULL, NULL),
    (4, NULL, NULL, '838:59:59', NULL, NULL, NULL, NULL);
`;

const MY_VALUES_SQL = `
  SELECT id, CAST(amount AS CHAR) AS amount, CAST(DATEDIFF(day, '1970-01-01') AS CHAR) AS day,
         CAST(CAST(TIME_TO_SEC(clock) * 1000000 AS SIGNED) AS CHAR) AS clock,
         CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', local_dt) AS CHAR) AS local_ts,
         CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', utc_ts) AS CHAR) AS utc_ts,
         CAST(uid AS CHAR) AS uid, CAST(doc AS CHAR) AS doc
    FROM typed WHERE id <= 2 ORDER BY id`;

/** DuckDB's view of the same values as the source queries above give them. */
const duckValuesSql = (path: string, engine: Engine) => `
  SELECT id, amount::VARCHAR AS amount, ${engine === 'postgres' ? 'wide::VARCHAR AS wide,' : ''}
         (day - DATE '1970-01-01')::VARCHAR AS day, (epoch_us(DATE '1970-01-01' + clock))::VARCHAR AS clock,
         epoch_us(${engine === 'postgres' ? 'local_ts' : 'local_dt'})::VARCHAR AS local_ts,
         epoch_us(utc_ts)::VARCHAR AS utc_ts, uid::VARCHAR AS uid, doc::VARCHAR AS doc
         ${
           engine === 'postgres'
             ? `, docb::VARCHAR AS docb, to_json(tags)::VARCHAR AS tags, to_json(nums)::VARCHAR AS nums,
                CASE WHEN len(stamps) > 0 THEN to_json(list_transform(stamps, s -> epoch_us(s)))::VARCHAR END AS stamps`
             : ''
         }
    FROM '${path}' WHERE id <= 2 ORDER BY id`;

function sourceOf(engine: Engine, url: string): SourceConfig {
  return { name: 'local', accountId: '123456789012', kind: 'cluster', engine, url };
}

const workspace = encoderWorkspace('native-types-');

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  return (await workspace.duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Reads the table in native types mode and writes it as the extractor does; the file and what was nulled. */
async function exportNative(
  engine: Engine,
  url: string,
): Promise<{ path: string; nulled: NulledValueCount[]; types: Record<string, string> }> {
  const source = sourceOf(engine, url);
  const point = await engineFor(engine).pinReadPoint(source, DATABASE);
  try {
    const [table] = await point.listTables('native');
    const nulledValues = new NulledValues();
    const path = join(workspace.dir, `${engine}.parquet`);
    const open = parquetWasmEncoder(workspace.threads, { ...DEFAULT_PARQUET_WASM_TUNING, threads: 1 });
    const encoder = await open(table.columns, createWriteStream(path), { rowGroupRows: 2 });
    const batches = engineFor(engine).readPartition(source, {
      database: DATABASE,
      snapshotId: point.snapshotId,
      schema: table.schema,
      table: table.table,
      columns: table.columns,
      range: null,
      batchRows: 3,
      limits: NO_READ_LIMITS,
      nulledValues,
    });
    for await (const batch of batches) await encoder.write(batch);
    await encoder.close();
    const types = Object.fromEntries(
      table.columns.map((column) => [column.name, column.expectedExportedType] as const),
    );
    return { path, nulled: nulledValues.list(), types };
  } finally {
    await point.release();
  }
}

async function duckTypes(path: string): Promise<Record<string, unknown>> {
  const rows = await duckRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}')`);
  return Object.fromEntries(rows.map((row) => [row.column_name, row.column_type]));
}

describe('native types mode on PostgreSQL', () => {
  let exported: Awaited<ReturnType<typeof exportNative>>;
  let sourceValues: Record<string, unknown>[];

  beforeAll(async () => {
    const url = await recreateDatabase(DATABASE);
    await withPg(url, (client) => client.query(PG_TABLE_SQL));
    sourceValues = await withPg(url, async (client) => (await client.query(PG_VALUES_SQL)).rows);
    exported = await exportNative('postgres', PG_ADMIN_URL);
  });

  afterAll(() => dropDatabase(DATABASE));

  it('gives each column its logical type, and keeps wide and unconstrained numerics and inet arrays text', async () => {
    expect(await duckTypes(exported.path)).toEqual({
      id: 'INTEGER',
      amount: 'DECIMAL(12,2)',
      wide: 'DECIMAL(38,10)',
      loose: 'VARCHAR',
      huge: 'VARCHAR',
      day: 'DATE',
      clock: 'TIME',
      local_ts: 'TIMESTAMP',
      utc_ts: 'TIMESTAMP WITH TIME ZONE',
      uid: 'UUID',
      doc: 'JSON',
      docb: 'JSON',
      tags: 'VARCHAR[]',
      nums: 'BIGINT[]',
      stamps: 'TIMESTAMP WITH TIME ZONE[]',
      ips: 'VARCHAR',
    });
    expect(exported.types).toMatchObject({
      amount: 'int64 (DECIMAL(12,2))',
      wide: 'fixed_len_byte_array(16) (DECIMAL(38,10))',
      local_ts: 'int64 (TIMESTAMP(MICROS,false))',
      utc_ts: 'int64 (TIMESTAMP_MICROS)',
      nums: 'list<int64>',
    });
  });

  it('holds the values the source holds: BC dates, microseconds, UUIDs and JSON text as stored', async () => {
    const values = await duckRows(duckValuesSql(exported.path, 'postgres'));
    expect(values).toEqual(sourceValues.map((row) => ({ ...row, id: Number(row.id) })));
    const [bc] = await duckRows(`SELECT day::VARCHAR AS day FROM '${exported.path}' WHERE id = 2`);
    expect(bc.day).toBe('0044-03-15 (BC)');
  });

  it('writes NaN, infinities and 24:00:00 NULL and counts them per column', async () => {
    const [row3] = await duckRows(
      `SELECT amount, loose, day, clock::VARCHAR AS clock, local_ts, utc_ts FROM '${exported.path}' WHERE id = 3`,
    );
    expect(row3).toEqual({
      amount: null,
      loose: null,
      day: null,
      clock: '24:00:00',
      local_ts: null,
      utc_ts: null,
    });
    const [row2] = await duckRows(`SELECT loose FROM '${exported.path}' WHERE id = 2`);
    // An unconstrained numeric is text, so its NaN is kept as PostgreSQL writes it.
    expect(row2.loose).toBe('NaN');
    expect(exported.nulled).toEqual([
      { column: 'nums', reason: 'NOT_REPRESENTABLE', count: 1 },
      { column: 'amount', reason: 'NOT_REPRESENTABLE', count: 1 },
      { column: 'day', reason: 'NOT_REPRESENTABLE', count: 1 },
      { column: 'local_ts', reason: 'NOT_REPRESENTABLE', count: 1 },
      { column: 'utc_ts', reason: 'NOT_REPRESENTABLE', count: 1 },
      { column: 'stamps', reason: 'NOT_REPRESENTABLE', count: 1 },
    ]);
  });

  it('writes a two-dimensional array NULL, an empty one as an empty list, and counts the first', async () => {
    const rows = await duckRows(
      `SELECT id, len(tags) AS tags, len(nums) AS nums FROM '${exported.path}' WHERE id IN (1, 2) ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 1, tags: '3', nums: '3' },
      { id: 2, tags: '0', nums: null },
    ]);
  });
});

describe('native types mode on MySQL', () => {
  let exported: Awaited<ReturnType<typeof exportNative>>;
  let sourceValues: Record<string, unknown>[];

  beforeAll(async () => {
    await recreateMySqlDatabase(DATABASE);
    await withMySql((connection) => connection.query(MY_TABLE_SQL), DATABASE);
    sourceValues = await withMySql(async (connection) => {
      const [rows] = await connection.query(MY_VALUES_SQL);
      return rows as Record<string, unknown>[];
    }, DATABASE);
    exported = await exportNative('mysql', MY_ADMIN_URL);
  });

  afterAll(() => dropMySqlDatabase(DATABASE));

  it('gives DATE, TIME, DATETIME (a wall clock), TIMESTAMP (an instant) and UUID their logical types', async () => {
    expect(await duckTypes(exported.path)).toEqual({
      id: 'INTEGER',
      amount: 'DECIMAL(12,2)',
      day: 'DATE',
      clock: 'TIME',
      local_dt: 'TIMESTAMP',
      utc_ts: 'TIMESTAMP WITH TIME ZONE',
      uid: 'UUID',
      // MariaDB's JSON is LONGTEXT: nothing in its type says JSON (MySQL's JSON type becomes JSON).
      doc: 'VARCHAR',
    });
  });

  it('holds the values the source holds', async () => {
    expect(await duckRows(duckValuesSql(exported.path, 'mysql'))).toEqual(sourceValues);
  });

  it('writes zero dates and TIMEs outside one day NULL and counts them per column', async () => {
    const rows = await duckRows(
      `SELECT id, day::VARCHAR AS day, clock::VARCHAR AS clock, local_dt::VARCHAR AS local_dt
         FROM '${exported.path}' WHERE id >= 3 ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 3, day: null, clock: null, local_dt: null },
      { id: 4, day: null, clock: null, local_dt: null },
    ]);
    expect(exported.nulled).toEqual([
      { column: 'day', reason: 'NO_INSTANT', count: 1 },
      { column: 'clock', reason: 'NOT_REPRESENTABLE', count: 2 },
      { column: 'local_dt', reason: 'NO_INSTANT', count: 1 },
    ]);
  });
});
