import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Measurement, secondsSince } from './measurement';
import { machineBusySeconds } from './process-memory';
import { exited, runNodeScript, spawnTimed } from './processes';

/** How DuckDB's read_csv is told the client's text: the columns with their types, and its format. */
export interface TextReaderOptions {
  columns: Record<string, string>;
  delim?: string;
  quote?: string;
  escape?: string;
  nullstr?: string;
}

/** The best alternative a user could script: a database client's text output piped into DuckDB. */
export interface DuckDbPeer {
  name: string;
  /** The client, as the process name in the results. */
  client: string;
  program: string;
  args: string[];
  reader: TextReaderOptions;
}

interface DuckDbResult {
  peakRssMiB: number;
  cpuSeconds: number;
}

/** The client writes its text into a named pipe that DuckDB reads, writing gzip Parquet. */
export async function measureDuckDbPeer(
  peer: DuckDbPeer,
  rows: number,
  dataBytes: number,
): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'snapex-bench-peer-'));
  const fifo = join(dir, 'orders.txt');
  const parquet = join(dir, 'orders.gz.parquet');
  spawnSync('mkfifo', [fifo]);
  try {
    const machineBefore = machineBusySeconds();
    const start = process.hrtime.bigint();
    const writer = spawnTimed(peer.program, peer.args, fifo);
    const written = exited(writer.child, peer.client);
    let duckdb: DuckDbResult;
    try {
      duckdb = await runNodeScript<DuckDbResult>(join(__dirname, 'text-to-duckdb.js'), [
        fifo,
        parquet,
        JSON.stringify(peer.reader),
      ]);
    } catch (error) {
      // Without a reader the client would wait for one forever.
      writer.child.kill();
      throw error;
    }
    await written;
    const seconds = secondsSince(start);
    const client = writer.usage();
    return {
      name: peer.name,
      seconds,
      rows,
      dataBytes,
      outputBytes: statSync(parquet).size,
      peakRssMiB: { [peer.client]: client.peakRssMiB, 'duckdb (node)': duckdb.peakRssMiB },
      cpuSeconds: {
        machine: machineBusySeconds() - machineBefore,
        [peer.client]: client.cpuSeconds,
        'duckdb (node)': duckdb.cpuSeconds,
      },
      role: 'peer',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
