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
}

export interface RatedMeasurement extends Measurement {
  rowsPerSecond: number;
  megabytesPerSecond: number;
  /** Rows/s over the COPY binary floor's (MB/s for PutObject, which moves no rows). */
  ratioToFloor: number;
}

export const MB = 1_000_000;

export function rated(measurement: Measurement, floor: Measurement): RatedMeasurement {
  const rowsPerSecond = measurement.rows / measurement.seconds;
  const megabytesPerSecond = measurement.dataBytes / MB / measurement.seconds;
  const ratioToFloor =
    measurement.rows > 0
      ? rowsPerSecond / (floor.rows / floor.seconds)
      : megabytesPerSecond / (floor.dataBytes / MB / floor.seconds);
  return { ...measurement, rowsPerSecond, megabytesPerSecond, ratioToFloor };
}

export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
