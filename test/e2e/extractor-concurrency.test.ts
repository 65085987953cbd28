import { recreateDatabase, withPg } from '../../scripts/local-stack/databases';
import { Stack } from '../../scripts/local-stack/stack';

const SOURCE_DB = 'snapex_encode_concurrency';
const ROWS = 200_000;

interface ExportedPartition {
  partition: number;
  startedAt: number;
  finishedAt: number;
  partitionsInFlight: number;
}

/** The extractor's 'partition exported' log lines, as time windows. */
function exportedPartitions(log: string): ExportedPartition[] {
  return log
    .split('\n')
    .filter((line) => line.includes('"partition exported"'))
    .map((line) => JSON.parse(line))
    .map((entry) => ({
      partition: entry.partition,
      startedAt: Date.parse(entry.time) - entry.durationMs,
      finishedAt: Date.parse(entry.time),
      partitionsInFlight: entry.partitionsInFlight,
    }));
}

describe('one extractor with two consumer slots', () => {
  let stack: Stack;

  beforeAll(async () => {
    const sourceUrl = await recreateDatabase(SOURCE_DB);
    await withPg(sourceUrl, (client) =>
      client.query(`
        CREATE TABLE readings (id bigint PRIMARY KEY, sensor text, reading double precision, note text);
        INSERT INTO readings
        SELECT i, 'sensor-' || (i % 97), i / 3.0, repeat(md5(i::text), 8)
          FROM generate_series(1, ${ROWS}) i;
        ANALYZE readings;`),
    );
    stack = await Stack.start({
      name: 'encode-concurrency',
      sources: [{ name: 'concurrency-cluster', url: sourceUrl, databases: [SOURCE_DB] }],
      config: {
        restorer: { partitionTargetBytes: 8 * 1024 * 1024 },
        extractor: { concurrency: 2, encoderThreads: 2, batchRows: 2000 },
        logging: { level: 'info' },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reads and encodes two partitions at once', async () => {
    const task = await stack.exportCluster(`concurrency-${Date.now()}`, 'concurrency-cluster');
    expect({ Status: task.Status, FailureCause: task.FailureCause }).toEqual({ Status: 'COMPLETE' });
    const partitions = exportedPartitions(stack.logs('table-extractor'));
    expect(partitions.length).toBeGreaterThan(4);
    expect(partitions.some((partition) => partition.partitionsInFlight === 2)).toBe(true);
    const overlapping = partitions.filter((partition) =>
      partitions.some(
        (other) =>
          other !== partition &&
          other.startedAt < partition.finishedAt &&
          partition.startedAt < other.finishedAt,
      ),
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(partitions.length / 2);
  });
});
