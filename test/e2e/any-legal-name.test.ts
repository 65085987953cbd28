import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableKeyPrefix } from '@snapex/contracts';
import { quoteMySqlIdentifier, quotePostgresIdentifier } from '@snapex/engines';
import { pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import {
  dropMySqlDatabase,
  myUrl,
  recreateMySqlDatabase,
  withMySql,
} from '../../scripts/local-stack/mariadb';
import { getText, listObjects, parquetList, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, snapshotStoreOf, Stack } from '../../scripts/local-stack/stack';
import { dropDatabase } from '../support/databases';
import { eventuallyValue as eventually } from '../support/eventually';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(600_000);

type Engine = 'postgres' | 'mysql';

/** Characters a name may hold that a statement, a command line, a URL or an S3 key could trip over. */
const ODD_CHARACTERS: [label: string, characters: string][] = [
  ['dot', '.'],
  ['space', ' '],
  ['apostrophe', "'"],
  ['quote', '"'],
  ['backtick', '`'],
  ['dollar', '$'],
  ['percent', '%'],
  ['backslash', '\\'],
  ['unicode', 'é表'],
  ['emoji', '🦄'],
];

/** MySQL and MariaDB identifiers hold characters up to U+FFFF: a 4-byte emoji is no legal name there. */
function isLegalIn(engine: Engine, characters: string): boolean {
  return engine === 'postgres' || [...characters].every((character) => character.codePointAt(0)! <= 0xffff);
}

const PG_DATABASE = `snapex anyname.'"\`$%\\é表🦄 pg`;
const MY_DATABASE = `snapex anyname.'"\`$%\\é表 my`;
const STACK = { name: 'e2e-anyname' };
const SOURCES: Record<Engine, { source: string; database: string }> = {
  postgres: { source: 'anyname-pg', database: PG_DATABASE },
  mysql: { source: 'anyname-my', database: MY_DATABASE },
};
/** Enough rows that, with the stack's small partitions, the table is read as several key ranges. */
const MANY_ROWS = 3000;
/** Every odd character again, in the values. */
const VALUE_TAIL = ` .'"\`$%\\é表🦄`;

interface NamedTable {
  schema: string;
  table: string;
  key: string;
  value: string;
  rows: number;
  /** Without one, PostgreSQL reads the table in page (CTID) ranges, MySQL whole. */
  primaryKey: boolean;
}

/**
 * One table per odd character, in a schema (PostgreSQL) and with a column named with it too, large
 * tables named with all of them (with and without a primary key), and two tables the seed's rule
 * gives one folder. Column names keep clear of spaces, for which the seed skips a table.
 */
function tablesOf(engine: Engine): NamedTable[] {
  const characters = ODD_CHARACTERS.filter(([, odd]) => isLegalIn(engine, odd));
  const all = characters.map(([, odd]) => odd).join('');
  const noSpace = all.replace(/ /g, '');
  const schema = (name: string) => (engine === 'postgres' ? name : MY_DATABASE);
  return [
    ...characters.map(([label, odd]) => ({
      schema: schema(`s${odd}${label}`),
      table: `t${odd}${label}`,
      key: 'id',
      value: `v${odd.replace(/ /g, '')}${label}`,
      rows: 3,
      primaryKey: true,
    })),
    ...[true, false].map((primaryKey) => ({
      schema: schema(`all ${all}`),
      table: `big ${all} ${primaryKey ? 'keyed' : 'heap'}`,
      key: `k${noSpace}`,
      value: `v${noSpace}`,
      rows: MANY_ROWS,
      primaryKey,
    })),
    { schema: schema('public'), table: 'with space', key: 'id', value: 'v', rows: 3, primaryKey: true },
    { schema: schema('public'), table: 'with_space', key: 'id', value: 'v', rows: 4, primaryKey: true },
  ];
}

/** The folder a table's files are in: the seed's, but `with space` shares it with `with_space`. */
function folderOf(identifier: string, database: string, { schema, table }: NamedTable): string {
  const seedFolder = tableKeyPrefix('', identifier, database, schema, table);
  return table === 'with space' ? `${seedFolder}__2` : seedFolder;
}

function keyClause(primaryKey: boolean): string {
  return primaryKey ? 'PRIMARY KEY' : 'NOT NULL';
}

async function createPgTables(tables: NamedTable[]): Promise<void> {
  const q = quotePostgresIdentifier;
  await recreateDatabase(PG_DATABASE);
  await withPg(pgUrl(PG_DATABASE), async (client) => {
    for (const schema of new Set(tables.map((table) => table.schema))) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
    }
    for (const { schema, table, key, value, rows, primaryKey } of tables) {
      const name = `${q(schema)}.${q(table)}`;
      await client.query(`CREATE TABLE ${name} (${q(key)} int ${keyClause(primaryKey)}, ${q(value)} text)`);
      await client.query(
        `INSERT INTO ${name}
           SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'row ' || i || ' of ' || $1 || $2 END
             FROM generate_series(1, $3) i`,
        [table, VALUE_TAIL, rows],
      );
      await client.query(`ANALYZE ${name}`);
    }
  });
}

