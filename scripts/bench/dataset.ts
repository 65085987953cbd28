import { PG_ADMIN_URL, pgUrl, recreateDatabase, withPg } from '../local-stack/databases';
import { createSampleDatabase } from '../local-stack/sample-database';

/** SNAPEX_BENCH_DATABASE lets runs on a shared server keep to a database of their own. */
export const BENCH_DATABASE = process.env.SNAPEX_BENCH_DATABASE ?? 'snapex_bench';
export const BENCH_TABLE = 'public.orders';
/** The demo's sample database (every seed type, several schemas), small: the time before data is what counts. */
export const SMALL_DATABASE = `${BENCH_DATABASE}_small`;
export const SMALL_ORDER_ROWS = 10_000;

/** Mixed types like an orders table: bigint key, ints, numeric, text, timestamptz, boolean, floats, NULLs. */
const TABLE_DDL = `
CREATE TABLE public.orders (
  id          bigint PRIMARY KEY,
  customer_id integer NOT NULL,
  quantity    smallint,
  amount      numeric(12, 2),
  status      text NOT NULL,
  note        text,
  created_at  timestamptz NOT NULL,
  paid        boolean,
  score       double precision,
  ratio       real
)`;

const FILL = `
INSERT INTO public.orders
SELECT g,
       (g * 7919) % 100000,
       (g % 100)::smallint,
       round((random() * 10000)::numeric, 2),
       (ARRAY['new', 'paid', 'shipped', 'returned'])[1 + g % 4],
       CASE WHEN g % 10 = 0 THEN NULL ELSE md5(g::text) || ' order note ' || g END,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',
       CASE WHEN g % 7 = 0 THEN NULL ELSE g % 3 = 0 END,
       random() * 1000,
       (random() * 100)::real
  FROM generate_series($1::bigint, $2::bigint) AS g`;

const FILL_CHUNK_ROWS = 1_000_000;

/** The column list a user would give DuckDB's CSV reader, typed as snapex maps them. */
export const CSV_COLUMNS: Record<string, string> = {
  id: 'BIGINT',
  customer_id: 'INTEGER',
  quantity: 'SMALLINT',
  amount: 'VARCHAR',
  status: 'VARCHAR',
  note: 'VARCHAR',
  created_at: 'VARCHAR',
  paid: 'BOOLEAN',
  score: 'DOUBLE',
  ratio: 'FLOAT',
};

async function existingRows(): Promise<number | null> {
  const databases = await withPg(PG_ADMIN_URL, (client) =>
    client.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE]),
  );
  if (databases.rowCount === 0) return null;
  return withPg(pgUrl(BENCH_DATABASE), async (client) => {
    const table = await client.query(`SELECT to_regclass('${BENCH_TABLE}') IS NOT NULL AS present`);
    if (!table.rows[0].present) return null;
    const { rows } = await client.query(`SELECT count(*)::bigint AS total FROM ${BENCH_TABLE}`);
    return Number(rows[0].total);
  });
}

/** Creates the dataset unless one with exactly `rows` rows is already there; returns its URL. */
export async function ensureDataset(rows: number, fresh: boolean): Promise<string> {
  if (!fresh && (await existingRows()) === rows) return pgUrl(BENCH_DATABASE);
  const url = await recreateDatabase(BENCH_DATABASE);
  await withPg(url, async (client) => {
    await client.query(TABLE_DDL);
    for (let first = 1; first <= rows; first += FILL_CHUNK_ROWS) {
      await client.query(FILL, [first, Math.min(rows, first + FILL_CHUNK_ROWS - 1)]);
    }
    // Every measurement then reads frozen, hinted pages instead of the first one paying for it.
    await client.query('VACUUM (FREEZE, ANALYZE) public.orders');
  });
  return url;
}

export async function serverVersion(url: string): Promise<string> {
  return withPg(url, async (client) => (await client.query('SHOW server_version')).rows[0].server_version);
}

/** A fresh small database for the time-to-first-file measurement; returns its URL. */
export async function ensureSmallDataset(): Promise<string> {
  const url = await recreateDatabase(SMALL_DATABASE);
  await createSampleDatabase(url, SMALL_ORDER_ROWS);
  return url;
}
