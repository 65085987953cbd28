import { writeFileSync } from 'node:fs';
import { MB, RatedMeasurement } from './measurement';

export interface BenchReport {
  machine: { cpus: number; node: string; postgres: string; platform: string };
  rows: number;
  /** The table as COPY binary bytes, the denominator of every MB/s figure but PutObject's. */
  copyBinaryBytes: number;
  defaultEncoder: string;
  measurements: RatedMeasurement[];
}

function padded(cells: string[], widths: number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[index])))
    .join('  ');
}

function rowOf(measurement: RatedMeasurement): string[] {
  return [
    measurement.name,
    measurement.seconds.toFixed(1),
    measurement.rows > 0 ? Math.round(measurement.rowsPerSecond).toLocaleString('en-US') : '-',
    measurement.megabytesPerSecond.toFixed(1),
    `${measurement.ratioToFloor.toFixed(2)}x`,
    measurement.outputBytes === null ? '-' : (measurement.outputBytes / MB).toFixed(1),
  ];
}

function rssLine(measurement: RatedMeasurement): string {
  const entries = Object.entries(measurement.peakRssMiB);
  return entries.length === 0
    ? ''
    : `${measurement.name}: ${entries.map(([name, mib]) => `${name} ${mib}`).join(', ')}`;
}

function cpuLine(measurement: RatedMeasurement): string {
  const entries = Object.entries(measurement.cpuSeconds ?? {}).filter(([, seconds]) => seconds > 0);
  return entries.length === 0
    ? ''
    : `${measurement.name}: ${entries.map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`).join(', ')}`;
}

export function printReport(report: BenchReport): void {
  const header = ['measurement', 'seconds', 'rows/s', 'MB/s', 'vs floor', 'Parquet MB'];
  const rows = report.measurements.map(rowOf);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index].length)),
  );
  const { machine } = report;
  console.log(
    `\n${report.rows.toLocaleString('en-US')} rows, ${(report.copyBinaryBytes / MB).toFixed(1)} MB as COPY binary; ` +
      `${machine.cpus} cores, Node ${machine.node}, PostgreSQL ${machine.postgres}; default encoder ${report.defaultEncoder}\n`,
  );
  console.log(padded(header, widths));
  for (const row of rows) console.log(padded(row, widths));
  const notes = report.measurements.filter((measurement) => measurement.note);
  if (notes.length > 0) console.log('');
  for (const measurement of notes) console.log(`${measurement.name}: ${measurement.note}`);
  console.log('\nPeak RSS (MiB):');
  for (const line of report.measurements.map(rssLine).filter(Boolean)) console.log(`  ${line}`);
  console.log('\nCPU seconds during the export (machine: busy core-seconds of every process):');
  for (const line of report.measurements.map(cpuLine).filter(Boolean)) console.log(`  ${line}`);
}

export function writeReport(report: BenchReport, path: string): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
