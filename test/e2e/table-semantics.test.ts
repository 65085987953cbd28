import { join } from 'node:path';
import { dropDatabase, pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import {
  dropMySqlDatabase,
  myUrl,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { ownValuesOf } from '../../scripts/local-stack/mysql-sample';
import {
  downloadPrefix,
  getText,
  listObjects,
  parquetList,
  ParquetReader,
} from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(300_000);

const PG_DB = `snapex_semantics_pg_${process.pid}`;
const MY_DB = `snapex_semantics_my_${process.pid}`;
const PARENT_ROWS = 3000;

/** Session settings the extractor reads with, so the source's own text is what the export holds. */
const TEXT_SETTINGS = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1";

const PG_DATASET = `
  CREATE TABLE people (id integer PRIMARY KEY, name text, born date);
  INSERT INTO people SELECT g, 'person ' || g, date '1950-01-01' + g FROM generate_series(1, ${PARENT_ROWS}) g;
  CREATE TABLE students (school text) INHERITS (people);
  ALTER TABLE students ADD PRIMARY KEY (id);
  INSERT INTO students SELECT 100000 + g, 'student ' || g, NULL, 'school ' || (g % 7) FROM generate_series(1, 2000) g;
  CREATE TABLE teachers (subject text) INHERITS (people);
  INSERT INTO teachers VALUES (200001, 'teacher ü', '1970-05-05', 'maths'), (200002, NULL, NULL, NULL);

  CREATE TABLE measurements (id bigint, at date, reading numeric(8,3)) PARTITION BY RANGE (at);
  CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  INSERT INTO measurements SELECT g, date '2024-06-01' + g, g * 1.125 FROM generate_series(1, 400) g;

  CREATE VIEW people_view AS SELECT id, name FROM people;
  CREATE MATERIALIZED VIEW people_summary AS SELECT count(*) AS n FROM people;
  CREATE SEQUENCE ticket_numbers;

  -- Its serial column's sequence belongs to the table and is not reported apart from it.
  CREATE TABLE documents (id serial PRIMARY KEY, body xml);
  INSERT INTO documents (body) VALUES
    ('<?xml version="1.0" encoding="UTF-8"?><doc>ü</doc>'),
    ('<?xml version="1.0"?>
<doc n="2"/>'),
    ('<?xml version="1.1" standalone="yes"?><doc/>'),
    ('<doc>no declaration</doc>'),
    (NULL);

  -- Outside the exported schema: ExportOnly leaves it out, so it is not reported either.
  CREATE SCHEMA other;
  CREATE VIEW other.elsewhere AS SELECT 1 AS one;
  ANALYZE;
`;

const MY_DATASET = `
  SET SESSION max_recursive_iterations = 100000;
  CREATE TABLE items (id INT PRIMARY KEY, label VARCHAR(40), weight BIGINT);
  INSERT INTO items WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 500)
    SELECT n, CONCAT('item ', n), n * 1000003 FROM s;
  CREATE TABLE log_lines (line_no INT, message VARCHAR(200));
  INSERT INTO log_lines WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 6000)
    SELECT n, CONCAT(REPEAT('log line ', 10), n) FROM s;
  CREATE VIEW items_view AS SELECT id, label FROM items;
  CREATE SEQUENCE item_numbers;
  ANALYZE TABLE items, log_lines;
`;

interface Comparison {
  values: number;
  mismatches: string[];
}

/** Every value of the exported rows against the source's own text of it, row by row in key order. */
function compareRows(
  table: string,
  exported: Record<string, unknown>[],
  own: (string | null)[][],
  columns: string[],
): Comparison {
  const mismatches: string[] = [];
  if (exported.length !== own.length)
    mismatches.push(`${table}: ${exported.length} rows exported, ${own.length} held`);
  let values = 0;
  own.forEach((row, rowIndex) =>
    columns.forEach((column, index) => {
      values++;
      const value = exported[rowIndex]?.[column];
      const text = value === null || value === undefined ? null : String(value);
      if (text !== row[index])
        mismatches.push(`${table} row ${rowIndex} ${column}: ${text} != ${row[index]}`);
    }),
  );
  return { values, mismatches };
}

function sumOf(comparisons: Comparison[]): Comparison {
  return {
    values: comparisons.reduce((sum, comparison) => sum + comparison.values, 0),
    mismatches: comparisons.flatMap((comparison) => comparison.mismatches),
  };
}

describe('every row once, every object accounted for (PostgreSQL and MariaDB)', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    await withPg(await recreateDatabase(PG_DB), (client) => client.query(PG_DATASET));
    await recreateMySqlDatabase(MY_DB);
    await withMySql((connection) => connection.query(MY_DATASET), MY_DB);
    stack = await Stack.start({
      name: 'snapex-table-semantics',
      sources: [
        { name: 'semantics-pg', url: pgUrl(PG_DB), databases: [PG_DB] },
        { name: 'semantics-my', engine: 'mysql', url: myUrl(), databases: [MY_DB] },
      ],
      // Small partitions: the inheritance parent is cut by key ranges, log_lines is large enough to cut.
      config: { restorer: { partitionTargetBytes: 64 * 1024 } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(PG_DB);
    await dropMySqlDatabase(MY_DB);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function exportOf(source: string, identifier: string, exportOnly: string[]) {
    await stack.startExport(identifier, stack.clusterArn(source), { ExportOnly: exportOnly });
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 240_000);
    const { s3 } = adminClients(stack.moto);
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/`)).map((object) => object.key);
    const { dir } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    const tablesKey = keys.find((key) => /export_tables_info_.*\.json$/.test(key))!;
    const perTable: any[] = JSON.parse(await getText(s3, stack.target.bucket, tablesKey)).perTableStatus;
    const filesOf = (database: string, folder: string) =>
      keys
        .filter((key) => key.startsWith(`${identifier}/${database}/${folder}/`) && key.endsWith('.parquet'))
        .map((key) => join(dir, key));
    const readTable = (database: string, folder: string, orderBy: string) => {
      const files = filesOf(database, folder);
      return files.length === 0
        ? Promise.resolve([])
        : reader.rows(`SELECT * FROM read_parquet(${parquetList(files)}) ORDER BY ${orderBy}`);
    };
    return { task, keys, perTable, filesOf, readTable };
  }

  it('PostgreSQL: exports each row once, xml as stored, and reports every object it does not export', async () => {
    const identifier = `semantics-pg-${Date.now()}`;
    const exportOnly = [`${PG_DB}.public`, `${PG_DB}.public.People`];
    const { task, perTable, filesOf, readTable } = await exportOf('semantics-pg', identifier, exportOnly);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });

    // Every exported table, value by value, against its own rows (ONLY: a child's rows are its own).
    const tables: Record<string, string[]> = {
      people: ['id', 'name', 'born'],
      students: ['id', 'name', 'born', 'school'],
      teachers: ['id', 'name', 'born', 'subject'],
      measurements_2024: ['id', 'at', 'reading'],
      measurements_2025: ['id', 'at', 'reading'],
      documents: ['id', 'body'],
    };
    const comparisons = await Promise.all(
      Object.entries(tables).map(async ([table, columns]) => {
        const own = await withPg(pgUrl(PG_DB), async (client) => {
          await client.query(TEXT_SETTINGS);
          const { rows } = await client.query<(string | null)[]>({
            text: `SELECT ${columns.map((column) => `${column}::text`).join(', ')} FROM ONLY public.${table} AS source ORDER BY source.id`,
            rowMode: 'array',
          });
          return rows;
        });
        return compareRows(table, await readTable(PG_DB, `public.${table}`, 'id'), own, columns);
      }),
    );
    const total = sumOf(comparisons);
    console.log(`PostgreSQL: ${total.values} values compared, ${total.mismatches.length} mismatches`);
    expect(total.mismatches).toEqual([]);
    expect(total.values).toBeGreaterThan(0);

    // Each row once: the parent's files hold its own rows, the hierarchy's rows add up to the whole.
    const [hierarchy] = await withPg(
      pgUrl(PG_DB),
      async (client) => (await client.query('SELECT count(*)::int AS n FROM people')).rows,
    );
    const exportedRows = async (table: string) => (await readTable(PG_DB, `public.${table}`, 'id')).length;
    expect(await exportedRows('people')).toBe(PARENT_ROWS);
    expect(
      (await exportedRows('people')) + (await exportedRows('students')) + (await exportedRows('teachers')),
    ).toBe(hierarchy.n);
    expect(filesOf(PG_DB, 'public.people').length).toBeGreaterThan(1);

    const documents = await readTable(PG_DB, 'public.documents', 'id');
    expect(documents.map((row) => row.body)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?><doc>ü</doc>',
      '<?xml version="1.0"?>\n<doc n="2"/>',
      '<?xml version="1.1" standalone="yes"?><doc/>',
      '<doc>no declaration</doc>',
      null,
    ]);

    // Nothing left out silently: each object not exported is listed with its reason.
    const entryOf = (name: string) => perTable.find((entry) => entry.target === `${PG_DB}.public.${name}`);
    const skipped = Object.fromEntries(
      perTable
        .filter((entry) => entry.status === 'SKIPPED')
        .map((entry) => [entry.target.slice(PG_DB.length + 1), entry.warningMessage]),
    );
    expect(skipped).toEqual({
      'public.measurements': 'EXPORTED_AS_PARTITIONS',
      'public.people_view': 'UNSUPPORTED_TABLE_TYPE',
      'public.people_summary': 'UNSUPPORTED_TABLE_TYPE',
      'public.ticket_numbers': 'UNSUPPORTED_TABLE_TYPE',
    });
    expect(entryOf('measurements').warningDetail).toBe(
      'A partitioned table has no rows of its own; its rows are exported in its partitions: ' +
        `${PG_DB}.public.measurements_2024, ${PG_DB}.public.measurements_2025.`,
    );
    expect(entryOf('people_view').warningDetail).toMatch(/^Views are not exported/);
    for (const table of Object.keys(tables)) expect(entryOf(table)?.status).toBe('COMPLETE');
    expect(perTable.map((entry) => entry.target)).not.toContain(`${PG_DB}.public.documents_id_seq`);
    expect(perTable.map((entry) => entry.target)).not.toContain(`${PG_DB}.other.elsewhere`);
    expect(perTable).toHaveLength(Object.keys(tables).length + 4);

    const warning = JSON.parse(task.WarningMessage);
    expect(
      Object.fromEntries(warning.skippedTables.map((entry: any) => [entry.target, entry.reason])),
    ).toEqual(
      Object.fromEntries(Object.entries(skipped).map(([target, reason]) => [`${PG_DB}.${target}`, reason])),
    );
    expect(warning.skippedObjectives).toEqual([
      {
        objective: `${PG_DB}.public.People`,
        reason: 'OBJECT_NOT_FOUND',
        detail:
          'No database, schema or table of the source matches this ExportOnly entry; names are case-sensitive.',
      },
    ]);
    expect(warning.general).toEqual([]);
  });

  it('MariaDB: reports views and sequences, unmatched ExportOnly entries, and a table read by one worker', async () => {
    const identifier = `semantics-my-${Date.now()}`;
    const exportOnly = [MY_DB, `${MY_DB}.Items`, `${MY_DB}_missing`];
    const { task, perTable, filesOf, readTable } = await exportOf('semantics-my', identifier, exportOnly);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });

    const comparisons = await Promise.all(
      ['items', 'log_lines'].map(async (table) => {
        const own = await ownValuesOf(MY_DB, table);
        // ownValuesOf orders by the key's text; the export is read back in the key's numeric order.
        const rows = [...own.rows].sort((a, b) => Number(a[0]) - Number(b[0]));
        const exported = await readTable(MY_DB, `${MY_DB}.${table}`, own.columns[0]);
        return compareRows(table, exported, rows, own.columns);
      }),
    );
    const total = sumOf(comparisons);
    console.log(`MariaDB: ${total.values} values compared, ${total.mismatches.length} mismatches`);
    expect(total.mismatches).toEqual([]);
    expect(total.values).toBe(500 * 3 + 6000 * 2);

    const entryOf = (name: string) => perTable.find((entry) => entry.target === `${MY_DB}.${MY_DB}.${name}`);
    expect(filesOf(MY_DB, `${MY_DB}.log_lines`)).toHaveLength(1);
    expect(entryOf('log_lines').tableStatistics.partitioningInfo).toMatchObject({
      numberOfPartitions: 1,
      constraintType: 'NONE',
      singleWorkerReason: 'NO_PARTITION_KEY',
    });
    expect(entryOf('items').tableStatistics.partitioningInfo).not.toHaveProperty('singleWorkerReason');
    expect(entryOf('items_view')).toMatchObject({
      status: 'SKIPPED',
      warningMessage: 'UNSUPPORTED_TABLE_TYPE',
    });
    expect(entryOf('item_numbers')).toMatchObject({
      status: 'SKIPPED',
      warningMessage: 'UNSUPPORTED_TABLE_TYPE',
      warningDetail: 'Sequences are not exported.',
    });
    expect(perTable).toHaveLength(4);

    const warning = JSON.parse(task.WarningMessage);
    const byTarget = (a: { target: string }, b: { target: string }) => a.target.localeCompare(b.target);
    expect([...warning.skippedTables].sort(byTarget)).toEqual([
      { target: `${MY_DB}.${MY_DB}.item_numbers`, reason: 'UNSUPPORTED_TABLE_TYPE' },
      { target: `${MY_DB}.${MY_DB}.items_view`, reason: 'UNSUPPORTED_TABLE_TYPE' },
    ]);
    expect(warning.skippedObjectives.map((entry: any) => [entry.objective, entry.reason])).toEqual([
      [`${MY_DB}.Items`, 'OBJECT_NOT_FOUND'],
      [`${MY_DB}_missing`, 'OBJECT_NOT_FOUND'],
    ]);
  });
});
