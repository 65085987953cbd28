import { PartitionStarted } from '@snapex/contracts';
import { connect, NatsConnection } from 'nats';
import { join } from 'node:path';
import { recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { downloadPrefix, listObjects, parquetList, ParquetReader } from '../../scripts/local-stack/readback';
import { adminClients, NATS_URL, Stack } from '../../scripts/local-stack/stack';

const SOURCE_DB = 'snapex_e2e_crash';
const ROWS = 300_000;

interface Started {
  partitionIndex: number;
  extractor: string;
}

describe('two extractor processes sharing the work queue, one killed mid-partition', () => {
  let stack: Stack;
  let nats: NatsConnection;
  let sourceUrl: string;

  beforeAll(async () => {
    sourceUrl = await recreateDatabase(SOURCE_DB);
    await withPg(sourceUrl, (client) =>
      client.query(`
        CREATE TABLE events (id bigint PRIMARY KEY, payload text, amount numeric(12, 2), happened_at timestamptz);
        INSERT INTO events
        SELECT i, md5(i::text) || repeat('.', i % 40), (i % 10000) / 100.0, timestamptz '2025-01-01' + make_interval(secs => i)
          FROM generate_series(1, ${ROWS}) i;
        ANALYZE events;`),
    );
    stack = await Stack.start({
      name: 'e2e-crash',
      sources: [{ name: 'crash-cluster', url: sourceUrl, databases: [SOURCE_DB] }],
      extractors: 2,
      config: {
        restorer: { partitionTargetBytes: 4 * 1024 * 1024 },
        extractor: { concurrency: 1, batchRows: 2000 },
      },
    });
    nats = await connect({ servers: NATS_URL });
  });

  afterAll(async () => {
    await nats?.close();
    await stack?.stop();
  });

  it('redoes the dead attempt elsewhere and ends with exactly one copy of every row', async () => {
    const { s3 } = adminClients(stack.moto);
    const identifier = `crash-${Date.now()}`;
    const extractors = stack.services.filter((service) => service.name.startsWith('table-extractor'));
    const victim = extractors[0];
    const starts: Started[] = [];
    let killed = false;
    nats.subscribe(PartitionStarted.subject, {
      callback: (_error, message) => {
        const event = message.json<{
          exportTaskIdentifier: string;
          partitionIndex: number;
          extractor: string;
        }>();
        if (event.exportTaskIdentifier !== identifier) return;
        starts.push({ partitionIndex: event.partitionIndex, extractor: event.extractor });
        if (!killed && event.extractor.endsWith(`:${victim.process.pid}`)) {
          killed = true;
          // Mid-partition: the first batches are read and part of the upload is on its way.
          setTimeout(() => victim.process.kill('SIGKILL'), 400);
        }
      },
    });

    const task = await stack.exportCluster(identifier, 'crash-cluster');
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    expect(killed).toBe(true);
    expect(victim.process.signalCode).toBe('SIGKILL');

    // Both processes took partitions; the one the victim held was started again by the survivor.
    const byExtractor = new Set(starts.map((start) => start.extractor));
    expect(byExtractor.size).toBe(2);
    const victimPartition = starts.find((start) =>
      start.extractor.endsWith(`:${victim.process.pid}`),
    )!.partitionIndex;
    expect(starts.filter((start) => start.partitionIndex === victimPartition).length).toBeGreaterThanOrEqual(
      1,
    );

    // One object per partition folder, none left over from the dead attempt.
    const keys = (await listObjects(s3, stack.target.bucket, `${identifier}/`)).map((object) => object.key);
    const parts = keys.filter((key) => key.endsWith('.gz.parquet'));
    const folders = parts.map((key) => key.split('/').slice(0, -1).join('/'));
    expect(new Set(folders).size).toBe(parts.length);
    expect(parts.length).toBeGreaterThan(2);

    // Row-exact: every source row once, values intact.
    const { dir } = await downloadPrefix(s3, stack.target.bucket, `${identifier}/`);
    const reader = await ParquetReader.open();
    const [exported] = await reader.rows(
      `SELECT count(*)::varchar AS n, count(DISTINCT id)::varchar AS ids, sum(id)::varchar AS total,
              md5(string_agg(payload || amount || happened_at, ',' ORDER BY id)) AS digest
         FROM read_parquet(${parquetList(parts.map((key) => join(dir, key)))})`,
    );
    const source = await withPg(sourceUrl, async (client) => {
      await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
      const { rows } = await client.query(
        `SELECT count(*)::text AS n, count(DISTINCT id)::text AS ids, sum(id)::text AS total,
                md5(string_agg(payload || amount::text || happened_at::text, ',' ORDER BY id)) AS digest
           FROM events`,
      );
      return rows[0];
    });
    expect(exported).toEqual(source);
    expect(exported.n).toBe(String(ROWS));
  });
});
