import { SourceConfig } from '@snapex/config';
import { SourceRefusal } from '../source-refusals';
import { postgresRefusal } from './refusals';
import { ColumnarBatch } from '@snapex/parquet';
import { DatabaseEngine, PartitionReadRequest, PinnedReadPoint, ReadFailureKind } from '../engine';
import { classifyPostgresFailure } from './failures';
import { PgSession } from './pg-session';
import { PostgresPartitionReader } from './postgres-partition-reader';
import { PostgresReadPoint } from './postgres-read-point';

const DATABASES_SQL = `
  SELECT datname AS name
    FROM pg_catalog.pg_database
   WHERE NOT datistemplate AND datallowconn
   ORDER BY datname`;

export class PostgresEngine implements DatabaseEngine {
  readonly engine = 'postgres' as const;
  readonly hasSchemas = true;

  async listDatabases(source: SourceConfig): Promise<string[]> {
    const session = await PgSession.connect(source.url, 'snapex-catalog');
    try {
      const rows = await session.query<{ name: string }>(DATABASES_SQL);
      const names = rows.map((row) => row.name);
      return source.databases ? names.filter((name) => source.databases!.includes(name)) : names;
    } finally {
      await session.close();
    }
  }

  pinReadPoint(source: SourceConfig, database: string): Promise<PinnedReadPoint> {
    return PostgresReadPoint.pin(source, database);
  }

  readPartition(source: SourceConfig, request: PartitionReadRequest): AsyncIterable<ColumnarBatch> {
    return new PostgresPartitionReader(source, request).batches();
  }

  classifyFailure(error: unknown): ReadFailureKind {
    return classifyPostgresFailure(error);
  }

  refusalOf(error: unknown): SourceRefusal | null {
    return postgresRefusal(error);
  }
}
