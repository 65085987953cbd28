import { MY_ADMIN_URL, myUrl, quoteMyIdentifier as q, withMySql } from '../local-stack/mariadb';
import { BENCH_DATABASE } from './dataset';

/** The benchmark table on MariaDB, in a database of the same name as PostgreSQL's. */
export const MY_BENCH_TABLE = 'orders';

/** The PostgreSQL table's columns and values in MariaDB's types. */
const TABLE_DDL = `
CREATE TABLE orders (
  id          BIGINT PRIMARY KEY,
  customer_id INT NOT NULL,
  quantity    SMALLINT,
  amount      DECIMAL(12, 2),
  status      VARCHAR(16) NOT NULL,
  note        TEXT,
  created_at  DATETIME NOT NULL,
  paid        BOOLEAN,
  score       DOUBLE,
  ratio       FLOAT
) ENGINE = InnoDB`;

/** MariaDB's Sequence engine gives the rows first..last as seq_<first>_to_<last>. */
function fill(first: number, last: number): string {
  return `
INSERT INTO orders
SELECT seq,
       (seq * 7919) % 100000,
       seq % 100,
       ROUND(RAND() * 10000, 2),
       ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
       IF(seq % 10 = 0, NULL, CONCAT(MD5(seq), ' order note ', seq)),
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND,
       IF(seq % 7 = 0, NULL, seq % 3 = 0),
       RAND() * 1000,
       RAND() * 100
  FROM seq_${first}_to_${last}`;
}

const FILL_CHUNK_ROWS = 500_000;

/** The column list a user would give DuckDB's reader of `mariadb --batch` output, typed as snapex maps them. */
export const MY_TSV_COLUMNS: Record<string, string> = {
  id: 'BIGINT',
  customer_id: 'INTEGER',
  quantity: 'INTEGER',
  amount: 'DECIMAL(12,2)',
  status: 'VARCHAR',
  note: 'VARCHAR',
  created_at: 'TIMESTAMP',
  paid: 'INTEGER',
  score: 'DOUBLE',
  ratio: 'DOUBLE',
};

async function existingRows(): Promise<number | null> {
  return withMySql(async (connection) => {
    const [tables] = await connection.query(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [BENCH_DATABASE, MY_BENCH_TABLE],
    );
    if ((tables as unknown[]).length === 0) return null;
    const [rows] = await connection.query(
      `SELECT COUNT(*) AS total FROM ${q(BENCH_DATABASE)}.${q(MY_BENCH_TABLE)}`,
    );
    return Number((rows as { total: string }[])[0].total);
  });
}

/** Creates the MariaDB table unless one with exactly `rows` rows is already there; returns its URL. */
export async function ensureMySqlDataset(rows: number, fresh: boolean): Promise<string> {
  const url = myUrl({ database: BENCH_DATABASE });
  if (!fresh && (await existingRows()) === rows) return url;
  await withMySql(async (connection) => {
    await connection.query(`DROP DATABASE IF EXISTS ${q(BENCH_DATABASE)}`);
    await connection.query(`CREATE DATABASE ${q(BENCH_DATABASE)} CHARACTER SET utf8mb4`);
    await connection.query(`USE ${q(BENCH_DATABASE)}`);
    await connection.query(TABLE_DDL);
    for (let first = 1; first <= rows; first += FILL_CHUNK_ROWS)
      await connection.query(fill(first, Math.min(rows, first + FILL_CHUNK_ROWS - 1)));
    await connection.query('ANALYZE TABLE orders');
  });
  return url;
}

export async function mySqlServerVersion(): Promise<string> {
  return withMySql(async (connection) => {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return (rows as { version: string }[])[0].version;
  });
}

/** The `mariadb` client's login options for the administrator's URL, as the client takes them. */
export function mariadbClientArgs(): string[] {
  const url = new URL(MY_ADMIN_URL);
  return [
    `--host=${url.hostname}`,
    `--port=${url.port || '3306'}`,
    `--user=${decodeURIComponent(url.username)}`,
    ...(url.password ? [`--password=${decodeURIComponent(url.password)}`] : []),
  ];
}