async function createMyTables(tables: NamedTable[]): Promise<void> {
  const q = quoteMySqlIdentifier;
  await recreateMySqlDatabase(MY_DATABASE);
  await withMySql(async (connection) => {
    await connection.query('SET SESSION max_recursive_iterations = 1000000');
    for (const { table, key, value, rows, primaryKey } of tables) {
      const name = q(table);
      await connection.query(
        `CREATE TABLE ${name} (${q(key)} INT ${keyClause(primaryKey)}, ${q(value)} VARCHAR(200))`,
      );
      await connection.query(
        `INSERT INTO ${name} WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
           SELECT n, IF(n % 7 = 0, NULL, CONCAT('row ', n, ' of ', ?, ?)) FROM s`,
        [rows, table, VALUE_TAIL],
      );
      await connection.query(`ANALYZE TABLE ${name}`);
    }
  }, MY_DATABASE);
}

/** The table's rows as the source holds them, in key order. */
async function sourceRows(
  engine: Engine,
  { schema, table, key }: NamedTable,
): Promise<Record<string, unknown>[]> {
  if (engine === 'postgres') {
    const q = quotePostgresIdentifier;
    return withPg(pgUrl(PG_DATABASE), async (client) => {
      const { rows } = await client.query(`SELECT * FROM ${q(schema)}.${q(table)} ORDER BY ${q(key)}`);
      return rows;
    });
  }
  const q = quoteMySqlIdentifier;
  return withMySql(async (connection) => {
    const [rows] = await connection.query(`SELECT * FROM ${q(table)} ORDER BY ${q(key)}`);
    return rows as Record<string, unknown>[];
  }, MY_DATABASE);
}

/** Every cell that differs, as `row.column: exported != source`, and how many cells were compared. */
function compareCells(
  exported: Record<string, unknown>[],
  source: Record<string, unknown>[],
): { compared: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let compared = 0;
  source.forEach((row, index) => {
    for (const [column, value] of Object.entries(row)) {
      compared++;
      const actual = exported[index]?.[column];
      if (!Object.is(actual, value))
        mismatches.push(`${index}.${column}: ${String(actual)} != ${String(value)}`);
    }
  });
  if (exported.length !== source.length) mismatches.push(`${exported.length} rows != ${source.length}`);
  return { compared, mismatches };
}

