import { SourceConfig } from '@snapex/config';
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
import { escapeIdentifier } from 'pg';
import { dropDatabase, PG_ADMIN_URL, pgUrl, recreateDatabase, withPg } from '../support/databases';
import { eventually } from '../support/eventually';

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
  CREATE DOMAIN code AS char(4);
  CREATE DOMAIN ip AS inet;
  CREATE DOMAIN ip_again AS ip;
  CREATE TABLE odd_text (
    id integer PRIMARY KEY, c_xml xml, c_inet inet, c_ip ip, c_ip_again ip_again, c_code code,
    c_chars char(3)[], c_char "char", c_name name, c_numeric numeric, c_json json, c_row sized
  );
  INSERT INTO odd_text VALUES
    (1, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a>ü</a>', '10.0.0.1', '10.0.0.2',
     '10.0.0.3', 'ab', ARRAY['x', NULL, 'yz'], 'q', 'a name', 1.50, '{"b":  1}', ROW(1, 'a b', '\\x00')),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ROW(NULL, NULL, NULL));
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
    for await (const batch of read(name, readLimits)) rows.push(...rowsOf(batch, tables.get(name)!.columns));
    return rows;
  }

  describe('text output', () => {
    it('selects each type the cheapest way that still gives its output function text', () => {
      const decoders = Object.fromEntries(
        tables.get('odd_text')!.columns.map((column) => [column.name, column.decoder]),
      );
      expect(decoders).toEqual({
        id: 'int4',
        c_xml: 'text_cast',
        c_inet: 'text_output',
        c_ip: 'text_output',
        c_ip_again: 'text_output',
        c_code: 'text',
        c_chars: 'text_cast',
        c_char: 'text_output',
        c_name: 'text',
        c_numeric: 'text_cast',
        c_json: 'text_cast',
        c_row: 'text_cast',
      });
    });

    it('matches the output functions where a text cast would not (inet, char(n) domains), and keeps xml as stored', async () => {
      const table = tables.get('odd_text')!;
      const names = table.columns.slice(1).map((column) => escapeIdentifier(column.name));
      const expected = await withPg(pgUrl(DATABASE), async (client) => {
        const outputs = names.map((name) =>
          name === '"c_xml"'
            ? `${name}::text`
            : `CASE WHEN num_nulls(${name}) = 1 THEN NULL ELSE format('%s', ${name}) END`,
        );
        const { rows } = await client.query<unknown[]>({
          text: `SELECT id, ${outputs.join(', ')} FROM odd_text ORDER BY id`,
          rowMode: 'array',
        });
        return rows;
      });
      const exported = (await readAll('odd_text')).sort((a, b) => (a[0] as number) - (b[0] as number));
      expect(exported).toEqual(expected);
      expect(exported[0].slice(1, 6)).toEqual([
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a>ü</a>',
        '10.0.0.1',
        '10.0.0.2',
        '10.0.0.3',
        'ab  ',
      ]);
      expect(exported[1].at(-1)).toBe('(,,)');
    });
  });

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
        for (const row of rowsOf(batch, tables.get('big')!.columns)) sum += row[0] as bigint;
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

    /** Reads one batch, runs `signal(pid)` on the extractor's backend, then reads on to the failure. */
    async function failureAfterFirstBatch(signal: string): Promise<unknown> {
      const batches = read('big', NO_READ_LIMITS, 1000)[Symbol.asyncIterator]();
      await batches.next();
      await withPg(PG_ADMIN_URL, (client) =>
        client.query(
          `SELECT ${signal}(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
          [DATABASE, EXTRACTOR],
        ),
      );
      return failureOf(
        (async () => {
          for (let next = await batches.next(); !next.done; next = await batches.next());
        })(),
      );
    }

    it("surfaces the database's error when the read fails mid-stream", async () => {
      const error = await failureAfterFirstBatch('pg_cancel_backend');
      expect(error).toMatchObject({ code: '57014' });
      expect(engine.classifyFailure(error)).toBe('transient');
      expect(await eventually(async () => (await extractorSessions()).length === 0)).toBe(true);
    });

    it('retries a read whose backend is terminated mid-stream', async () => {
      // A backend blocked writing COPY data cannot send its FATAL message, so this is often a dropped connection.
      const error = await failureAfterFirstBatch('pg_terminate_backend');
      expect(engine.classifyFailure(error)).toBe('transient');
      expect(await eventually(async () => (await extractorSessions()).length === 0)).toBe(true);
    });
  });
});
