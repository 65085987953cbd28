/**
 * Child process of the benchmark: DuckDB reads a client's text output (PostgreSQL's CSV, MariaDB's
 * tab-separated batch output) from a named pipe and writes gzip Parquet, what a user could script
 * without snapex. Prints its own peak RSS and CPU seconds as JSON.
 *
 *   node dist/scripts/bench/text-to-duckdb.js <fifo> <parquet file> <reader options as JSON>
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { TextReaderOptions } from './duckdb-peer';

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function struct(entries: Record<string, string>): string {
  return `{${Object.entries(entries)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(', ')}}`;
}

function readerArguments({ columns, ...format }: TextReaderOptions): string {
  const settings = Object.entries(format).map(([name, value]) => `${name} = ${sqlString(value)}`);
  return ['header = false', 'auto_detect = false', `columns = ${struct(columns)}`, ...settings].join(', ');
}

async function main(): Promise<void> {
  const [text, parquet, options] = process.argv.slice(2);
  const reader = readerArguments(JSON.parse(options) as TextReaderOptions);
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(
    `COPY (SELECT * FROM read_csv(${sqlString(text)}, ${reader}))
       TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 50000)`,
  );
  connection.closeSync();
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    }),
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
