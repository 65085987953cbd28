import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EncoderThreads } from '@snapex/parquet';

/** What a test file that writes Parquet needs: a scratch folder, DuckDB to read files back, one encoder thread. */
export interface EncoderWorkspace {
  dir: string;
  duck: DuckDBConnection;
  threads: EncoderThreads;
}

/** Set up before the file's tests and taken down after them. */
export function encoderWorkspace(prefix: string): EncoderWorkspace {
  const workspace = {} as EncoderWorkspace;
  beforeAll(async () => {
    workspace.dir = await mkdtemp(join(tmpdir(), prefix));
    workspace.duck = await (await DuckDBInstance.create(':memory:')).connect();
    workspace.threads = new EncoderThreads(1);
  });
  afterAll(async () => {
    workspace.duck?.closeSync();
    await workspace.threads?.terminate();
    if (workspace.dir) await rm(workspace.dir, { recursive: true, force: true });
  });
  return workspace;
}
