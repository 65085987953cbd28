/**
 * `npm run bench:mysql-copy [-- --rows 300000]`: how fast a MariaDB database is copied into a scratch
 * database, side by side on one table of mixed types (FLOAT included):
 *   - `mariadb-dump --single-transaction | mariadb`, the copy snapex made before (FLOATs cut to 6 digits),
 *   - snapex's live clone (MysqlScratchEngine.cloneDatabase: definitions by mariadb-dump, rows read in
 *     one consistent snapshot and written as INSERTs, every value exact),
 *   - each one's script alone, written nowhere (the read side of the copy; for snapex, a snapshot
 *     dump before gzip).
 * Runs against the local MariaDB (SNAPEX_TEST_MYSQL_URL), in databases of its own.
 */
import { scratchServerAsSource } from '@snapex/config';
import { spawn } from 'node:child_process';
import { MysqlScratchEngine } from '../../apps/restorer/src/restore/mysql-scratch-engine';
import { startMySqlScript } from '../../apps/restorer/src/restore/mysql-copy-script';
import { mariadbClientLogin } from '../../apps/restorer/src/restore/server-login';
import { MY_ADMIN_URL, recreateMySqlDatabase, withMySql, dropMySqlDatabase } from '../local-stack/mariadb';
import { MOTO_ACCOUNT } from '../local-stack/moto';
import { secondsSince } from './measurement';
import { benchOptions } from './options';

const SOURCE = 'snapex_bench_mycopy';
const SCRATCH = 'snapex_bench_mycopy_scratch';
const DEFAULT_ROWS = 300_000;

const TABLE_SQL = `
  CREATE TABLE orders (
    id INT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(12,2), status VARCHAR(16) NOT NULL,
    note TEXT, created_at DATETIME(6) NOT NULL, score DOUBLE, ratio FLOAT, tag VARBINARY(16)
  ) CHARACTER SET utf8mb4`;

function fillSql(rows: number): string {
  return `INSERT INTO orders
    SELECT seq, seq * 7919 % 100000, ROUND(RAND() * 10000, 2), ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
           IF(seq % 10 = 0, NULL, CONCAT(MD5(seq), ' order note ', seq)), '2024-01-01' + INTERVAL seq SECOND,
           RAND() * 1000, RAND() * 100, UNHEX(MD5(seq))
      FROM seq_1_to_${rows}`;
}

function run(program: string, args: string[], env: Record<string, string>, stdin: 'ignore' | 'pipe') {
  return spawn(program, args, { env: { ...process.env, ...env }, stdio: [stdin, 'pipe', 'inherit'] });
}

function exited(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) =>
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
  );
}

const DUMP_ARGS = ['--single-transaction', '--skip-lock-tables', '--skip-triggers', '--hex-blob'];

async function mariadbDumpInto(database: string | null): Promise<number> {
  const login = mariadbClientLogin(MY_ADMIN_URL);
  const started = process.hrtime.bigint();
  const dump = run('mariadb-dump', [...login.args, ...DUMP_ARGS, '--', SOURCE], login.env, 'ignore');
  if (database === null) {
    dump.stdout!.resume();
    await exited(dump);
  } else {
    const load = run('mariadb', [...login.args, '--binary-mode', '--', database], login.env, 'pipe');
    dump.stdout!.pipe(load.stdin!);
    await Promise.all([exited(dump), exited(load)]);
  }
  return secondsSince(started);
}

async function snapexScriptAlone(): Promise<number> {
  const started = process.hrtime.bigint();
  const script = await startMySqlScript(MY_ADMIN_URL, SOURCE, { routinesAndTriggers: true });
  script.output.resume();
  await script.finished;
  return secondsSince(started);
}

async function snapexClone(): Promise<number> {
  const engine = new MysqlScratchEngine();
  const server = { name: 'bench', engine: 'mysql' as const, url: MY_ADMIN_URL };
  const target = { server, database: SCRATCH };
  await engine.recreateDatabase(target);
  const started = process.hrtime.bigint();
  await engine.cloneDatabase(
    scratchServerAsSource(server, MOTO_ACCOUNT),
    SOURCE,
    target,
    new AbortController().signal,
  );
  return secondsSince(started);
}

async function main(): Promise<void> {
  const rows = benchOptions(process.argv.slice(2), { SNAPEX_BENCH_ROWS: String(DEFAULT_ROWS) }).rows;
  await recreateMySqlDatabase(SOURCE);
  await withMySql(async (client) => {
    await client.query(TABLE_SQL);
    await client.query(fillSql(rows));
  }, SOURCE);
  const line = (name: string, seconds: number) =>
    console.log(
      `${name.padEnd(48)} ${seconds.toFixed(2).padStart(7)} s ${Math.round(rows / seconds)
        .toLocaleString('en-US')
        .padStart(10)} rows/s`,
    );
  console.log(`${rows.toLocaleString('en-US')} rows`);
  try {
    line('mariadb-dump, script alone', await mariadbDumpInto(null));
    line('snapex script, alone', await snapexScriptAlone());
    await recreateMySqlDatabase(SCRATCH);
    line('mariadb-dump | mariadb (before)', await mariadbDumpInto(SCRATCH));
    line('snapex clone (definitions + exact rows)', await snapexClone());
  } finally {
    await dropMySqlDatabase(SCRATCH);
    await dropMySqlDatabase(SOURCE);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
