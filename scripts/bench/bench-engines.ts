import type { Engine } from '@snapex/contracts';
import { pgUrl } from '../local-stack/databases';
import { myUrl } from '../local-stack/mariadb';
import { BENCH_DATABASE, BENCH_TABLE, CSV_COLUMNS, ensureDataset, serverVersion } from './dataset';
import { DuckDbPeer } from './duckdb-peer';
import { ClientFloor } from './floors';
import {
  ensureMySqlDataset,
  mariadbClientArgs,
  MY_BENCH_TABLE,
  MY_TSV_COLUMNS,
  mySqlServerVersion,
} from './my-dataset';

/** What the benchmark needs of each engine: its table, its read floor and the pipeline a user would script. */
export interface BenchEngine {
  engine: Engine;
  /** The server, as the results name it. */
  server: string;
  /** The table's name as the engine lists it. */
  table: string;
  /** The source URL snapex is given for `database` (its databases are narrowed to that one). */
  sourceUrl(database: string): string;
  /** Creates the table unless one of `rows` rows is there; returns the database's URL. */
  ensureDataset(rows: number, fresh: boolean): Promise<string>;
  serverVersion(url: string): Promise<string>;
  floor(url: string): ClientFloor;
  peer(url: string): DuckDbPeer;
}

const POSTGRES: BenchEngine = {
  engine: 'postgres',
  server: 'PostgreSQL',
  table: BENCH_TABLE.split('.')[1],
  sourceUrl: pgUrl,
  ensureDataset,
  serverVersion,
  floor: (url) => ({
    name: 'COPY binary read floor (psql)',
    client: 'psql',
    program: 'psql',
    args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', copyOf('binary')],
  }),
  peer: (url) => ({
    name: 'COPY csv | DuckDB read_csv -> gzip Parquet',
    client: 'psql',
    program: 'psql',
    args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', copyOf('csv')],
    reader: { columns: CSV_COLUMNS },
  }),
};

function copyOf(format: 'binary' | 'csv'): string {
  return `COPY (SELECT * FROM ${BENCH_TABLE}) TO STDOUT (FORMAT ${format})`;
}

/** `mariadb --quick` streams rows as the server sends them instead of holding the result first. */
function mariadbPrinting(): string[] {
  return [
    ...mariadbClientArgs(),
    '--quick',
    '--batch',
    '--skip-column-names',
    '--default-character-set=utf8mb4',
    '-e',
    `SELECT * FROM ${MY_BENCH_TABLE}`,
    BENCH_DATABASE,
  ];
}

const MYSQL: BenchEngine = {
  engine: 'mysql',
  server: 'MariaDB',
  table: MY_BENCH_TABLE,
  sourceUrl: () => myUrl(),
  ensureDataset: ensureMySqlDataset,
  serverVersion: () => mySqlServerVersion(),
  floor: () => ({
    name: 'mariadb --quick --batch > /dev/null (the read floor)',
    client: 'mariadb',
    program: 'mariadb',
    args: mariadbPrinting(),
  }),
  // --batch prints a tab between values and NULL for a null, and escapes tabs, newlines and
  // backslashes inside values (which this table has none of, so DuckDB need not undo it).
  peer: () => ({
    name: 'mariadb --batch | DuckDB read_csv -> gzip Parquet',
    client: 'mariadb',
    program: 'mariadb',
    args: mariadbPrinting(),
    reader: { columns: MY_TSV_COLUMNS, delim: '\t', quote: '', escape: '', nullstr: 'NULL' },
  }),
};

export const BENCH_ENGINES: Record<Engine, BenchEngine> = { postgres: POSTGRES, mysql: MYSQL };
