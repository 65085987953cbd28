import { ScratchServerConfig, SourceConfig } from '@snapex/config';
import { DatabaseDump, Engine } from '@snapex/contracts';
import { DumpFiles } from './dump-files';

/** One database on a scratch server. */
export interface ScratchTarget {
  server: ScratchServerConfig;
  database: string;
}

/** A dump this engine cannot restore (a format of another engine). */
export class UnrestorableDumpError extends Error {
  constructor(dump: DatabaseDump, engine: Engine) {
    super(`a ${dump.format} dump cannot be restored into ${engine}`);
    this.name = 'UnrestorableDumpError';
  }
}

/** Everything engine-specific about making and removing scratch copies, behind one interface. */
export interface ScratchEngine {
  readonly engine: Engine;
  /**
   * Whether a live export reads a clone rather than the source: true where one consistent point cannot
   * be shared by connections of separate processes (MySQL/MariaDB), false where it can (PostgreSQL).
   */
  readonly clonesLiveSources: boolean;
  /** Databases on the server whose names start with `prefix`. */
  listDatabases(server: ScratchServerConfig, prefix: string): Promise<string[]>;
  /** Drops the database if it exists and creates it empty. */
  recreateDatabase(target: ScratchTarget): Promise<void>;
  dropDatabase(target: ScratchTarget): Promise<void>;
  /** Restores one dump of a snapshot archive into an empty target; `signal` stops it mid-way. */
  restoreDump(
    dump: DatabaseDump,
    files: DumpFiles,
    target: ScratchTarget,
    signal: AbortSignal,
  ): Promise<void>;
  /** Copies one live database, as of one consistent point, into an empty target; `signal` stops it. */
  cloneDatabase(
    source: SourceConfig,
    database: string,
    target: ScratchTarget,
    signal: AbortSignal,
  ): Promise<void>;
}
