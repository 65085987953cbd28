import { join } from 'node:path';
import type { Engine } from '@snapex/contracts';
import type { PartEncoderName } from '@snapex/parquet';
import { BenchEngine } from './bench-engines';
import { BENCH_DATABASE } from './dataset';
import { Measurement } from './measurement';
import { runNodeScript } from './processes';
import type { ScenarioResult } from './snapex-scenario';

export interface SnapexScenario {
  engine: Engine;
  /** The source URL the stack registers, narrowed to `database`. */
  sourceUrl: string;
  encoder: PartEncoderName;
  extractors: number;
  /** The database exported; the benchmark table's by default. */
  database?: string;
  name?: string;
}

/**
 * The encoder runs that make up the comparison on one engine: the default and parquetjs unless
 * `encoders` names others, with 1 and 2 replicas.
 */
export function snapexScenarios(
  bench: BenchEngine,
  defaultEncoder: PartEncoderName,
  encoders: readonly PartEncoderName[] | null,
): SnapexScenario[] {
  const chosen = encoders ?? [...new Set<PartEncoderName>([defaultEncoder, 'parquetjs'])];
  const source = { engine: bench.engine, sourceUrl: bench.sourceUrl(BENCH_DATABASE) };
  return chosen.flatMap((encoder) => [1, 2].map((extractors) => ({ ...source, encoder, extractors })));
}

/** snapex end to end through the API, each run in its own process with a fresh stack. */
export async function measureSnapexExport(
  scenario: SnapexScenario,
  rows: number,
  dataBytes: number,
  natsUrl: string,
): Promise<Measurement> {
  const result = await runNodeScript<ScenarioResult>(
    join(__dirname, 'snapex-scenario.js'),
    [
      scenario.engine,
      scenario.sourceUrl,
      scenario.encoder,
      String(scenario.extractors),
      String(rows),
      ...(scenario.database ? [scenario.database] : []),
    ],
    { ...process.env, SNAPEX_TEST_NATS_URL: natsUrl },
  );
  return {
    name:
      scenario.name ??
      `snapex API -> COMPLETE, ${scenario.encoder}, ${scenario.extractors} extractor${scenario.extractors > 1 ? 's' : ''}`,
    seconds: result.seconds,
    rows,
    dataBytes,
    outputBytes: result.outputBytes,
    peakRssMiB: result.peakRssMiB,
    cpuSeconds: result.cpuSeconds,
    role: 'snapex',
    note:
      result.firstFileSeconds === null
        ? undefined
        : `first Parquet file ${result.firstFileSeconds.toFixed(2)} s after StartExportTask`,
  };
}
