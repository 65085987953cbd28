import { SourceConfig } from '@snapex/config';
import { engineFor } from '@snapex/engines';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { startMySqlScript } from '../restore/mysql-copy-script';
import { quietOnError } from './dump-process';
import { DumpTool, RunningDump } from './dump-tool';

/**
 * One database as a SQL script (startMySqlScript: definitions by mariadb-dump, rows read in one
 * consistent snapshot with every value exact, routines and triggers), gzip-compressed. The script
 * names no database, so it restores into a database of any name.
 */
export class MariaDbDumpTool implements DumpTool {
  readonly format = 'mysql-sql' as const;
  readonly extension = 'sql.gz';

  listDatabases(source: SourceConfig): Promise<string[]> {
    return engineFor('mysql').listDatabases(source);
  }

  async start(source: SourceConfig, database: string): Promise<RunningDump> {
    const script = await startMySqlScript(source.url, database, { routinesAndTriggers: true });
    const gzip = quietOnError(createGzip());
    pipeline(script.output, gzip, () => undefined);
    return { ...script, output: gzip };
  }
}
