/** Host, port and credentials of a database server, read from its connection URL. */
export interface ServerLogin {
  host: string;
  port: string | null;
  user: string;
  password: string | null;
}

export function serverLogin(url: string): ServerLogin {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port || null,
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : null,
  };
}

/** Connection options of the mariadb clients; the password travels in MYSQL_PWD, never in argv. */
export function mariadbClientLogin(url: string): { args: string[]; env: Record<string, string> } {
  const login = serverLogin(url);
  return {
    args: [
      `--host=${login.host}`,
      ...(login.port ? [`--port=${login.port}`] : []),
      `--user=${login.user}`,
      '--protocol=TCP',
    ],
    env: login.password !== null ? { MYSQL_PWD: login.password } : {},
  };
}

/** Opens an administrative connection, runs `work` on it, and closes it whatever happens. */
export async function withConnection<C extends { end(): Promise<void> }, T>(
  open: () => Promise<C>,
  work: (connection: C) => Promise<T>,
): Promise<T> {
  const connection = await open();
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
