import { join } from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import { grantReader, pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import {
  downloadPrefix,
  getText,
  listObjects,
  parquetList,
  ParquetReader,
} from '../../scripts/local-stack/readback';
import { MOTO_ACCOUNT } from '../../scripts/local-stack/moto';
import { adminClients, readNotifications, Stack } from '../../scripts/local-stack/stack';
import { printLogsIfFailed } from '../support/service-logs';

const SKIPS_DB = 'snapex_e2e_skips';
const LOB_DB = 'snapex_e2e_lob';
const READER = 'snapex_e2e_reader';
const MAX_VALUE_BYTES = 256 * 1024;
const MAX_ROW_BYTES = 512 * 1024;

/** The seed's forbidden characters in column names, one table each. */
const BAD_COLUMN_NAMES = ['a,b', 'a;b', '{a}', 'f(x)', 'a\nb', 'a\tb', 'a=b', 'a b'];

/** Names a user may give that must be quoted everywhere, each with a column named as awkwardly. */
const ODD_TABLES = [
  { schema: 'public', table: 'Odd "Quoted" Name', column: 'Value"x"' },
  { schema: 'public', table: 'ünïcødé_表', column: 'größe' },
  { schema: 'public', table: 'select', column: 'order' },
  { schema: 'Mixed$Schema', table: 'MixedCase$', column: 'Price$USD' },
];

/** Where each odd table lands: the seed turns \ ` " and spaces in S3 paths into underscores. */
const pathOf = (schema: string, table: string) => `${schema}.${table}`.replace(/[\\`" ]/g, '_');

async function createSkipsDatabase(url: string): Promise<void> {
  await withPg(url, async (client) => {
    await client.query('CREATE TABLE plain (id int PRIMARY KEY, note text)');
    await client.query("INSERT INTO plain SELECT i, 'row ' || i FROM generate_series(1, 200) i");
    for (const [index, name] of BAD_COLUMN_NAMES.entries()) {
      await client.query(`CREATE TABLE bad_column_${index} (id int, ${escapeIdentifier(name)} int)`);
      await client.query(`INSERT INTO bad_column_${index} VALUES (1, 1)`);
    }
    await client.query('CREATE TABLE "in/out" (id int)');
    await client.query('INSERT INTO "in/out" VALUES (1)');
    await client.query('CREATE UNLOGGED TABLE scratchpad (id int)');
    await client.query('INSERT INTO scratchpad VALUES (1)');
    await client.query('CREATE TABLE secret (id int)');
    await client.query('INSERT INTO secret VALUES (1)');
    await client.query('CREATE TABLE wide_rows (id int PRIMARY KEY, a text, b text, c text)');
    // Random text does not compress, so each row really is about 3 × 200 KB on the wire.
    await client.query(
      `INSERT INTO wide_rows SELECT i, r, r, r FROM generate_series(1, 3) i,
         LATERAL (SELECT string_agg(md5(random()::text || i || j), '') AS r FROM generate_series(1, 6400) j) s`,
    );
    await client.query('INSERT INTO wide_rows VALUES (4, $1, NULL, NULL)', ['small']);
    for (const odd of ODD_TABLES) {
      const name = `${escapeIdentifier(odd.schema)}.${escapeIdentifier(odd.table)}`;
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(odd.schema)}`);
      await client.query(`CREATE TABLE ${name} (id int PRIMARY KEY, ${escapeIdentifier(odd.column)} text)`);
      await client.query(`INSERT INTO ${name} SELECT i, $1 || i FROM generate_series(1, 25) i`, [
        `${odd.table}'s row `,
      ]);
    }
    await grantReader(client, READER, ['public', 'Mixed$Schema']);
    await client.query(`REVOKE SELECT ON secret FROM ${READER}`);
  });
}

