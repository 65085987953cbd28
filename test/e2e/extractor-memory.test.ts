import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PG_ADMIN_URL, pgUrl, recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { downloadPrefix, listObjects, parquetList, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, Stack } from '../../scripts/local-stack/stack';
import { peakResidentBytesIn } from '../../apps/table-extractor/src/memory-guard';

const SOURCE_DB = 'snapex_encode_memory';
const MiB = 1024 * 1024;
const MEMORY_LIMIT_BYTES = 384 * MiB;
const ROWS = 420_000;
/** About 2 KB of text a row: half of it from a small set of values, half random hex. */
const TABLE_DDL = `
CREATE TABLE documents (id bigint PRIMARY KEY, title text, body text, score double precision);
INSERT INTO documents
SELECT i,
       'document ' || i,
       (SELECT string_agg(md5((i % 1000 + k)::text) || md5(random()::text), '') FROM generate_series(1, 30) k),
       i / 7.0
  FROM generate_series(1, ${ROWS}) i;
ANALYZE documents;`;

/** The table, reused when an earlier run left it complete: building it takes most of a minute. */
async function ensureSource(): Promise<string> {
  const existing = await withPg(PG_ADMIN_URL, (client) =>
    client.query('SELECT 1 FROM pg_database WHERE datname = $1', [SOURCE_DB]),
  );
  if (existing.rowCount === 1) {
    const url = pgUrl(SOURCE_DB);
    const rows = await withPg(url, async (client) => {
      const table = await client.query(`SELECT to_regclass('documents') IS NOT NULL AS present`);
      if (!table.rows[0].present) return 0;
      return Number((await client.query('SELECT count(*) AS n FROM documents')).rows[0].n);
    });
    if (rows === ROWS) return url;
  }
  const url = await recreateDatabase(SOURCE_DB);
  await withPg(url, (client) => client.query(TABLE_DDL));
  return url;
}

/** The peak resident memory of a process that is still running (VmHWM), in bytes. */
function peakResidentBytes(pid: number): number {
  const peak = peakResidentBytesIn(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (peak === null) throw new Error(`no VmHWM for process ${pid}`);
  return peak;
}

const DIGEST = `count(*)::varchar AS n, sum(id)::varchar AS ids, sum(length(body))::varchar AS chars,
                md5(string_agg(md5(title || body), ',' ORDER BY id)) AS digest`;

describe('one extractor exporting a table more than twice its memory bound', () => {
  let stack: Stack;
  let sourceUrl: string;
  let tableBytes: number;

  beforeAll(async () => {
    sourceUrl = await ensureSource();
    tableBytes = await withPg(sourceUrl, async (client) =>
      Number((await client.query(`SELECT pg_total_relation_size('documents') AS bytes`)).rows[0].bytes),
    );
    stack = await Stack.start({
      name: 'encode-memory',
      sources: [{ name: 'memory-cluster', url: sourceUrl, databases: [SOURCE_DB] }],
      config: {
        extractor: {
          memoryLimitBytes: MEMORY_LIMIT_BYTES,
          concurrency: 1,
          batchRows: 1000,
          uploadPartBytes: 5 * MiB,
          uploadQueueSize: 1,
        },
        logging: { level: 'info' },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('stays under extractor.memoryLimitBytes and writes every row', async () => {
    expect(tableBytes).toBeGreaterThan(2 * MEMORY_LIMIT_BYTES);
    const identifier = `memory-${Date.now()}`;
    const task = await stack.exportCluster(identifier, 'memory-cluster');
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });

    const extractor = stack.services.find((service) => service.name.startsWith('table-extractor'))!;
    const peak = peakResidentBytes(extractor.process.pid!);
    const logged = stack
      .logs('table-extractor')
      .split('\n')
      .filter((line) => line.includes('"partition exported"'))
      .map((line) => JSON.parse(line).peakRssBytes as number);
    console.log(
      `table ${Math.round(tableBytes / MiB)} MiB, extractor peak RSS ${Math.round(peak / MiB)} MiB ` +
        `(logged per partition: ${logged.map((bytes) => Math.round(bytes / MiB)).join(', ')} MiB)`,
    );
    expect(logged.length).toBeGreaterThan(0);
    expect(peak).toBeLessThan(MEMORY_LIMIT_BYTES);

    const { s3 } = adminClients(stack.moto);
    const parts = (await listObjects(s3, stack.target.bucket, `${identifier}/`))
      .map((object) => object.key)
      .filter((key) => key.endsWith('.gz.parquet'));
    const { dir } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    try {
      const reader = await ParquetReader.open();
      const [exported] = await reader.rows(
        `SELECT ${DIGEST} FROM read_parquet(${parquetList(parts.map((key) => join(dir, key)))})`,
      );
      const source = await withPg(
        sourceUrl,
        async (client) =>
          (await client.query(`SELECT ${DIGEST.replace(/::varchar/g, '::text')} FROM documents`)).rows[0],
      );
      expect(exported).toEqual(source);
      expect(exported.n).toBe(String(ROWS));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
