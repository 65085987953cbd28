import { ScratchServerConfig, SourceConfig } from '@snapex/config';
import { DatabaseDump } from '@snapex/contracts';
import { quotePostgresIdentifier as quoteIdentifier } from '@snapex/engines';
import { Client } from 'pg';
import { Command, runCommand, runPiped } from './command';
import { DumpFiles, withWorkspace } from './dump-files';
import { ScratchEngine, ScratchTarget, UnrestorableDumpError } from './scratch-engine';
import { serverLogin, withConnection } from './server-login';

/** libpq reads the server and password from the environment, so no secret appears in a process list. */
function libpqEnv(url: string): Record<string, string> {
  const login = serverLogin(url);
  return {
    PGHOST: login.host,
    PGUSER: login.user,
    ...(login.port ? { PGPORT: login.port } : {}),
    ...(login.password !== null ? { PGPASSWORD: login.password } : {}),
  };
}

function withAdmin<T>(server: ScratchServerConfig, work: (client: Client) => Promise<T>): Promise<T> {
  return withConnection(async () => {
    const client = new Client({ connectionString: server.url, application_name: 'snapex-scratch' });
    await client.connect();
    return client;
  }, work);
}

export class PostgresScratchEngine implements ScratchEngine {
  readonly engine = 'postgres' as const;
  readonly clonesLiveSources = false;

  constructor(private readonly restoreJobs: number) {}

  listDatabases(server: ScratchServerConfig, prefix: string): Promise<string[]> {
    return withAdmin(server, async (client) => {
      const { rows } = await client.query<{ name: string }>(
        'SELECT datname AS name FROM pg_catalog.pg_database WHERE starts_with(datname, $1) ORDER BY datname',
        [prefix],
      );
      return rows.map((row) => row.name);
    });
  }

  recreateDatabase(target: ScratchTarget): Promise<void> {
    return withAdmin(target.server, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(target.database)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quoteIdentifier(target.database)}`);
    });
  }

  async dropDatabase(target: ScratchTarget): Promise<void> {
    await withAdmin(target.server, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(target.database)} WITH (FORCE)`),
    );
  }

  restoreDump(
    dump: DatabaseDump,
    files: DumpFiles,
    target: ScratchTarget,
    signal: AbortSignal,
  ): Promise<void> {
    // One job reads the archive in order from its stream: nothing of it lands on local disk.
    if (dump.format === 'pg-custom' && this.restoreJobs === 1) {
      return files
        .stream(dump, signal)
        .then((body) => runCommand(this.pgRestore(target, ['--format=custom']), signal, body));
    }
    return withWorkspace(async (dir) => {
      switch (dump.format) {
        case 'pg-custom': {
          // Parallel jobs seek in the archive, so it is staged as a file first.
          const file = await files.downloadFile(dump, dir, signal);
          return runCommand(this.pgRestore(target, ['--format=custom', file]), signal);
        }
        case 'pg-directory': {
          const tree = await files.downloadTree(dump, dir, signal);
          return runCommand(this.pgRestore(target, ['--format=directory', tree]), signal);
        }
        case 'mysql-sql':
          throw new UnrestorableDumpError(dump, this.engine);
      }
    });
  }

  /** A plain pg_dump piped into pg_restore: for completeness, live PostgreSQL exports read in place. */
  cloneDatabase(
    source: SourceConfig,
    database: string,
    target: ScratchTarget,
    signal: AbortSignal,
  ): Promise<void> {
    const dump: Command = {
      program: 'pg_dump',
      args: ['--format=custom', '--compress=0'],
      // From the environment, so a database name is never read as a connection string.
      env: { ...libpqEnv(source.url), PGDATABASE: database },
    };
    return runPiped(dump, this.pgRestore(target, ['--format=custom'], 1), signal);
  }

  private pgRestore(target: ScratchTarget, input: string[], jobs = this.restoreJobs): Command {
    return {
      program: 'pg_restore',
      args: [
        `--jobs=${jobs}`,
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        `--dbname=${target.database}`,
        ...input,
      ],
      env: libpqEnv(target.server.url),
    };
  }
}
