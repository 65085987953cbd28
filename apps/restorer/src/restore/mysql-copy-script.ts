import { engineFor, MYSQL_CONSISTENT_SNAPSHOT_STATEMENTS, MySqlSession } from '@snapex/engines';
import { pipeline, Readable, Transform } from 'node:stream';
import { DumpFailedError, DumpProcess, quietOnError, runDumpProcess } from '../snapshots/dump-process';
import { RunningDump } from '../snapshots/dump-tool';
import { memberRepairs, repairingMembers } from './enum-members';
import { copiedTables, CopiedTable, insertStatements } from './mysql-rows';
import { mariadbClientLogin } from './server-login';

export interface MySqlScriptOptions {
  /** Stored routines and triggers too: a snapshot keeps them, a clone read by one export needs neither. */
  routinesAndTriggers: boolean;
}

/** Options of every mariadb-dump run here: definitions only, read without locking a table. */
const DEFINITIONS_ONLY = [
  '--single-transaction',
  '--skip-lock-tables',
  '--no-tablespaces',
  '--default-character-set=utf8mb4',
  '--no-data',
];

/**
 * The session the rows load under: UTC for TIMESTAMPs, dates stored under ALLOW_INVALID_DATES and zero
 * dates kept (no strict mode, no NO_ZERO_DATE), a 0 in an AUTO_INCREMENT column kept as 0, and no
 * foreign or unique key checked against rows still to come.
 */
const ROWS_HEADER = Buffer.from(
  [
    '',
    '-- Rows, read in one consistent-snapshot transaction.',
    'SET NAMES utf8mb4;',
    "SET TIME_ZONE = '+00:00';",
    "SET SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES';",
    'SET FOREIGN_KEY_CHECKS = 0;',
    'SET UNIQUE_CHECKS = 0;',
    '',
  ].join('\n'),
);

/** A failure no retry can fix (a privilege, a table the server cannot read) fails the dump for good. */
function lasting(error: unknown, doing: string): unknown {
  if (engineFor('mysql').classifyFailure(error) !== 'permanent') return error;
  return new DumpFailedError(`${doing}: ${(error as Error).message}`);
}

/** The chunks of `source` through `edit`, a failure of either thrown to the reader. */
async function* edited(source: Readable, edit: Transform): AsyncGenerator<Buffer> {
  yield* pipeline(source, edit, () => undefined) as AsyncIterable<Buffer>;
}

/**
 * One MySQL/MariaDB database as a SQL script that restores every value exactly. mariadb-dump writes
 * the definitions (ENUM and SET members it cannot print put right), but not the rows: it prints a
 * FLOAT with 6 significant digits. The rows are read here, in one START TRANSACTION WITH CONSISTENT
 * SNAPSHOT opened before anything else, a FLOAT as the digits of the DOUBLE that holds it exactly,
 * and written as INSERT statements; triggers come after the rows, so loading fires none.
 */
export async function startMySqlScript(
  sourceUrl: string,
  database: string,
  options: MySqlScriptOptions,
): Promise<RunningDump> {
  const consistentAt = new Date();
  const session = await MySqlSession.open(sourceUrl, database);
  let tables: CopiedTable[];
  let repairs: Awaited<ReturnType<typeof memberRepairs>>;
  try {
    for (const statement of MYSQL_CONSISTENT_SNAPSHOT_STATEMENTS) await session.query(statement);
    tables = await copiedTables(session, database);
    repairs = await memberRepairs(sourceUrl, database);
  } catch (error) {
    session.destroy();
    throw lasting(error, `reading the tables of ${database}`);
  }

  const login = mariadbClientLogin(sourceUrl);
  let dumping: DumpProcess | null = null;
  const definitions = (args: string[]): Readable => {
    dumping = runDumpProcess(
      'mariadb-dump',
      [...login.args, ...DEFINITIONS_ONLY, ...args, '--', database],
      login.env,
    );
    return dumping.output;
  };

  async function* script(): AsyncGenerator<Buffer> {
    const routines = options.routinesAndTriggers ? '--routines' : '--skip-routines';
    yield* edited(definitions(['--skip-triggers', routines]), repairingMembers(repairs));
    yield ROWS_HEADER;
    for (const table of tables) {
      try {
        yield* insertStatements(session, database, table);
      } catch (error) {
        throw lasting(error, `reading the rows of ${table.name}`);
      }
    }
    if (options.routinesAndTriggers)
      yield* definitions(['--no-create-info', '--skip-routines', '--triggers']);
    await session.commitQuietly();
  }

  let settle: (failure: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (failure) => (failure === undefined ? resolve() : reject(failure));
  });
  // Whoever awaits `finished` sees the failure; this only keeps it from counting as unhandled meanwhile.
  finished.catch(() => undefined);
  async function* settled(): AsyncGenerator<Buffer> {
    let failure: unknown = new DumpFailedError(`the dump of ${database} was stopped`);
    try {
      yield* script();
      failure = undefined;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // A script stopped mid-way may leave a read under way, which only dropping the connection ends.
      if (failure === undefined) await session.close();
      else session.destroy();
      settle(failure);
    }
  }

  const output = quietOnError(Readable.from(settled(), { objectMode: false }));
  return {
    output,
    consistentAt,
    finished,
    abort: () => {
      (dumping as DumpProcess | null)?.kill();
      session.destroy();
      output.destroy();
    },
  };
}
