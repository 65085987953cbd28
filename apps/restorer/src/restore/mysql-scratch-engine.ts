import { ScratchServerConfig, SourceConfig } from '@snapex/config';
import { DatabaseDump } from '@snapex/contracts';
import { quoteMySqlIdentifier as quoteIdentifier } from '@snapex/engines';
import { Connection, createConnection } from 'mysql2/promise';
import { Command, runCommand } from './command';
import { DumpFiles } from './dump-files';
import { loadingInvalidDates } from './dump-sql-mode';
import { startMySqlScript } from './mysql-copy-script';
import { ScratchEngine, ScratchTarget, UnrestorableDumpError } from './scratch-engine';
import { mariadbClientLogin as clientLogin, withConnection } from './server-login';

function withAdmin<T>(server: ScratchServerConfig, work: (client: Connection) => Promise<T>): Promise<T> {
  return withConnection(() => createConnection(server.url), work);
}

/**
 * MySQL has no DROP DATABASE ... FORCE. A restore whose restorer was killed leaves its `mariadb` client
 * running; still attached to the database by name, it would carry on into the database made again
 * for the retry, so its sessions are killed first.
 */
async function dropWithSessions(client: Connection, database: string): Promise<void> {
  const [sessions] = await client.query(
    'SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
    [database],
  );
  for (const { id } of sessions as { id: number }[]) {
    // Gone already when it finished meanwhile.
    await client.query('KILL CONNECTION ?', [id]).catch(() => undefined);
  }
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)}`);
}

/**
 * InnoDB counts the pages of freshly loaded tables in the background; until it has, their sizes read
 * as a page or two, and the planner would read every table whole. ANALYZE counts them now.
 */
async function refreshStatistics(target: ScratchTarget): Promise<void> {
  await withAdmin(target.server, async (client) => {
    const [rows] = await client.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
      [target.database],
    );
    for (const { name } of rows as { name: string }[]) {
      await client.query(`ANALYZE TABLE ${quoteIdentifier(target.database)}.${quoteIdentifier(name)}`);
    }
  });
}

export class MysqlScratchEngine implements ScratchEngine {
  readonly engine = 'mysql' as const;
  readonly clonesLiveSources = true;

  listDatabases(server: ScratchServerConfig, prefix: string): Promise<string[]> {
    return withAdmin(server, async (client) => {
      const [rows] = await client.query(
        'SELECT schema_name AS name FROM information_schema.schemata WHERE LEFT(schema_name, CHAR_LENGTH(?)) = ? ORDER BY 1',
        [prefix, prefix],
      );
      return (rows as { name: string }[]).map((row) => row.name);
    });
  }

  recreateDatabase(target: ScratchTarget): Promise<void> {
    return withAdmin(target.server, async (client) => {
      await dropWithSessions(client, target.database);
      await client.query(`CREATE DATABASE ${quoteIdentifier(target.database)} CHARACTER SET utf8mb4`);
    });
  }

  async dropDatabase(target: ScratchTarget): Promise<void> {
    await withAdmin(target.server, (client) => dropWithSessions(client, target.database));
  }

  async restoreDump(
    dump: DatabaseDump,
    files: DumpFiles,
    target: ScratchTarget,
    signal: AbortSignal,
  ): Promise<void> {
    if (dump.format !== 'mysql-sql') throw new UnrestorableDumpError(dump, this.engine);
    await runCommand(this.client(target), signal, await files.stream(dump, signal), [loadingInvalidDates()]);
    await refreshStatistics(target);
  }

  /**
   * The database's script (startMySqlScript: every table as of one consistent point, while the source
   * takes writes, every value exact) loaded as it is read.
   */
  async cloneDatabase(
    source: SourceConfig,
    database: string,
    target: ScratchTarget,
    signal: AbortSignal,
  ): Promise<void> {
    const script = await startMySqlScript(source.url, database, { routinesAndTriggers: false });
    const stop = () => script.abort();
    signal.addEventListener('abort', stop, { once: true });
    // The loading client's own failure (its server gone, say) explains more than the script it stopped.
    const results = await Promise.allSettled([
      runCommand(this.client(target), signal, script.output).catch((error: unknown) => {
        script.abort();
        throw error;
      }),
      script.finished,
    ]);
    signal.removeEventListener('abort', stop);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    await refreshStatistics(target);
  }

  private client(target: ScratchTarget): Command {
    const login = clientLogin(target.server.url);
    return {
      program: 'mariadb',
      args: [...login.args, '--binary-mode', '--default-character-set=utf8mb4', '--', target.database],
      env: login.env,
    };
  }
}
