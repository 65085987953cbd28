/**
 * `npm run bench [-- --rows 200000] [--fresh] [--reads-only] [--out bench-results.json]` (or
 * SNAPEX_BENCH_ROWS; SNAPEX_BENCH_DATABASE names the database, snapex_bench by default): builds the
 * benchmark table (5M rows of mixed types by default) in its own database on the local PostgreSQL,
 * then measures in one run, side by side:
 *   - the COPY binary read floor (psql),
 *   - snapex's PostgreSQL reader alone (engine.readPartition, rows decoded and counted),
 *   - COPY csv piped into DuckDB writing gzip Parquet, the best alternative a user could script,
 *   - snapex end to end through the HTTP API to COMPLETE, default encoder and parquetjs, 1 and 2 extractors,
 *   - a small live-cluster export (the demo's sample database): StartExportTask to the first Parquet file,
 *   - raw PutObject throughput of the S3 endpoint (moto).
 *   - codecs and type modes: the table read and encoded once per codec and level (codecs.ts).
 * `--reads-only` stops after the two read measurements.
 * Prints rows/s, MB/s, the ratio to the floor and each process's peak RSS, and writes them as JSON.
 * The snapex runs use a JetStream server of their own, so end-to-end tests may run meanwhile (but
 * they take CPU from the measurements).
 */
import { cpus } from 'node:os';
import { SnapexConfigSchema } from '@snapex/config';
import type { PartEncoderName } from '@snapex/parquet';
import { measureCodecs } from './codecs';
import { measureCopyFloor } from './copy-floor';
import { measureCsvIntoDuckDb } from './csv-duckdb';
import {
  ensureDataset,
  ensureSmallDataset,
  serverVersion,
  SMALL_DATABASE,
  SMALL_ORDER_ROWS,
} from './dataset';
import { Measurement, rated } from './measurement';
import { benchOptions } from './options';
import { startPrivateNats } from './private-nats';
import { measurePutObject } from './put-object';
import { BenchReport, printReport, writeReport } from './report';
import { measureSnapexExport, snapexScenarios } from './snapex-export';
import { measureSnapexReader } from './snapex-reader';

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

/** Everything past the read paths: the DuckDB pipeline, snapex end to end, S3 PutObject. */
async function measureWrites(
  url: string,
  rows: number,
  floor: Measurement,
  encoder: PartEncoderName,
): Promise<Measurement[]> {
  step('COPY csv into DuckDB');
  const measurements = [measured(await measureCsvIntoDuckDb(url, rows, floor.dataBytes))];

  const nats = await startPrivateNats();
  try {
    for (const scenario of snapexScenarios(encoder)) {
      step(`snapex: ${scenario.encoder}, ${scenario.extractors} extractor(s)`);
      measurements.push(measured(await measureSnapexExport(scenario, rows, floor.dataBytes, nats.url)));
    }
    step('snapex: a small live-cluster export, StartExportTask to the first Parquet file');
    await ensureSmallDataset();
    const small = {
      encoder,
      extractors: 1,
      database: SMALL_DATABASE,
      name: 'snapex small export (sample database)',
    };
    measurements.push(measured(await measureSnapexExport(small, SMALL_ORDER_ROWS, 0, nats.url)));
  } finally {
    await nats.stop();
  }

  step('S3 PutObject');
  measurements.push(measured(await measurePutObject()));
  return measurements;
}

async function main(): Promise<void> {
  const options = benchOptions(process.argv.slice(2), process.env);
  step(`dataset: ${options.rows.toLocaleString('en-US')} rows`);
  const url = await ensureDataset(options.rows, options.fresh);

  step('COPY binary read floor');
  const floor = measured(await measureCopyFloor(url, options.rows));
  const measurements: Measurement[] = [floor];

  step('snapex PostgreSQL reader');
  measurements.push(measured(await measureSnapexReader(url, options.rows, floor.dataBytes)));

  const encoder = defaultEncoder();
  if (!options.readsOnly) measurements.push(...(await measureWrites(url, options.rows, floor, encoder)));
  if (!options.readsOnly)
    measurements.push(
      ...(await measureCodecs(url, options.rows, floor.dataBytes, async (name, measure) => {
        step(`codecs: ${name}`);
        return measured(await measure());
      })),
    );

  const report: BenchReport = {
    machine: {
      cpus: cpus().length,
      node: process.versions.node,
      postgres: await serverVersion(url),
      platform: process.platform,
    },
    rows: options.rows,
    copyBinaryBytes: floor.dataBytes,
    defaultEncoder: encoder,
    measurements: measurements.map((measurement) => rated(measurement, floor)),
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
