import { SourceConfig } from '@snapex/config';
import { DumpFormat } from '@snapex/contracts';
import { Readable } from 'node:stream';

/** One database's dump while it runs. */
export interface RunningDump {
  /** The dump's bytes, as they are to be stored. */
  output: Readable;
  /** When the data of the dump is from: its consistent point (or just before it). */
  consistentAt: Date;
  /** Settles when the dump has ended; rejected if it failed. */
  finished: Promise<void>;
  /** Stops the dump, e.g. when storing it failed. */
  abort(): void;
}

/** What differs between engines in taking a snapshot: the databases and the tool that dumps one. */
export interface DumpTool {
  readonly format: DumpFormat;
  /** Ending of the object key of one database's dump. */
  readonly extension: string;
  listDatabases(source: SourceConfig): Promise<string[]>;
  start(source: SourceConfig, database: string): Promise<RunningDump>;
}

/** A source URL pointed at one database, and the password taken out of it to travel in the environment. */
export function connectionOf(sourceUrl: string, database: string): { url: URL; password: string } {
  const url = new URL(sourceUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  url.pathname = `/${encodeURIComponent(database)}`;
  return { url, password };
}
