import { existsSync } from 'node:fs';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { Client } from 'pg';
import { Logger } from '@snapex/logging';

const MIGRATIONS_FROM_REPO_ROOT = path.join('apps', 'task-registry', 'migrations');

/** Key of the advisory lock that serializes replicas migrating the same database at start-up. */
const MIGRATION_LOCK = [0x736e6170, 0x6d696772];

/**
 * The .sql files are not compiled into dist/, so they are found by walking up from this file to the
 * folder that holds `apps/task-registry/migrations` (the repository, or an image laid out like it).
 */
export function findMigrationsDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, MIGRATIONS_FROM_REPO_ROOT);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no ${MIGRATIONS_FROM_REPO_ROOT} folder above ${start}`);
    dir = parent;
  }
}

export interface MigrationSettings {
  databaseUrl: string;
  schema: string;
  logger: Logger;
  dir?: string;
}

/**
 * Applies pending migrations into the configured schema. node-pg-migrate's own lock fails fast when
 * another process holds it, so replicas starting together wait on a blocking advisory lock instead.
 */
export async function runMigrations(settings: MigrationSettings): Promise<string[]> {
  const client = new Client({ connectionString: settings.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', MIGRATION_LOCK);
    const applied = await runner({
      dbClient: client,
      noLock: true,
      dir: settings.dir ?? findMigrationsDir(),
      direction: 'up',
      schema: settings.schema,
      createSchema: true,
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      singleTransaction: true,
      logger: migrationLogger(settings.logger),
    });
    return applied.map((migration) => migration.name);
  } finally {
    await client.end();
  }
}

function migrationLogger(logger: Logger) {
  return {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.debug(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string) => logger.error(message),
  };
}
