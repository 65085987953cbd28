import { SourceConfig } from '@snapex/config';
import { engineFor } from '@snapex/engines';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { memberRepairs, repairingMembers } from '../restore/enum-members';
import { quietOnError, runDumpProcess } from './dump-process';
import { connectionOf, DumpTool, RunningDump } from './dump-tool';

const DEFAULT_PORT = '3306';

/**
 * `mariadb-dump --single-transaction` of one database, gzip-compressed. Naming the database without
 * `--databases` leaves out CREATE DATABASE and USE, so the dump restores into a database of any name.
 * ENUM and SET definitions whose printed form lost characters are put right before it is stored.
 */
export class MariaDbDumpTool implements DumpTool {
  readonly format = 'mysql-sql' as const;
  readonly extension = 'sql.gz';

  listDatabases(source: SourceConfig): Promise<string[]> {
    return engineFor('mysql').listDatabases(source);
  }

  async start(source: SourceConfig, database: string): Promise<RunningDump> {
    const { url, password } = connectionOf(source.url, database);
    const repairs = await memberRepairs(source.url, database);
    // The consistent point is taken by the tool as it starts; the data is from no earlier than this.
    const consistentAt = new Date();
    const dump = runDumpProcess(
      'mariadb-dump',
      [
        '--single-transaction',
        '--routines',
        '--triggers',
        '--hex-blob',
        '--default-character-set=utf8mb4',
        '--no-tablespaces',
        `--host=${url.hostname}`,
        `--port=${url.port || DEFAULT_PORT}`,
        `--user=${decodeURIComponent(url.username)}`,
        // A database named like an option stays a name.
        '--',
        database,
      ],
      password ? { MYSQL_PWD: password } : {},
    );
    const gzip = quietOnError(createGzip());
    pipeline(dump.output, repairingMembers(repairs), gzip, () => undefined);
    return { output: gzip, consistentAt, finished: dump.finished, abort: dump.kill };
  }
}