describe('any legal name, on both engines, live and from a snapshot', () => {
  let stack: Stack;
  let reader: ParquetReader;
  const figures: string[] = [];

  beforeAll(async () => {
    await createPgTables(tablesOf('postgres'));
    await createMyTables(tablesOf('mysql'));
    stack = await Stack.start({
      ...STACK,
      sources: [
        { name: SOURCES.postgres.source, url: pgUrl('postgres'), databases: [PG_DATABASE] },
        { name: SOURCES.mysql.source, engine: 'mysql', url: myUrl(), databases: [MY_DATABASE] },
      ],
      // Small partitions, so the large table is read as several key ranges.
      config: { restorer: { partitionTargetBytes: 16 * 1024 } },
      // moto mis-signs keys with `'`, `$` or non-ASCII characters, which these names put in keys.
      enforceAuth: false,
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    process.stdout.write(`values compared with the source:\n${figures.join('\n')}\n`);
    await stack?.stop();
    await dropDatabase(PG_DATABASE);
    await dropMySqlDatabase(MY_DATABASE);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function snapshotArnOf(engine: Engine): Promise<string> {
    const identifier = `anyname-${engine}-${Date.now()}`;
    const created = await stack.api('/v1/CreateDBClusterSnapshot', {
      DBClusterSnapshotIdentifier: identifier,
      DBClusterIdentifier: SOURCES[engine].source,
    });
    expect(created.status).toBe(200);
    const snapshot = await eventually(async () => {
      const { body } = await stack.api('/v1/DescribeDBClusterSnapshots', {
        DBClusterSnapshotIdentifier: identifier,
      });
      const seen = body?.DBClusterSnapshots?.[0];
      if (seen?.Status === 'failed') throw new Error(`snapshot failed: ${JSON.stringify(seen)}`);
      return seen?.Status === 'available' ? seen : undefined;
    }, 180_000);
    // The dump's key names the database in plain characters only, so any store takes it.
    const dumpKeys = (await listObjects(adminClients(stack.moto).s3, snapshotStoreOf(STACK)))
      .map((object) => object.key)
      .filter((key) => key.includes(`/${identifier}/`));
    const hexName = Buffer.from(SOURCES[engine].database).toString('hex');
    expect(dumpKeys).toEqual([expect.stringMatching(new RegExp(`/${hexName}\\.hex\\.(dump|sql\\.gz)$`))]);
    return snapshot.DBClusterSnapshotArn;
  }

  /** Downloads a folder's Parquet files under plain local names, so no reader sees the odd characters. */
  async function parquetFilesIn(keys: string[], folder: string): Promise<string[]> {
    const { s3 } = adminClients(stack.moto);
    const dir = mkdtempSync(join(tmpdir(), 'snapex-anyname-'));
    const inFolder = keys.filter((key) => key.startsWith(`${folder}/`) && key.endsWith('.gz.parquet'));
    return Promise.all(
      inFolder.map(async (key, index) => {
        const { Body } = await s3.send(new GetObjectCommand({ Bucket: stack.target.bucket, Key: key }));
        const file = join(dir, `${index}.parquet`);
        writeFileSync(file, Buffer.from(await Body!.transformToByteArray()));
        return file;
      }),
    );
  }

  async function expectEveryTableAsTheSourceHolds(engine: Engine, identifier: string, how: string) {
    const task = await stack.waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], 300_000);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { database } = SOURCES[engine];
    const tables = tablesOf(engine);
    const { s3 } = adminClients(stack.moto);
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/`)).map((object) => object.key);

    // The two tables of one seed folder: two folders, a warning, and the moved one's folder in the tables file.
    const kept = tables.find((table) => table.table === 'with_space')!;
    const seedFolder = tableKeyPrefix('', identifier, database, kept.schema, kept.table);
    expect(JSON.parse(task.WarningMessage).general).toEqual([
      {
        reason: 'TABLE_FOLDER_NAME_COLLISION',
        detail: expect.stringContaining(`its files are written to ${seedFolder}__2 instead.`),
      },
    ]);
    const tablesKey = keys.find((key) => key.includes('export_tables_info_'))!;
    const perTable = JSON.parse(await getText(s3, stack.target.bucket, tablesKey)).perTableStatus;
    expect(perTable.map((entry: any) => entry.status)).toEqual(tables.map(() => 'COMPLETE'));
    const entryOf = (table: string) =>
      perTable.find((entry: any) => entry.target === `${database}.${kept.schema}.${table}`);
    expect(entryOf('with space')).toMatchObject({ exportedFilesPath: `${seedFolder}__2` });
    expect(entryOf('with_space')).not.toHaveProperty('exportedFilesPath');

    let compared = 0;
    const mismatches: string[] = [];
    for (const table of tables) {
      const files = await parquetFilesIn(keys, folderOf(identifier, database, table));
      expect({ table: table.table, hasFiles: files.length > 0 }).toEqual({
        table: table.table,
        hasFiles: true,
      });
      // Read as several key or page ranges; MySQL reads a table without a key whole.
      const ranged = table.rows === MANY_ROWS && (table.primaryKey || engine === 'postgres');
      if (ranged)
        expect({ table: table.table, files: files.length > 1 }).toEqual({ table: table.table, files: true });
      const exported = await reader.rows(
        `SELECT * FROM read_parquet(${parquetList(files)}) ORDER BY ${quotePostgresIdentifier(table.key)}`,
      );
      const source = await sourceRows(engine, table);
      expect(Object.keys(exported[0] ?? {})).toEqual(Object.keys(source[0]));
      const cells = compareCells(exported, source);
      compared += cells.compared;
      mismatches.push(...cells.mismatches.map((mismatch) => `${table.schema}.${table.table} ${mismatch}`));
    }
    figures.push(
      `  ${engine} ${how}: ${tables.length} tables, ${compared} values, ${mismatches.length} mismatches`,
    );
    expect(mismatches).toEqual([]);
  }

  it.each<Engine>(['postgres', 'mysql'])(
    '%s, live: every table exports with values equal to the source',
    async (engine) => {
      const identifier = `anyname-${engine}-live-${Date.now()}`;
      await stack.startExport(identifier, stack.clusterArn(SOURCES[engine].source));
      await expectEveryTableAsTheSourceHolds(engine, identifier, 'live');
    },
  );

  it.each<Engine>(['postgres', 'mysql'])(
    '%s, from a snapshot: every table exports with values equal to the source',
    async (engine) => {
      const identifier = `anyname-${engine}-snap-${Date.now()}`;
      await stack.startExport(identifier, await snapshotArnOf(engine));
      await expectEveryTableAsTheSourceHolds(engine, identifier, 'from a snapshot');
    },
  );
});
