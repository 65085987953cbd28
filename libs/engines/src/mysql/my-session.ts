import { Readable } from 'node:stream';
import { Connection, createConnection, FieldPacket, QueryOptions } from 'mysql2';
import { connectOrExplain, loginOf } from '../source-refusals';
import { errnoOf, mySqlRefusal } from './my-refusals';

/** A value as the session returns it (see the connection options in MySqlSession.open). */
export type MySqlValue = number | string | Buffer | null;

/** Error numbers the server answers to a variable it does not have (MariaDB lacks some of MySQL 8's). */
const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

/** A consistent-snapshot transaction touched a table created or rebuilt after its snapshot was taken. */
const ER_TABLE_DEF_CHANGED = 1412;

export function isNewerThanSnapshot(error: unknown): boolean {
  return errnoOf(error) === ER_TABLE_DEF_CHANGED;
}

function connectOnce(connection: Connection): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    connection.connect((error) => (error ? reject(error) : resolve())),
  );
}

/**
 * One connection to one database of a MySQL or MariaDB server. Every value arrives exactly:
 * BIGINT and DECIMAL as decimal strings, dates and times as the server's own text, JSON as text,
 * binary types as Buffers; TIMESTAMP values are rendered in UTC.
 */
export class MySqlSession {
  private lostWith: Error | null = null;
  private closed = false;

  private constructor(private readonly connection: Connection) {
    // A connection lost while idle is remembered rather than thrown from an event.
    connection.on('error', (error) => {
      this.lostWith = error;
    });
  }

  /**
   * Connects as the source URL says, to `database` (or the URL's own when null); a refused login or
   * database is a SourceRefusedError.
   */
  static async open(sourceUrl: string, database: string | null): Promise<MySqlSession> {
    const connection = createConnection({
      uri: sourceUrl,
      ...(database === null ? {} : { database }),
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      jsonStrings: true,
      decimalNumbers: false,
      multipleStatements: false,
    });
    const session = new MySqlSession(connection);
    try {
      await connectOrExplain(loginOf(sourceUrl, database), mySqlRefusal, () => connectOnce(connection));
      await session.query("SET time_zone = '+00:00'");
      // A slow consumer (an S3 upload under backpressure) must not get its read aborted by the server.
      await session.query('SET SESSION net_write_timeout = 86400');
      return session;
    } catch (error) {
      session.destroy();
      throw error;
    }
  }

  query<R = Record<string, MySqlValue>>(sql: string, values: unknown[] = []): Promise<R[]> {
    if (this.lostWith) return Promise.reject(this.lostWith);
    return new Promise((resolve, reject) => {
      this.connection.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows as R[])));
    });
  }

  /** Rows as arrays of values, in column order. */
  rows(sql: string, values: unknown[] = []): Promise<MySqlValue[][]> {
    if (this.lostWith) return Promise.reject(this.lostWith);
    const options: QueryOptions = { sql, values, rowsAsArray: true };
    return new Promise((resolve, reject) => {
      this.connection.query(options, (error, rows, _fields: FieldPacket[]) =>
        error ? reject(error) : resolve(rows as unknown as MySqlValue[][]),
      );
    });
  }

  /** Sets a session variable the server may not have, such as MySQL 8's and not MariaDB's. */
  async setIfSupported(assignment: string): Promise<void> {
    await this.query(`SET SESSION ${assignment}`).catch((error: unknown) => {
      if (errnoOf(error) !== ER_UNKNOWN_SYSTEM_VARIABLE) throw error;
    });
  }

  /**
   * Rows as arrays streamed as they arrive, each value the bytes the server sent for it (its text,
   * or a binary value's bytes; null for NULL), a view into the packet rather than a decoded value.
   * The connection pauses while `highWaterMark` rows wait unread, so a table never sits in memory.
   */
  rawStream(sql: string, highWaterMark: number): Readable {
    if (this.lostWith) throw this.lostWith;
    return this.connection.query({ sql, rowsAsArray: true, typeCast: false }).stream({ highWaterMark });
  }

  /** Ends the transaction if one is open; a failed or lost one needs nothing more. */
  async commitQuietly(): Promise<void> {
    if (this.lostWith || this.closed) return;
    await this.query('COMMIT').catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.lostWith) return this.destroy();
    this.closed = true;
    await new Promise<void>((resolve) => this.connection.end(() => resolve()));
  }

  /** Drops the connection at once, also mid-query: the server stops the query when it can no longer send. */
  destroy(): void {
    this.closed = true;
    this.connection.destroy();
  }
}
