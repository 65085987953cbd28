import { SourceConfig } from '@snapex/config';
import { DiscoveredTable, engineFor, ExportBatch, NO_READ_LIMITS, PinnedReadPoint } from '@snapex/engines';
import { BENCH_DATABASE, BENCH_TABLE } from './dataset';
import { Measurement, secondsSince } from './measurement';
import { peakRssMiB } from './process-memory';

const [BENCH_SCHEMA, BENCH_TABLE_NAME] = BENCH_TABLE.split('.');
/** The extractor's default batch size (extractor.batchRows). */
const BATCH_ROWS = 5000;

/** The whole benchmark table at the pinned point, in the extractor's batches. */
export function benchTableBatches(
  source: SourceConfig,
  point: PinnedReadPoint,
  table: DiscoveredTable,
): AsyncIterable<ExportBatch> {
  return engineFor('postgres').readPartition(source, {
    database: BENCH_DATABASE,
    snapshotId: point.snapshotId,
    schema: table.schema,
    table: table.table,
    columns: table.columns,
    range: null,
    batchRows: BATCH_ROWS,
    limits: NO_READ_LIMITS,
  });
}

async function countRows(source: SourceConfig, point: PinnedReadPoint): Promise<number> {
  const table = (await point.listTables()).find(
    (candidate) => candidate.schema === BENCH_SCHEMA && candidate.table === BENCH_TABLE_NAME,
  );
  if (!table) throw new Error(`${BENCH_TABLE} is not in ${BENCH_DATABASE}`);
  let rows = 0;
  const batches = benchTableBatches(source, point, table);
  for await (const batch of batches) rows += batch.length;
  return rows;
}

/**
 * snapex's PostgreSQL read path alone: engine.readPartition over the whole table at a pinned
 * snapshot, every value decoded into export rows and counted, nothing written. Runs in this process.
 */
export async function measureSnapexReader(
  url: string,
  rows: number,
  dataBytes: number,
): Promise<Measurement> {
  const source: SourceConfig = {
    name: 'bench',
    accountId: '123456789012',
    kind: 'cluster',
    engine: 'postgres',
    url,
  };
  const point = await engineFor('postgres').pinReadPoint(source, BENCH_DATABASE);
  try {
    const start = process.hrtime.bigint();
    const read = await countRows(source, point);
    const seconds = secondsSince(start);
    if (read !== rows) throw new Error(`the reader returned ${read} rows of ${rows}`);
    return {
      name: 'snapex PostgreSQL reader (readPartition, rows counted)',
      seconds,
      rows,
      dataBytes,
      outputBytes: null,
      peakRssMiB: { bench: peakRssMiB(process.pid) ?? 0 },
    };
  } finally {
    await point.release();
  }
}