describe("the seed's skip and failure rules, end to end", () => {
  let stack: Stack;
  let reader: ParquetReader;
  /** Holds a temporary table open for as long as the exports run: it lives only in its session. */
  let tempSession: Client;

  beforeAll(async () => {
    await createSkipsDatabase(await recreateDatabase(SKIPS_DB));
    tempSession = new Client({ connectionString: pgUrl(SKIPS_DB) });
    await tempSession.connect();
    await tempSession.query('CREATE TEMPORARY TABLE session_notes (id int)');
    await withPg(await recreateDatabase(LOB_DB), async (client) => {
      await client.query('CREATE TABLE documents (id int PRIMARY KEY, body bytea)');
      await client.query("INSERT INTO documents VALUES (1, '\\x00ff'::bytea)");
      await client.query('INSERT INTO documents VALUES (2, $1)', [Buffer.alloc(MAX_VALUE_BYTES + 4096, 7)]);
      await grantReader(client, READER, ['public']);
    });
    stack = await Stack.start({
      name: 'e2e-skips',
      sources: [
        { name: 'skips', url: pgUrl(SKIPS_DB, READER), databases: [SKIPS_DB] },
        { name: 'lob', url: pgUrl(LOB_DB, READER), databases: [LOB_DB] },
      ],
      config: { extractor: { maxValueBytes: MAX_VALUE_BYTES, maxRowBytes: MAX_ROW_BYTES } },
      // moto mis-signs keys with `$` or non-ASCII characters, which these table names put in keys.
      enforceAuth: false,
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await tempSession?.end();
    await stack?.stop();
  });

  afterEach(() => printLogsIfFailed(stack));

  it('skips each kind of table the seed names, reports why, and exports the rest with odd names intact', async () => {
    const identifier = `skips-${Date.now()}`;
    const task = await stack.exportCluster(identifier, 'skips');
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });

    const expectedSkips: Record<string, string> = {
      ...Object.fromEntries(
        BAD_COLUMN_NAMES.map((_, index) => [`public.bad_column_${index}`, 'UNSUPPORTED_COLUMN_NAME']),
      ),
      'public.in/out': 'UNSUPPORTED_TABLE_NAME',
      'public.scratchpad': 'UNSUPPORTED_TABLE_TYPE',
      'public.secret': 'PERMISSIONS_DO_NOT_EXIST',
      'public.wide_rows': 'ROW_SIZE_LIMIT_EXCEEDED',
    };
    const warning = JSON.parse(task.WarningMessage);
    const skipped = Object.fromEntries(
      warning.skippedTables.map((entry: any) => [entry.target.slice(SKIPS_DB.length + 1), entry.reason]),
    );
    const tempSkip = Object.keys(skipped).find((target) => target.endsWith('.session_notes'));
    expect(tempSkip && skipped[tempSkip]).toBe('UNSUPPORTED_TABLE_TYPE');
    delete skipped[tempSkip!];
    expect(skipped).toEqual(expectedSkips);

    // export_tables_info lists every skipped table with its reason; only exported tables get files.
    const { s3 } = adminClients(stack.moto);
    const keys = (await listObjects(s3, stack.target.bucket, identifier)).map((object) => object.key);
    const tablesKey = keys.find((key) => key.includes('export_tables_info_'))!;
    const perTable = JSON.parse(await getText(s3, stack.target.bucket, tablesKey)).perTableStatus;
    for (const [target, reason] of Object.entries(expectedSkips)) {
      const entry = perTable.find((candidate: any) => candidate.target === `${SKIPS_DB}.${target}`);
      expect({ target, warningMessage: entry?.warningMessage }).toEqual({ target, warningMessage: reason });
    }
    const folders = new Set(keys.filter((key) => key.endsWith('.parquet')).map((key) => key.split('/')[2]));
    expect([...folders].sort()).toEqual(
      ['public.plain', ...ODD_TABLES.map((odd) => pathOf(odd.schema, odd.table))].sort(),
    );

    // Subscribers hear of every skip, the row-size one included.
    const notified = (await readNotifications(MOTO_ACCOUNT, identifier))
      .filter((notification) => notification.category === 'table-skipped')
      .map((notification) => notification.detail.reason);
    expect(notified.filter((reason) => reason === 'ROW_SIZE_LIMIT_EXCEEDED')).toHaveLength(1);
    expect(notified).toHaveLength(Object.keys(expectedSkips).length + 1);

    // The tables with odd names hold exactly their rows, under their own column names.
    const { dir } = await downloadPrefix(s3, stack.target.bucket, identifier);
    for (const odd of ODD_TABLES) {
      const files = keys
        .filter((key) => key.endsWith('.parquet') && key.split('/')[2] === pathOf(odd.schema, odd.table))
        .map((key) => join(dir, key));
      const rows = await reader.rows(
        `SELECT id, "${odd.column.replace(/"/g, '""')}" AS v FROM read_parquet(${parquetList(files)}) ORDER BY id`,
      );
      expect(rows).toHaveLength(25);
      expect(rows[24]).toEqual({ id: 25, v: `${odd.table}'s row 25` });
    }
  });

  it('fails the export when a value is too large, naming the table and the column', async () => {
    const task = await stack.exportCluster(`lob-${Date.now()}`, 'lob');
    expect(task.Status).toBe('FAILED');
    expect(task.FailureCause).toContain(`column body of table ${LOB_DB}.public.documents`);
    expect(task.FailureCause).toContain(`${MAX_VALUE_BYTES + 4096} bytes`);
  });
});
