import { OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@snapex/logging';
import { Pool, PoolClient } from 'pg';

/** A connection repositories run statements on: inside a transaction, or a plain read. */
export type Connection = PoolClient;

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** The registry's connection pool; every connection works in the registry's own schema. */
export class RegistryDatabase implements OnApplicationShutdown {
  private closed = false;

  constructor(readonly pool: Pool) {}

  static connect(databaseUrl: string, schema: string, logger: Logger, maxConnections = 10): RegistryDatabase {
    const pool = new Pool({
      connectionString: databaseUrl,
      max: maxConnections,
      options: `-c search_path=${schema}`,
    });
    // An idle connection the server dropped must not take the process down; the pool replaces it.
    pool.on('error', (error) => logger.warn({ err: error }, 'idle registry database connection failed'));
    return new RegistryDatabase(pool);
  }

  /** Runs work in one transaction; a serialization failure or deadlock re-runs it from the start. */
  async transaction<T>(work: (tx: Connection) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE_SQLSTATES.has(code)) throw error;
      }
    }
  }

  /** Runs reads that need no transaction on one pooled connection. */
  async read<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async once<T>(work: (tx: Connection) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}
