/**
 * Child process of the benchmark: DuckDB reads PostgreSQL's CSV from a named pipe and writes gzip
 * Parquet, what a user could script without snapex. Prints its own peak RSS as JSON.
 *
 *   node dist/scripts/bench/csv-to-duckdb.js <csv fifo> <parquet file>
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { CSV_COLUMNS } from './dataset';

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function columnsStruct(): string {
  return `{${Object.entries(CSV_COLUMNS)
    .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
    .join(', ')}}`;
}

async function main(): Promise<void> {
  const [csv, parquet] = process.argv.slice(2);
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(
    `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = false, auto_detect = false, columns = ${columnsStruct()}))
       TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 50000)`,
  );
  connection.closeSync();
  console.log(JSON.stringify({ peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
