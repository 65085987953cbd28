/** One line of the results: how long moving `rows` rows (`dataBytes` of data) took. */
export interface Measurement {
  name: string;
  seconds: number;
  rows: number;
  /** The table's size as COPY binary bytes, so MB/s compares like with like; bytes put for PutObject. */
  dataBytes: number;
  /** Parquet bytes written, where something was. */
  outputBytes: number | null;
  /** Peak resident set per process, MiB. */
  peakRssMiB: Record<string, number>;
  /** CPU seconds per process during the measurement (`machine`: every core's busy time), where measured. */
  cpuSeconds?: Record<string, number>;
  note?: string;
  /** What the line is to the others: the read floor, the pipeline a user could script, snapex end to end. */
  role?: 'floor' | 'reader' | 'peer' | 'snapex';
}

export interface RatedMeasurement extends Measurement {
  rowsPerSecond: number;
  megabytesPerSecond: number;
  /** Rows/s over the engine's read floor's (MB/s for PutObject, which moves no rows). */
  ratioToFloor: number;
  /** snapex end to end: rows/s over the DuckDB pipeline's in the same run. */
  ratioToPeer: number | null;
  /** CPU seconds per million rows of the line's own processes (for snapex its services, moto apart). */
  cpuSecondsPerMillionRows: number | null;
  /** The same of snapex's extractor processes alone. */
  extractorCpuSecondsPerMillionRows: number | null;
}

/** Process names in cpuSeconds that are not the measured pipeline's own. */
const NOT_OWN_PROCESSES = ['machine', 'moto'];

function cpuPerMillionRows(measurement: Measurement, counted: (process: string) => boolean): number | null {
  const own = Object.entries(measurement.cpuSeconds ?? {}).filter(([name]) => counted(name));
  if (own.length === 0 || measurement.rows === 0) return null;
  return (own.reduce((sum, [, seconds]) => sum + seconds, 0) / measurement.rows) * 1e6;
}

export const MB = 1_000_000;

export function rated(
  measurement: Measurement,
  floor: Measurement,
  peer: Measurement | undefined,
): RatedMeasurement {
  const rowsPerSecond = measurement.rows / measurement.seconds;
  const megabytesPerSecond = measurement.dataBytes / MB / measurement.seconds;
  const ratioToFloor =
    measurement.rows > 0
      ? rowsPerSecond / (floor.rows / floor.seconds)
      : megabytesPerSecond / (floor.dataBytes / MB / floor.seconds);
  const ratioToPeer =
    peer && measurement.role === 'snapex' && measurement.rows === peer.rows
      ? rowsPerSecond / (peer.rows / peer.seconds)
      : null;
  return {
    ...measurement,
    rowsPerSecond,
    megabytesPerSecond,
    ratioToFloor,
    ratioToPeer,
    cpuSecondsPerMillionRows: cpuPerMillionRows(measurement, (name) => !NOT_OWN_PROCESSES.includes(name)),
    extractorCpuSecondsPerMillionRows: cpuPerMillionRows(measurement, (name) =>
      name.startsWith('table-extractor'),
    ),
  };
}

export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** This process's CPU seconds since `before`, its worker threads included. */
export function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}
