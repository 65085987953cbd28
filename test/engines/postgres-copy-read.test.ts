import { SourceConfig } from '@snapex/config';
import {
  DiscoveredTable,
  engineFor,
  ExportRow,
  NO_READ_LIMITS,
  PinnedReadPoint,
  ReadLimits,
  RowTooLargeError,
  ValueTooLargeError,
} from '@snapex/engines';
import { dropDatabase, PG_ADMIN_URL, recreateDatabase, withPg } from '../support/databases';

jest.setTimeout(120_000);

const DATABASE = `snapex_copy_read_${process.pid}`;
const BIG_ROWS = 200_000;
const engine = engineFor('postgres');
const source: SourceConfig = {
  name: 'local',
  accountId: '123456789012',
  kind: 'cluster',
  engine: 'postgres',
  url: PG_ADMIN_URL,
};

const SCHEMA_SQL = `
  CREATE TABLE sized (id integer PRIMARY KEY, label text, payload bytea);
  INSERT INTO sized VALUES
    (1, repeat('a', 10), decode(repeat('00', 20), 'hex')),
    (2, repeat('ü', 50), NULL),
    (3, NULL, decode(repeat('ff', 90), 'hex'));
  CREATE TABLE huge_value (id integer, doc text);
  INSERT INTO huge_value VALUES (1, repeat('x', 20 * 1024 * 1024));
  CREATE TABLE big (id bigint PRIMARY KEY, note text);
  INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, ${BIG_ROWS}) g;
`;

const EXTRACTOR = 'snapex-extractor';

function limits(maxValueBytes: number, maxRowBytes: number): ReadLimits {
  return { maxValueBytes, maxRowBytes };
}

async function extractorSessions(): Promise<{ state: string; wait_event: string | null }[]> {
  return withPg(PG_ADMIN_URL, async (client) => {
    const { rows } = await client.query<{ state: string; wait_event: string | null }>(
      'SELECT state, wait_event FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [DATABASE, EXTRACTOR],
    );
    return rows;
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('the read succeeded');
    },
    (error: unknown) => error,
  );
}

describe('PostgreSQL COPY binary reads', () => {
  let point: PinnedReadPoint;
  let tables: Map<string, DiscoveredTable>;

  beforeAll(async () => {
    const url = await recreateDatabase(DATABASE);
    await withPg(url, (client) => client.query(SCHEMA_SQL));
    point = await engine.pinReadPoint(source, DATABASE);
    tables = new Map((await point.listTables()).map((table) => [table.table, table]));
  });

  afterAll(async () => {
    await point?.release();
    await dropDatabase(DATABASE);
  });

  function read(name: string, readLimits: ReadLimits = NO_READ_LIMITS, batchRows = 1000) {
    const table = tables.get(name)!;
    return engine.readPartition(source, {
      database: DATABASE,
      snapshotId: point.snapshotId,
      schema: table.schema,
      table: table.table,
      columns: table.columns,
      range: null,
      batchRows,
      limits: readLimits,
    });
  }

  async function readAll(name: string, readLimits?: ReadLimits): Promise<ExportRow[]> {
    const rows: ExportRow[] = [];
    for await (const batch of read(name, readLimits)) rows.push(...batch);
    return rows;
  }

  describe('size limits', () => {
    it('fails on a value whose byte length reaches the value limit, naming its column', async () => {
      // repeat('ü', 50) is 100 bytes of UTF-8.
      const error = await failureOf(readAll('sized', limits(100, 1000)));
      expect(error).toBeInstanceOf(ValueTooLargeError);
      expect(error).toMatchObject({ column: 'label', valueBytes: 100, limit: 100 });
      expect(await eventually(async () => (await extractorSessions()).length === 0)).toBe(true);
    });

    it('reads values one byte under the limit', async () => {
      expect(await readAll('sized', limits(101, 1000))).toHaveLength(3);
    });

    it('fails on a row whose values add up to the row limit, NULLs counting nothing', async () => {
      // Row 2 holds a 4-byte integer, 100 bytes of text and a NULL.
      const error = await failureOf(readAll('sized', limits(1000, 104)));
      expect(error).toBeInstanceOf(RowTooLargeError);
      expect(error).toMatchObject({ rowBytes: 104, limit: 104 });
      expect(await readAll('sized', limits(1000, 105))).toHaveLength(3);
    });

    it('refuses a 20 MiB value from its length, then closes its session', async () => {
      const error = await failureOf(readAll('huge_value', limits(1024 * 1024, 2 * 1024 * 1024)));
      expect(error).toMatchObject({
        name: 'ValueTooLargeError',
        column: 'doc',
        valueBytes: 20 * 1024 * 1024,
      });
      expect(await eventually(async () => (await extractorSessions()).length === 0)).toBe(true);
    });
  });

  describe('streaming', () => {
    it('reads every row of a table larger than the socket buffers', async () => {
      let count = 0;
      let sum = 0n;
      for await (const batch of read('big', NO_READ_LIMITS, 5000)) {
        count += batch.length;
        for (const row of batch) sum += row[0] as bigint;
      }
      expect(count).toBe(BIG_ROWS);
      expect(sum).toBe(BigInt((BIG_ROWS * (BIG_ROWS + 1)) / 2));
    });

    it('leaves the server waiting while the consumer is busy, and ends the COPY when it stops', async () => {
      const batches = read('big', NO_READ_LIMITS, 1000)[Symbol.asyncIterator]();
      const first = await batches.next();
      expect(first.value).toHaveLength(1000);
      // Not drained into memory: the backend is still in its COPY, blocked writing to us.
      expect(
        await eventually(async () => {
          const sessions = await extractorSessions();
          return (
            sessions.length === 1 &&
            sessions[0].state === 'active' &&
            sessions[0].wait_event === 'ClientWrite'
          );
        }),
      ).toBe(true);
      await batches.return?.(undefined);
      expect(await eventually(async () => (await extractorSessions()).length === 0)).toBe(true);
    });

    it("surfaces the database's error when the read fails mid-stream", async () => {
      const batches = read('big', NO_READ_LIMITS, 1000)[Symbol.asyncIterator]();
      await batches.next();
      await withPg(PG_ADMIN_URL, (client) =>
        client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
          [DATABASE, EXTRACTOR],
        ),
      );
      const error = await failureOf(
        (async () => {
          for (let next = await batches.next(); !next.done; next = await batches.next());
        })(),
      );
      expect(error).toMatchObject({ code: '57P01' });
      expect(engine.classifyFailure(error)).toBe('transient');
      expect(await eventually(async () => (await extractorSessions()).length === 0)).toBe(true);
    });
  });
});
