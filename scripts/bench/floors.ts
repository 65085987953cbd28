import { Measurement, secondsSince } from './measurement';
import { machineBusySeconds } from './process-memory';
import { exited, spawnTimed } from './processes';

/** A database client printing the whole table: the engine's read floor. */
export interface ClientFloor {
  name: string;
  /** The client, as the process name in the results. */
  client: string;
  program: string;
  args: string[];
}

/** The bytes the client prints, counted through a pipe; this run also warms the server's cache. */
async function printedBytes(floor: ClientFloor): Promise<number> {
  const { child } = spawnTimed(floor.program, floor.args, 'pipe');
  let bytes = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await exited(child, floor.client);
  return bytes;
}

/** What the server can hand one client, measured on a warmed cache with the output sent to /dev/null. */
export async function measureClientFloor(floor: ClientFloor, rows: number): Promise<Measurement> {
  const bytes = await printedBytes(floor);
  const machineBefore = machineBusySeconds();
  const start = process.hrtime.bigint();
  const timed = spawnTimed(floor.program, floor.args, '/dev/null');
  await exited(timed.child, floor.client);
  const seconds = secondsSince(start);
  const usage = timed.usage();
  return {
    name: floor.name,
    seconds,
    rows,
    dataBytes: bytes,
    outputBytes: null,
    peakRssMiB: { [floor.client]: usage.peakRssMiB },
    cpuSeconds: { machine: machineBusySeconds() - machineBefore, [floor.client]: usage.cpuSeconds },
    role: 'floor',
  };
}
