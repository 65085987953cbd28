import { Client } from 'pg';

export const PG_ADMIN_URL = process.env.SNAPEX_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withPg<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with a unique name; dropped first if a previous run left it behind. */
export async function recreateDatabase(name: string): Promise<string> {
  await withPg(PG_ADMIN_URL, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  return pgUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withPg(PG_ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
