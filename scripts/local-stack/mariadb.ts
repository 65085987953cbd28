import { Connection, createConnection } from 'mysql2/promise';

/** The test server's administrator: MariaDB (or MySQL) on the loopback, root without a password. */
export const MY_ADMIN_URL = process.env.SNAPEX_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';

/** The server's URL as another user, or pointed at a database. */
export function myUrl(options: { user?: string; password?: string; database?: string } = {}): string {
  const url = new URL(MY_ADMIN_URL);
  if (options.user !== undefined) url.username = encodeURIComponent(options.user);
  if (options.password !== undefined) url.password = encodeURIComponent(options.password);
  if (options.database !== undefined) url.pathname = `/${encodeURIComponent(options.database)}`;
  return url.toString();
}

export function quoteMyIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A connection that takes several statements at once and returns exact values as text. */
export async function withMySql<T>(
  work: (connection: Connection) => Promise<T>,
  database?: string,
): Promise<T> {
  const connection = await createConnection({
    uri: MY_ADMIN_URL,
    ...(database === undefined ? {} : { database }),
    multipleStatements: true,
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** A fresh MariaDB database; dropped first if a previous run left it behind. */
export async function recreateMySqlDatabase(name: string): Promise<void> {
  await withMySql(async (connection) => {
    await connection.query(`DROP DATABASE IF EXISTS ${quoteMyIdentifier(name)}`);
    await connection.query(`CREATE DATABASE ${quoteMyIdentifier(name)} CHARACTER SET utf8mb4`);
  });
}

export async function dropMySqlDatabase(name: string): Promise<void> {
  await withMySql((connection) => connection.query(`DROP DATABASE IF EXISTS ${quoteMyIdentifier(name)}`));
}
