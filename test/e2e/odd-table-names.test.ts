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
import { downloadPrefix, parquetList, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { dropDatabase } from '../support/databases';
import { printLogsIfFailed } from '../support/service-logs';

jest.setTimeout(300_000);

const PG_DATABASE = 'snapex_odd_names_pg';
const MY_DATABASE = 'snapex_odd_names_my';
/** Enough rows that, with the stack's small partitions, the table is read as several ranges. */
const MANY_ROWS = 3000;

interface OddTable {
  schema: string;
  table: string;
  key: string;
  value: string;
  rows: number;
  primaryKey: boolean;
}

/**
 * Names that break a statement unless quoted: quotes, backticks, dots, spaces, letters beyond ASCII.
 * Table and schema names become S3 keys, and moto refuses the signature of a key holding an apostrophe
 * or a letter beyond ASCII (real S3 takes both), so those characters are tried in column names here.
 * Column names keep clear of spaces, which the seed's rules skip a table for.
 */
const PG_TABLES: OddTable[] = [
  { schema: 'public', table: 'we"ird', key: 'id', value: 'note', rows: 3, primaryKey: true },
  { schema: 'public', table: 'with space', key: 'id', value: 'va.lue"', rows: 3, primaryKey: true },
  { schema: 'public', table: 'dot.ted', key: 'ïd表', value: "it's", rows: 3, primaryKey: true },
  { schema: 'Sales "Q1".eu', table: 'dot.ted', key: 'id', value: 'note', rows: 3, primaryKey: true },
  { schema: 'public', table: 'big.one "x"', key: 'k"ey', value: 'v.al', rows: MANY_ROWS, primaryKey: true },
  { schema: 'public', table: 'no key', key: 'id', value: "no'te", rows: MANY_ROWS, primaryKey: false },
];

const MY_TABLES: OddTable[] = [
  { schema: MY_DATABASE, table: 'dot.ted', key: 'id', value: 'note', rows: 3, primaryKey: true },
  { schema: MY_DATABASE, table: 'back`tick', key: 'id', value: 'va`lue', rows: 3, primaryKey: true },
  { schema: MY_DATABASE, table: 'quo"te.s', key: 'id', value: "no'te", rows: 3, primaryKey: true },
  { schema: MY_DATABASE, table: 'dou"ble', key: 'id', value: 'note', rows: 3, primaryKey: true },
  { schema: MY_DATABASE, table: 'spa ce', key: 'ïd', value: 'wért表', rows: 3, primaryKey: true },
  { schema: MY_DATABASE, table: 'big.one', key: 'k.ey', value: 'v`al', rows: MANY_ROWS, primaryKey: true },
];

async function createPgTables(): Promise<void> {
  const q = quotePostgresIdentifier;
  await recreateDatabase(PG_DATABASE);
  await withPg(pgUrl(PG_DATABASE), async (client) => {
    await client.query(`CREATE SCHEMA ${q('Sales "Q1".eu')}`);
    for (const { schema, table, key, value, rows, primaryKey } of PG_TABLES) {
      const name = `${q(schema)}.${q(table)}`;
      await client.query(
        `CREATE TABLE ${name} (${q(key)} int ${primaryKey ? 'PRIMARY KEY' : ''}, ${q(value)} text)`,
      );
      await client.query(
        `INSERT INTO ${name} SELECT i, 'row ' || i || ' of ' || $1 FROM generate_series(1, $2) i`,
        [table, rows],
      );
      await client.query(`ANALYZE ${name}`);
    }
  });
}

async function createMyTables(): Promise<void> {
  const q = quoteMySqlIdentifier;
  await recreateMySqlDatabase(MY_DATABASE);
  await withMySql(async (connection) => {
    await connection.query('SET SESSION max_recursive_iterations = 1000000');
    for (const { table, key, value, rows } of MY_TABLES) {
      const name = q(table);
      await connection.query(`CREATE TABLE ${name} (${q(key)} INT PRIMARY KEY, ${q(value)} VARCHAR(100))`);
      await connection.query(
        `INSERT INTO ${name} WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
           SELECT n, CONCAT('row ', n, ' of ', ?) FROM s`,
        [rows, table],
      );
      await connection.query(`ANALYZE TABLE ${name}`);
    }
  }, MY_DATABASE);
}

/** The table's rows as the source holds them, by key. */
async function sourceRows(
  engine: 'postgres' | 'mysql',
  { schema, table, key }: OddTable,
): Promise<unknown[]> {
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
    return rows as unknown[];
  }, MY_DATABASE);
}

describe('tables whose names break a statement unless quoted', () => {
  let stack: Stack;
  let reader: ParquetReader;

  beforeAll(async () => {
    await createPgTables();
    await createMyTables();
    stack = await Stack.start({
      name: 'snapex-odd-names',
      sources: [
        { name: 'odd-pg', url: pgUrl('postgres'), databases: [PG_DATABASE] },
        { name: 'odd-my', engine: 'mysql', url: myUrl(), databases: [MY_DATABASE] },
      ],
      // Small partitions, so the larger tables are read as several key or page ranges.
      config: { restorer: { partitionTargetBytes: 16 * 1024 } },
    });
    reader = await ParquetReader.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(PG_DATABASE);
    await dropMySqlDatabase(MY_DATABASE);
  });

  afterEach(() => printLogsIfFailed(stack));

  async function expectExportedAsTheSourceHolds(
    source: string,
    engine: 'postgres' | 'mysql',
    database: string,
    tables: OddTable[],
  ): Promise<void> {
    const identifier = `odd-${engine}-${Date.now()}`;
    const task = await stack.exportCluster(identifier, source);
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const { dir, keys } = await downloadPrefix(
      adminClients(stack.moto).s3,
      stack.target.bucket,
      `${identifier}/`,
    );
    for (const table of tables) {
      const prefix = `${tableKeyPrefix('', identifier, database, table.schema, table.table)}/`;
      const files = keys
        .filter((key) => key.startsWith(prefix) && key.endsWith('.gz.parquet'))
        .map((key) => join(dir, key));
      expect(files.length).toBeGreaterThan(0);
      if (table.rows === MANY_ROWS) expect(files.length).toBeGreaterThan(1);
      const exported = await reader.rows(
        `SELECT * FROM read_parquet(${parquetList(files)}) ORDER BY ${quotePostgresIdentifier(table.key)}`,
      );
      expect({ table: table.table, rows: exported }).toEqual({
        table: table.table,
        rows: await sourceRows(engine, table),
      });
    }
  }

  it('PostgreSQL: every table exports, with values equal to the source', async () => {
    await expectExportedAsTheSourceHolds('odd-pg', 'postgres', PG_DATABASE, PG_TABLES);
  });

  it('MariaDB (cloned live): every table exports, with values equal to the source', async () => {
    await expectExportedAsTheSourceHolds('odd-my', 'mysql', MY_DATABASE, MY_TABLES);
  });
});
