/**
 * Codecs and type modes side by side: the benchmark table read by snapex's PostgreSQL reader and
 * written by the default encoder (parquet-wasm) to a stream that only counts bytes, once per codec
 * and level, so each line differs from the others only in how pages are compressed (and, for the
 * native line, in how columns are typed). No S3 and no services: what `SnapexOutput` changes.
 */
import { Writable } from 'node:stream';
import { SourceConfig } from '@snapex/config';
import { Compression, TypeMode } from '@snapex/contracts';
import { engineFor } from '@snapex/engines';
import { DEFAULT_PARQUET_WASM_TUNING, EncoderThreads, parquetWasmEncoder } from '@snapex/parquet';
import { BENCH_DATABASE, BENCH_TABLE } from './dataset';
import { cpuSecondsSince, Measurement, secondsSince } from './measurement';
import { peakRssMiB } from './process-memory';
import { benchTableBatches } from './snapex-reader';

interface CodecScenario {
  compression: Compression;
  typeMode: TypeMode;
}

/** gzip 1 is snapex's default (extractor.gzipLevel); zstd 3 its default zstd level. */
export const CODEC_SCENARIOS: readonly CodecScenario[] = [
  { compression: { codec: 'gzip', level: 1 }, typeMode: 'aws' },
  { compression: { codec: 'gzip', level: 6 }, typeMode: 'aws' },
  { compression: { codec: 'zstd', level: 1 }, typeMode: 'aws' },
  { compression: { codec: 'zstd', level: 3 }, typeMode: 'aws' },
  { compression: { codec: 'zstd', level: 9 }, typeMode: 'aws' },
  { compression: { codec: 'snappy' }, typeMode: 'aws' },
  { compression: { codec: 'zstd', level: 3 }, typeMode: 'native' },
];

/** The extractor's default (extractor.rowGroupRows). */
const ROW_GROUP_ROWS = 50_000;

class CountingSink extends Writable {
  bytes = 0;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

export function codecScenarioName({ compression, typeMode }: CodecScenario): string {
  const level = compression.level === undefined ? '' : ` ${compression.level}`;
  return `read + encode, ${compression.codec}${level}, ${typeMode} types`;
}

/** One scenario: the whole table read and encoded into one file, as one extractor writes a partition. */
export async function measureCodec(
  url: string,
  rows: number,
  dataBytes: number,
  scenario: CodecScenario,
  threads: EncoderThreads,
): Promise<Measurement> {
  const source: SourceConfig = {
    name: 'bench',
    accountId: '123456789012',
    kind: 'cluster',
    engine: 'postgres',
    url,
  };
  const engine = engineFor('postgres');
  const point = await engine.pinReadPoint(source, BENCH_DATABASE);
  try {
    const table = (await point.listTables(scenario.typeMode)).find(
      (candidate) => `${candidate.schema}.${candidate.table}` === BENCH_TABLE,
    );
    if (!table) throw new Error(`${BENCH_TABLE} is not in ${BENCH_DATABASE}`);
    const sink = new CountingSink();
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    const open = parquetWasmEncoder(threads, DEFAULT_PARQUET_WASM_TUNING);
    const encoder = await open(table.columns, sink, {
      rowGroupRows: ROW_GROUP_ROWS,
      compression: scenario.compression,
    });
    const batches = benchTableBatches(source, point, table);
    for await (const batch of batches) await encoder.write(batch);
    const stats = await encoder.close();
    const seconds = secondsSince(start);
    const cpuSeconds = cpuSecondsSince(cpuBefore);
    if (stats.rows !== rows) throw new Error(`${stats.rows} rows were encoded of ${rows}`);
    return {
      name: codecScenarioName(scenario),
      seconds,
      rows,
      dataBytes,
      outputBytes: sink.bytes,
      peakRssMiB: { bench: peakRssMiB(process.pid) ?? 0 },
      // This process's CPU, its encoder threads included: the extractor's work without S3 and NATS.
      cpuSeconds: { bench: cpuSeconds },
    };
  } finally {
    await point.release();
  }
}

/**
 * One tiny file per encoder thread and codec, so that no measurement pays for starting a thread,
 * compiling parquet-wasm or loading zstd's WebAssembly.
 */
async function warmUp(threads: EncoderThreads, count: number): Promise<void> {
  const open = parquetWasmEncoder(threads, DEFAULT_PARQUET_WASM_TUNING);
  const files = CODEC_SCENARIOS.flatMap(({ compression }) =>
    Array.from({ length: count }, async () => {
      const encoder = await open([{ name: 'warm', parquetType: 'INT32' }], new CountingSink(), {
        rowGroupRows: 1,
        compression,
      });
      await encoder.write([[1]]);
      await encoder.close();
    }),
  );
  await Promise.all(files);
}

/** Every codec scenario in turn, on encoder threads shared by all of them. */
export async function measureCodecs(
  url: string,
  rows: number,
  dataBytes: number,
  each: (name: string, measure: () => Promise<Measurement>) => Promise<Measurement>,
): Promise<Measurement[]> {
  const threads = new EncoderThreads(DEFAULT_PARQUET_WASM_TUNING.threads);
  try {
    await warmUp(threads, DEFAULT_PARQUET_WASM_TUNING.threads);
    const measurements: Measurement[] = [];
    for (const scenario of CODEC_SCENARIOS) {
      measurements.push(
        await each(codecScenarioName(scenario), () => measureCodec(url, rows, dataBytes, scenario, threads)),
      );
    }
    return measurements;
  } finally {
    await threads.terminate();
  }
}
