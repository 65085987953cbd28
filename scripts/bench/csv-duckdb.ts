import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_TABLE } from './dataset';
import { Measurement, secondsSince } from './measurement';
import { PeakRssSampler } from './process-memory';
import { exited, runNodeScript } from './processes';

/** psql writing `COPY … TO STDOUT (FORMAT csv)` into the pipe; the shell, not Node, blocks opening it. */
function csvIntoPipe(url: string, fifo: string) {
  const sql = `COPY (SELECT * FROM ${BENCH_TABLE}) TO STDOUT (FORMAT csv)`;
  return spawn(
    'sh',
    ['-c', 'exec psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "$2" > "$3"', 'sh', url, sql, fifo],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

/** The best alternative a user could script: psql's CSV piped into DuckDB writing gzip Parquet. */
export async function measureCsvIntoDuckDb(
  url: string,
  rows: number,
  dataBytes: number,
): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'snapex-bench-csv-'));
  const fifo = join(dir, 'orders.csv');
  const parquet = join(dir, 'orders.gz.parquet');
  spawnSync('mkfifo', [fifo]);
  try {
    const start = process.hrtime.bigint();
    const writer = csvIntoPipe(url, fifo);
    const sampler = new PeakRssSampler(writer.pid);
    const written = exited(writer, 'psql COPY csv');
    let duckdb: { peakRssMiB: number };
    try {
      duckdb = await runNodeScript(join(__dirname, 'csv-to-duckdb.js'), [fifo, parquet]);
    } catch (error) {
      // Without a reader psql would wait for one forever.
      writer.kill();
      throw error;
    }
    await written;
    const seconds = secondsSince(start);
    return {
      name: 'COPY csv | DuckDB read_csv -> gzip Parquet',
      seconds,
      rows,
      dataBytes,
      outputBytes: statSync(parquet).size,
      peakRssMiB: { psql: sampler.stop(), 'duckdb (node)': duckdb.peakRssMiB },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
