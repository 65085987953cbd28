import { Client, escapeIdentifier } from 'pg';

export const PG_ADMIN_URL = process.env.SNAPEX_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The test server's URL for `database`, as the administrator or as `user` (trust auth: no password). */
export function pgUrl(database: string, user?: string): string {
  const url = new URL(PG_ADMIN_URL);
  // The URL setter escapes every other character; node-postgres decodes the path, % included.
  url.pathname = `/${database.replace(/%/g, '%25')}`;
  if (user !== undefined) url.username = user;
  return url.toString();
}

/** A login role that may read every table of `schemas` in the client's database, made if missing. */
export async function grantReader(client: Client, role: string, schemas: string[]): Promise<void> {
  const name = escapeIdentifier(role);
  const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  await client.query(rowCount === 0 ? `CREATE ROLE ${name} LOGIN` : `ALTER ROLE ${name} LOGIN`);
  for (const schema of schemas) {
    await client.query(`GRANT USAGE ON SCHEMA ${escapeIdentifier(schema)} TO ${name}`);
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${escapeIdentifier(schema)} TO ${name}`);
  }
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
    await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  });
  return pgUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withPg(PG_ADMIN_URL, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`),
  );
}
