import { SourceConfig } from '@snapex/config';
import {
  DiscoveredTable,
  engineFor,
  NO_READ_LIMITS as NO_LIMITS,
  PinnedReadPoint,
  rowsOf,
} from '@snapex/engines';
import { dropDatabase, recreateDatabase, withPg } from '../support/databases';

jest.setTimeout(120_000);

const DATABASE = `snapex_partition_test_${process.pid}`;
const engine = engineFor('postgres');
const TARGET_BYTES = 256 * 1024;

const SCHEMA_SQL = `
  -- Keys with gaps and a dense cluster: boundaries follow the data, not the key range.
  CREATE TABLE skewed (id bigint PRIMARY KEY, payload text);
  INSERT INTO skewed SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i;
  INSERT INTO skewed SELECT 1000000000 + i * 1000, repeat('y', 100) FROM generate_series(1, 2000) i;
  CREATE TABLE composite (tenant integer, seq integer, payload text, PRIMARY KEY (tenant, seq));
  INSERT INTO composite SELECT i % 50, i, repeat('z', 100) FROM generate_series(1, 20000) i;
  CREATE TABLE no_key (label text, n integer);
  INSERT INTO no_key SELECT 'row ' || i, i FROM generate_series(1, 20000) i;
  CREATE TABLE text_key (code text PRIMARY KEY, n integer);
  INSERT INTO text_key SELECT 'code-' || i, i FROM generate_series(1, 20000) i;
  CREATE TABLE tiny (id integer PRIMARY KEY);
  INSERT INTO tiny VALUES (1), (2);
  ANALYZE;
`;

describe('PostgreSQL partition planning', () => {
  let source: SourceConfig;
  let point: PinnedReadPoint;
  let tables: Map<string, DiscoveredTable>;

  beforeAll(async () => {
    const url = await recreateDatabase(DATABASE);
    await withPg(url, (client) => client.query(SCHEMA_SQL));
    source = { name: 'planner', accountId: '123456789012', kind: 'cluster', engine: 'postgres', url };
    point = await engine.pinReadPoint(source, DATABASE);
    tables = new Map((await point.listTables()).map((table) => [table.table, table]));
  });

  afterAll(async () => {
    await point?.release();
    await dropDatabase(DATABASE);
  });

  /** Every row read back through the plan's partitions, with the partition each came from. */
  async function readThroughPlan(name: string) {
    const table = tables.get(name)!;
    const plan = await point.planPartitions(table, TARGET_BYTES);
    const perPartition: number[] = [];
    const keys: string[] = [];
    for (const range of plan.ranges) {
      let count = 0;
      for await (const batch of engine.readPartition(source, {
        database: DATABASE,
        snapshotId: point.snapshotId,
        schema: table.schema,
        table: table.table,
        columns: table.columns,
        range,
        batchRows: 5000,
        limits: NO_LIMITS,
      })) {
        count += batch.length;
        for (const row of rowsOf(batch, table.columns))
          keys.push(row.map((value) => String(value)).join('|'));
      }
      perPartition.push(count);
    }
    return { plan, perPartition, keys };
  }

  async function sourceRows(name: string): Promise<string[]> {
    return withPg(source.url, async (client) => {
      const { rows } = await client.query({ text: `SELECT * FROM ${name}`, rowMode: 'array' });
      return rows.map((row: unknown[]) => row.map((value) => String(value)).join('|'));
    });
  }

  it('cuts a skewed integer key at sampled quantiles, exactly covering every row once', async () => {
    const { plan, perPartition, keys } = await readThroughPlan('skewed');
    expect(plan.info.constraintType).toBe('PRIMARY_KEY');
    expect(plan.info.partitionColumns).toEqual([
      { columnName: 'id', columnType: 'bigint', min: '1', max: '1002000000' },
    ]);
    expect(plan.ranges.length).toBeGreaterThan(2);
    expect(plan.info.numberOfPartitions).toBe(plan.ranges.length);
    expect(keys.sort()).toEqual((await sourceRows('skewed')).sort());
    // Quantiles, not equal widths: no partition holds most of the rows.
    expect(Math.max(...perPartition)).toBeLessThan(keys.length / 2);
  });

  it('uses the leading integer column of a composite key', async () => {
    const { plan, keys } = await readThroughPlan('composite');
    expect(plan.info.constraintType).toBe('PRIMARY_KEY');
    expect(plan.info.partitionColumns[0]).toMatchObject({
      columnName: 'tenant',
      columnType: 'integer',
      min: '0',
      max: '49',
    });
    expect(keys.sort()).toEqual((await sourceRows('composite')).sort());
  });

  it.each(['no_key', 'text_key'])('falls back to page (CTID) ranges for %s', async (name) => {
    const { plan, perPartition, keys } = await readThroughPlan(name);
    expect(plan.info.constraintType).toBe('CTID');
    expect(plan.info.partitionColumns[0]).toMatchObject({
      columnName: 'ctid',
      columnType: 'TID',
      min: '(0,1)',
    });
    expect(plan.ranges.length).toBeGreaterThan(1);
    expect(perPartition.every((count) => count > 0)).toBe(true);
    expect(keys.sort()).toEqual((await sourceRows(name)).sort());
  });

  it('keeps a small table whole', async () => {
    const { plan } = await readThroughPlan('tiny');
    expect(plan).toEqual({
      ranges: [null],
      info: { numberOfPartitions: 1, constraintType: 'NONE', partitionColumns: [] },
    });
  });

  it('plans at the pinned snapshot: rows added later fall in no partition', async () => {
    await withPg(source.url, (client) =>
      client.query("INSERT INTO skewed VALUES (5000000000, 'late'), (0, 'early')"),
    );
    const { keys } = await readThroughPlan('skewed');
    expect(keys).toHaveLength(22000);
    expect(keys.some((key) => key.startsWith('5000000000|') || key.startsWith('0|'))).toBe(false);
  });
});
