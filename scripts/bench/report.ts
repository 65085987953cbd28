import { writeFileSync } from 'node:fs';
import { MB, RatedMeasurement } from './measurement';

/** One engine's lines, each rated against that engine's floor and DuckDB pipeline. */
export interface EngineReport {
  engine: string;
  server: string;
  serverVersion: string;
  /** The table as its floor's client prints it (COPY binary, `mariadb --batch`): the MB/s denominator. */
  floorBytes: number;
  measurements: RatedMeasurement[];
}

export interface BenchReport {
  machine: { cpus: number; node: string; platform: string };
  rows: number;
  defaultEncoder: string;
  engines: EngineReport[];
}

function padded(cells: string[], widths: number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[index])))
    .join('  ');
}

function perMillion(seconds: number | null): string {
  return seconds === null ? '-' : seconds.toFixed(2);
}

function rowOf(measurement: RatedMeasurement): string[] {
  return [
    measurement.name,
    measurement.seconds.toFixed(1),
    measurement.rows > 0 ? Math.round(measurement.rowsPerSecond).toLocaleString('en-US') : '-',
    measurement.megabytesPerSecond.toFixed(1),
    `${measurement.ratioToFloor.toFixed(2)}x`,
    measurement.ratioToPeer === null ? '-' : `${measurement.ratioToPeer.toFixed(2)}x`,
    measurement.outputBytes === null ? '-' : (measurement.outputBytes / MB).toFixed(1),
    perMillion(measurement.cpuSecondsPerMillionRows),
    perMillion(measurement.extractorCpuSecondsPerMillionRows),
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

const HEADER = [
  'measurement',
  'seconds',
  'rows/s',
  'MB/s',
  'vs floor',
  'vs DuckDB',
  'Parquet MB',
  'CPU s/M rows',
];

function printEngine(section: EngineReport): void {
  const rows = section.measurements.map(rowOf);
  const widths = HEADER.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index].length)),
  );
  console.log(
    `\n${section.server} ${section.serverVersion}: the table is ${(section.floorBytes / MB).toFixed(1)} MB as its floor's client prints it\n`,
  );
  console.log(padded(HEADER, widths));
  for (const row of rows) console.log(padded(row, widths));
  const notes = section.measurements.filter((measurement) => measurement.note);
  if (notes.length > 0) console.log('');
  for (const measurement of notes) console.log(`${measurement.name}: ${measurement.note}`);
  console.log('\nPeak RSS (MiB):');
  for (const line of section.measurements.map(rssLine).filter(Boolean)) console.log(`  ${line}`);
  console.log(
    "\nCPU seconds (CPU s/M rows counts the line's own processes: the client and DuckDB, or snapex's services without moto; machine: busy core-seconds of every process):",
  );
  for (const line of section.measurements.map(cpuLine).filter(Boolean)) console.log(`  ${line}`);
}

export function printReport(report: BenchReport): void {
  const { machine } = report;
  console.log(
    `\n${report.rows.toLocaleString('en-US')} rows; ${machine.cpus} cores, Node ${machine.node}; default encoder ${report.defaultEncoder}`,
  );
  for (const section of report.engines) printEngine(section);
}

export function writeReport(report: BenchReport, path: string): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
