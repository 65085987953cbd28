import { Readable } from 'node:stream';
import { Client, QueryResultRow } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { connectOrExplain, loginOf } from '../source-refusals';
import { postgresRefusal } from './refusals';

export class UnaddressableDatabaseError extends Error {
  constructor(database: string) {
    super(
      `database ${JSON.stringify(database)} cannot be named in a connection URL ('#' and '?' are not decoded)`,
    );
    this.name = 'UnaddressableDatabaseError';
  }
}

/** The source's connection URL pointed at another database of the same server. */
export function databaseUrl(sourceUrl: string, database: string): string {
  if (/[#?]/.test(database)) throw new UnaddressableDatabaseError(database);
  const url = new URL(sourceUrl);
  // The URL setter leaves a % as it is, so it is escaped here; node-postgres decodes the path with
  // decodeURI, which keeps the escapes of # and ? as they are (and either, unescaped, ends the path).
  url.pathname = `/${database.replace(/%/g, '%25')}`;
  return url.toString();
}

/**
 * One connection to one database. A connection lost while idle is remembered rather than thrown
 * from an event (which would end the process); the next query fails with it instead.
 */
export class PgSession {
  private lostWith: Error | null = null;
  private closed = false;

  private constructor(private readonly client: Client) {
    client.on('error', (error) => {
      this.lostWith = error;
    });
  }

  /** Connects to the database the URL names; a refused login or database is a SourceRefusedError. */
  static async connect(connectionString: string, applicationName: string): Promise<PgSession> {
    const client = new Client({ connectionString, application_name: applicationName });
    const session = new PgSession(client);
    await connectOrExplain(loginOf(connectionString, null), postgresRefusal, () => client.connect());
    return session;
  }

  /** Connects to another database of the source's server. */
  static open(sourceUrl: string, database: string, applicationName: string): Promise<PgSession> {
    return PgSession.connect(databaseUrl(sourceUrl, database), applicationName);
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    if (this.lostWith) throw this.lostWith;
    const result = await this.client.query<R>(text, values);
    return result.rows;
  }

  /**
   * Runs `COPY … TO STDOUT` and streams its data. A paused stream stops reading the socket, so
   * the server waits rather than buffering here. The stream keeps an error listener of its own:
   * when the session is closed mid-COPY the query still reports the dropped connection, and that
   * must not end the process.
   */
  copyOut(text: string): Readable {
    if (this.lostWith) throw this.lostWith;
    const stream = this.client.query(copyTo(text));
    stream.on('error', () => undefined);
    return stream;
  }

  /** Ends the transaction if one is open; a failed or lost one needs nothing more. */
  async commitQuietly(): Promise<void> {
    if (this.lostWith || this.closed) return;
    await this.client.query('COMMIT').catch(() => undefined);
  }

  /** Also ends a COPY still streaming: pg drops the socket when a query is active, which ends the backend. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}
