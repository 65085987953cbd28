/**
 * `npm run bench [-- --rows 200000] [--engines postgres,mysql] [--encoders parquet-wasm] [--fresh]
 * [--reads-only] [--out bench-results.json]` (or SNAPEX_BENCH_ROWS, SNAPEX_BENCH_ENGINES;
 * SNAPEX_BENCH_DATABASE names the database, snapex_bench by default): builds the benchmark table (5M
 * rows of mixed types by default) in its own database on the local PostgreSQL and MariaDB, then
 * measures in one run, side by side, for each engine:
 *   - the read floor: the engine's client printing the table (psql's COPY binary, `mariadb --quick`),
 *   - snapex's reader alone (engine.readPartition, rows decoded and counted),
 *   - the client's text piped into DuckDB writing gzip Parquet, the best alternative a user could script,
 *   - snapex end to end through the HTTP API to COMPLETE, default encoder and parquetjs (or those
 *     --encoders names), 1 and 2 extractors,
 * and with PostgreSQL a small live-cluster export (the demo's sample database): StartExportTask to the
 * first Parquet file, the raw PutObject throughput of the S3 endpoint (moto), and codecs and type
 * modes side by side: the table read and encoded once per codec and level (codecs.ts).
 * `--reads-only` stops after the two read measurements.
 * Prints rows/s, MB/s, the ratios to the floor and to DuckDB, CPU seconds per million rows and each
 * process's peak RSS, and writes them as JSON. The snapex runs use a JetStream server of their own,
 * so end-to-end tests may run meanwhile (but they take CPU from the measurements: compare CPU
 * seconds, not wall time, on a busy machine).
 */
import { cpus } from 'node:os';
import { SnapexConfigSchema } from '@snapex/config';
import type { PartEncoderName } from '@snapex/parquet';
import { BENCH_ENGINES, BenchEngine } from './bench-engines';
import { measureCodecs } from './codecs';
import { ensureSmallDataset, SMALL_DATABASE, SMALL_ORDER_ROWS } from './dataset';
import { measureDuckDbPeer } from './duckdb-peer';
import { measureClientFloor } from './floors';
import { Measurement, rated } from './measurement';
import { BenchOptions, benchOptions } from './options';
import { PrivateNats, startPrivateNats } from './private-nats';
import { measurePutObject } from './put-object';
import { BenchReport, EngineReport, printReport, writeReport } from './report';
import { measureSnapexExport, snapexScenarios } from './snapex-export';
import { measureSnapexReader } from './snapex-reader';
import { pgUrl } from '../local-stack/databases';

function step(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}

function measured(measurement: Measurement): Measurement {
  const rowsPerSecond = Math.round(measurement.rows / measurement.seconds).toLocaleString('en-US');
  process.stdout.write(
    `   ${measurement.seconds.toFixed(1)} s${measurement.rows > 0 ? `, ${rowsPerSecond} rows/s` : ''}\n`,
  );
  return measurement;
}

/** The encoder a configuration that does not name one gets. */
function defaultEncoder(): PartEncoderName {
  return SnapexConfigSchema.innerType().shape.extractor.parse(undefined).encoder;
}

/** The DuckDB pipeline, then snapex end to end, on one engine. */
async function measureWrites(
  bench: BenchEngine,
  url: string,
  options: BenchOptions,
  floor: Measurement,
  nats: PrivateNats,
): Promise<Measurement[]> {
  step(`${bench.server}: the client's text into DuckDB`);
  const measurements = [measured(await measureDuckDbPeer(bench.peer(url), options.rows, floor.dataBytes))];
  for (const scenario of snapexScenarios(bench, defaultEncoder(), options.encoders)) {
    step(`${bench.server}: snapex, ${scenario.encoder}, ${scenario.extractors} extractor(s)`);
    measurements.push(measured(await measureSnapexExport(scenario, options.rows, floor.dataBytes, nats.url)));
  }
  return measurements;
}

/** Lines that are not about one engine's table: time to the first file of a small export, S3's speed. */
async function measureOthers(nats: PrivateNats): Promise<Measurement[]> {
  step('snapex: a small live-cluster export, StartExportTask to the first Parquet file');
  await ensureSmallDataset();
  const small = {
    engine: 'postgres' as const,
    sourceUrl: pgUrl(SMALL_DATABASE),
    encoder: defaultEncoder(),
    extractors: 1,
    database: SMALL_DATABASE,
    name: 'snapex small export (sample database)',
  };
  const measurements = [measured(await measureSnapexExport(small, SMALL_ORDER_ROWS, 0, nats.url))];
  step('S3 PutObject');
  measurements.push(measured(await measurePutObject()));
  return measurements;
}

async function codecStep(name: string, measure: () => Promise<Measurement>): Promise<Measurement> {
  step(`codecs: ${name}`);
  return measured(await measure());
}

async function measureEngine(
  bench: BenchEngine,
  options: BenchOptions,
  nats: PrivateNats,
): Promise<EngineReport> {
  step(`${bench.server}: dataset of ${options.rows.toLocaleString('en-US')} rows`);
  const url = await bench.ensureDataset(options.rows, options.fresh);

  step(`${bench.server}: read floor`);
  const floor = measured(await measureClientFloor(bench.floor(url), options.rows));
  const measurements: Measurement[] = [floor];
  step(`${bench.server}: snapex reader`);
  measurements.push(measured(await measureSnapexReader(bench, url, options.rows, floor.dataBytes)));
  if (!options.readsOnly) {
    measurements.push(...(await measureWrites(bench, url, options, floor, nats)));
    if (bench.engine === 'postgres') {
      measurements.push(...(await measureOthers(nats)));
      measurements.push(...(await measureCodecs(url, options.rows, floor.dataBytes, codecStep)));
    }
  }
  const peer = measurements.find((measurement) => measurement.role === 'peer');
  return {
    engine: bench.engine,
    server: bench.server,
    serverVersion: await bench.serverVersion(url),
    floorBytes: floor.dataBytes,
    measurements: measurements.map((measurement) => rated(measurement, floor, peer)),
  };
}

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2), process.env);
  const nats = await startPrivateNats();
  const engines: EngineReport[] = [];
  try {
    for (const engine of options.engines)
      engines.push(await measureEngine(BENCH_ENGINES[engine], options, nats));
  } finally {
    await nats.stop();
  }
  const report: BenchReport = {
    machine: { cpus: cpus().length, node: process.versions.node, platform: process.platform },
    rows: options.rows,
    defaultEncoder: defaultEncoder(),
    engines,
  };
  printReport(report);
  writeReport(report, options.out);
  console.log(`\nwritten to ${options.out}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
