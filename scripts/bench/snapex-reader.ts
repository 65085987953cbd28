import { SourceConfig } from '@snapex/config';
import { DiscoveredTable, engineFor, ExportBatch, NO_READ_LIMITS, PinnedReadPoint } from '@snapex/engines';
import { BenchEngine } from './bench-engines';
import { BENCH_DATABASE } from './dataset';
import { cpuSecondsSince, Measurement, secondsSince } from './measurement';
import { peakRssMiB } from './process-memory';

/** The extractor's default batch size (extractor.batchRows). */
const BATCH_ROWS = 5000;

/** The whole benchmark table at the pinned point, in the extractor's batches, read by the source's engine. */
export function benchTableBatches(
  source: SourceConfig,
  point: PinnedReadPoint,
  table: DiscoveredTable,
): AsyncIterable<ExportBatch> {
  return engineFor(source.engine).readPartition(source, {
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

async function countRows(bench: BenchEngine, source: SourceConfig, point: PinnedReadPoint): Promise<number> {
  const table = (await point.listTables()).find((candidate) => candidate.table === bench.table);
  if (!table) throw new Error(`${bench.table} is not in ${BENCH_DATABASE}`);
  let rows = 0;
  const batches = benchTableBatches(source, point, table);
  for await (const batch of batches) rows += batch.length;
  return rows;
}

/**
 * snapex's read path alone: engine.readPartition over the whole table at a pinned read point, every
 * value decoded as the encoder takes it and counted, nothing written. Runs in this process.
 */
export async function measureSnapexReader(
  bench: BenchEngine,
  url: string,
  rows: number,
  dataBytes: number,
): Promise<Measurement> {
  const source: SourceConfig = {
    name: 'bench',
    accountId: '123456789012',
    kind: 'cluster',
    engine: bench.engine,
    url,
  };
  const point = await engineFor(bench.engine).pinReadPoint(source, BENCH_DATABASE);
  try {
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    const read = await countRows(bench, source, point);
    const seconds = secondsSince(start);
    if (read !== rows) throw new Error(`the reader returned ${read} rows of ${rows}`);
    return {
      name: `snapex ${bench.server} reader (readPartition, rows counted)`,
      seconds,
      rows,
      dataBytes,
      outputBytes: null,
      peakRssMiB: { bench: peakRssMiB(process.pid) ?? 0 },
      cpuSeconds: { bench: cpuSecondsSince(cpuBefore) },
      role: 'reader',
    };
  } finally {
    await point.release();
  }
}
