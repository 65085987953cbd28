import { SourceConfig } from '@snapex/config';
import { engineFor, postgresDatabaseUrl } from '@snapex/engines';
import { Client } from 'pg';
import { runDumpProcess } from './dump-process';
import { connectionOf, DumpTool, RunningDump } from './dump-tool';

/**
 * `pg_dump --format=custom` of one database (compressed, restorable in parallel). The dump reads a
 * snapshot this tool exports and holds, so the snapshot's time is exactly the data's point in time.
 */
export class PgDumpTool implements DumpTool {
  readonly format = 'pg-custom' as const;
  readonly extension = 'dump';

  listDatabases(source: SourceConfig): Promise<string[]> {
    return engineFor('postgres').listDatabases(source);
  }

  async start(source: SourceConfig, database: string): Promise<RunningDump> {
    const { url, password } = connectionOf(source.url, database);
    // node-postgres decodes a URL's database name with decodeURI, libpq (pg_dump) fully: each its own URL.
    const holder = new Client({ connectionString: postgresDatabaseUrl(source.url, database) });
    await holder.connect();
    try {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await holder.query<{ id: string; at: Date }>(
        'SELECT pg_export_snapshot() AS id, clock_timestamp() AS at',
      );
      const dump = runDumpProcess(
        'pg_dump',
        ['--format=custom', '--no-password', `--snapshot=${rows[0].id}`, `--dbname=${url.toString()}`],
        password ? { PGPASSWORD: password } : {},
      );
      const finished = dump.finished.finally(() => holder.end());
      finished.catch(() => undefined);
      return { output: dump.output, consistentAt: rows[0].at, finished, abort: dump.kill };
    } catch (error) {
      await holder.end();
      throw error;
    }
  }
}
