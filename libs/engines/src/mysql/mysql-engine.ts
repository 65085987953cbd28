import { SourceConfig } from '@snapex/config';
import { SourceRefusal } from '../source-refusals';
import { mySqlRefusal } from './my-refusals';
import { ColumnarBatch } from '@snapex/parquet';
import { DatabaseEngine, PartitionReadRequest, PinnedReadPoint, ReadFailureKind } from '../engine';
import { classifyMySqlFailure } from './my-failures';
import { MySqlPartitionReader } from './my-partition-reader';
import { MySqlReadPoint } from './my-read-point';
import { MySqlSession } from './my-session';

const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'];

const DATABASES_SQL = `
  SELECT SCHEMA_NAME AS name
    FROM information_schema.SCHEMATA
   WHERE SCHEMA_NAME NOT IN (${SYSTEM_DATABASES.map(() => '?').join(', ')})
   ORDER BY SCHEMA_NAME`;

/** MySQL and MariaDB: a database is what other engines call a schema, so tables sit right in it. */
export class MySqlEngine implements DatabaseEngine {
  readonly engine = 'mysql' as const;
  readonly hasSchemas = false;

  async listDatabases(source: SourceConfig): Promise<string[]> {
    const session = await MySqlSession.open(source.url, null);
    try {
      const rows = await session.query<{ name: string }>(DATABASES_SQL, SYSTEM_DATABASES);
      const names = rows.map((row) => row.name);
      return source.databases ? names.filter((name) => source.databases!.includes(name)) : names;
    } finally {
      await session.close();
    }
  }

  pinReadPoint(source: SourceConfig, database: string): Promise<PinnedReadPoint> {
    return MySqlReadPoint.pin(source, database);
  }

  readPartition(source: SourceConfig, request: PartitionReadRequest): AsyncIterable<ColumnarBatch> {
    return new MySqlPartitionReader(source, request).batches();
  }

  classifyFailure(error: unknown): ReadFailureKind {
    return classifyMySqlFailure(error);
  }

  refusalOf(error: unknown): SourceRefusal | null {
    return mySqlRefusal(error);
  }
}
