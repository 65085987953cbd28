import { join } from 'node:path';
import type { PartEncoderName } from '@snapex/parquet';
import { Measurement } from './measurement';
import { runNodeScript } from './processes';
import type { ScenarioResult } from './snapex-scenario';

export interface SnapexScenario {
  encoder: PartEncoderName;
  extractors: number;
  /** The database exported; the benchmark table's by default. */
  database?: string;
  name?: string;
}

/** The encoder runs that make up the comparison: the default and parquetjs, with 1 and 2 replicas. */
export function snapexScenarios(defaultEncoder: PartEncoderName): SnapexScenario[] {
  const encoders: PartEncoderName[] =
    defaultEncoder === 'parquetjs' ? ['parquetjs'] : [defaultEncoder, 'parquetjs'];
  return encoders.flatMap((encoder) => [1, 2].map((extractors) => ({ encoder, extractors })));
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
    note:
      result.firstFileSeconds === null
        ? undefined
        : `first Parquet file ${result.firstFileSeconds.toFixed(2)} s after StartExportTask`,
  };
}
