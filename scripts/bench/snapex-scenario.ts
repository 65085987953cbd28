/**
 * Child process of the benchmark: one export of the benchmark database through snapex's HTTP API,
 * from StartExportTask to COMPLETE, with its own stack (moto, the seven services) so that every
 * service's peak RSS belongs to this run alone. Prints the result as JSON; the services' logs are
 * left in .snapex/bench/<encoder>-<replicas>/.
 *
 *   node dist/scripts/bench/snapex-scenario.js <engine> <source url> <encoder> <extractor replicas> <rows> [database]
 *
 * It also times StartExportTask to the first Parquet file in the bucket: the wait before any data.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '@snapex/contracts';
import type { PartEncoderName } from '@snapex/parquet';
import { BENCH_DATABASE } from './dataset';
import { secondsSince } from './measurement';
import { cpuSeconds, machineBusySeconds, peakRssMiB } from './process-memory';
import { adminClients } from '../local-stack/export-target';
import { listObjects } from '../local-stack/readback';
import { REPO_ROOT, Stack } from '../local-stack/stack';

export interface ScenarioResult {
  seconds: number;
  /** StartExportTask to the first complete Parquet object in the bucket. */
  firstFileSeconds: number | null;
  outputBytes: number;
  peakRssMiB: Record<string, number>;
  /**
   * CPU seconds each service (with the dump and load tools it ran) and moto used during the export,
   * and the whole machine's busy core-seconds.
   */
  cpuSeconds: Record<string, number>;
}

const SOURCE = 'bench-cluster';

/** Slow enough for parquetjs on a 2-core machine (about 30k rows/s) with room to spare. */
function timeoutMsFor(rows: number): number {
  return Math.max(600_000, (rows / 10_000) * 1000);
}

function servicePeaks(stack: Stack): Record<string, number> {
  const peaks: Record<string, number> = {};
  for (const service of stack.services) peaks[service.name] = peakRssMiB(service.process.pid) ?? 0;
  return peaks;
}

async function parquetBytes(stack: Stack, identifier: string): Promise<number> {
  const objects = await listObjects(adminClients(stack.moto).s3, stack.target.bucket, `bench/${identifier}/`);
  return objects
    .filter((object) => object.key.endsWith('.parquet'))
    .reduce((sum, object) => sum + object.size, 0);
}

/** Polls the bucket until a Parquet file of the export is there; resolves with its time, or null once `done`. */
async function firstFileAfter(
  stack: Stack,
  identifier: string,
  start: bigint,
  done: () => boolean,
): Promise<number | null> {
  const { s3 } = adminClients(stack.moto);
  while (!done()) {
    const objects = await listObjects(s3, stack.target.bucket, `bench/${identifier}/`);
    if (objects.some((object) => object.key.endsWith('.parquet'))) return secondsSince(start);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** CPU seconds so far of every service, moto, and the machine as a whole. */
function cpuNow(stack: Stack): Record<string, number> {
  const used: Record<string, number> = {
    machine: machineBusySeconds(),
    moto: cpuSeconds(stack.moto.pid) ?? 0,
  };
  for (const service of stack.services) used[service.name] = cpuSeconds(service.process.pid) ?? 0;
  return used;
}

function cpuSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [
      name,
      Math.round((seconds - (before[name] ?? 0)) * 10) / 10,
    ]),
  );
}

async function exportOnce(stack: Stack, source: string, rows: number): Promise<ScenarioResult> {
  const identifier = `bench-${Date.now()}`;
  const cpuBefore = cpuNow(stack);
  const start = process.hrtime.bigint();
  let finished = false;
  await stack.startExport(identifier, stack.clusterArn(source), { S3Prefix: 'bench' });
  const firstFile = firstFileAfter(stack, identifier, start, () => finished);
  const task = await stack
    .waitForStatus(identifier, ['COMPLETE', 'FAILED', 'CANCELED'], timeoutMsFor(rows))
    .finally(() => (finished = true));
  const seconds = secondsSince(start);
  const cpu = cpuSince(cpuBefore, cpuNow(stack));
  if (task.Status !== 'COMPLETE') throw new Error(`the export ended ${task.Status}: ${task.FailureCause}`);
  return {
    seconds,
    firstFileSeconds: await firstFile,
    outputBytes: await parquetBytes(stack, identifier),
    peakRssMiB: servicePeaks(stack),
    cpuSeconds: cpu,
  };
}

async function main(): Promise<void> {
  const [engine, url, encoder, replicas, rows, database = BENCH_DATABASE] = process.argv.slice(2);
  const workDir = join(REPO_ROOT, '.snapex', 'bench', `${engine}-${encoder}-${replicas}-${database}`);
  // Stack waits for "started" in each service's log, which a log left by the last run already holds.
  rmSync(workDir, { recursive: true, force: true });
  const stack = await Stack.start({
    // The registry's database is named after the stack, so it follows the benchmark's database.
    name: database.replace(/_/g, '-'),
    sources: [{ name: SOURCE, engine: engine as Engine, url, databases: [database] }],
    extractors: Number(replicas),
    // The last run's configuration and service logs stay there to look at.
    workDir,
    config: { extractor: { encoder: encoder as PartEncoderName }, logging: { level: 'info' } },
  });
  try {
    console.log(JSON.stringify(await exportOnce(stack, SOURCE, Number(rows))));
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
