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
