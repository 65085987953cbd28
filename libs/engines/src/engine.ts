import {
  ColumnPlan,
  Engine,
  PartitionRange,
  PartitioningInfo,
  SingleWorkerReason,
  TypeMode,
} from '@snapex/contracts';
import { SourceConfig } from '@snapex/config';
import { ColumnarBatch, rowsOfBatch } from '@snapex/parquet';
import { NulledValues } from './nulled-values';
import { SourceRefusal } from './source-refusals';

/** A consistent read point held open in one database until release(). */
export interface PinnedReadPoint {
  readonly database: string;
  /** Token extractors use to read at the same point (PostgreSQL: pg_export_snapshot()). */
  readonly snapshotId: string | null;
  /** The instant the data is from (ExportTime). */
  readonly pinnedAt: Date;
  /** The tables and their columns' plans, mapped as `typeMode` says (`aws` when absent). */
  listTables(typeMode?: TypeMode): Promise<DiscoveredTable[]>;
  /** What the database holds besides its tables and does not export, so each can be reported. */
  listUnexportedObjects(): Promise<UnexportedObject[]>;
  /** Cuts a table into partitions of about targetBytes each, looking at the data at the pinned point. */
  planPartitions(table: DiscoveredTable, targetBytes: number): Promise<PartitionPlan>;
  release(): Promise<void>;
}

export interface DiscoveredTable {
  schema: string;
  table: string;
  columns: ColumnPlan[];
  /** Size on disk, used to size partitions and weigh progress. */
  estimatedBytes: number;
  /** `permanent`, `unlogged` or `temporary` (PostgreSQL relpersistence). */
  persistence: 'permanent' | 'unlogged' | 'temporary';
  /** Whether the export user may SELECT the table. */
  readable: boolean;
}

/**
 * Kinds of objects an export lists but does not read: views and materialized views (their rows come
 * from tables), sequences, foreign tables, and partitioned tables, whose rows are their partitions'.
 */
export type UnexportedObjectKind =
  'VIEW' | 'MATERIALIZED_VIEW' | 'SEQUENCE' | 'FOREIGN_TABLE' | 'PARTITIONED_TABLE';

export interface UnexportedObject {
  schema: string;
  name: string;
  kind: UnexportedObjectKind;
  /** A partitioned table's leaf partitions, the tables its rows are exported in; empty for other kinds. */
  partitions: { schema: string; table: string }[];
}

export interface PartitionPlan {
  /** One entry per partition; null range means the whole table. */
  ranges: (PartitionRange | null)[];
  info: PartitioningInfo;
  /**
   * Set when a table large enough to cut has nothing to cut it by, so one worker reads it all
   * (RDS announces such tables with RDS-EVENT-0486). Small tables read whole leave it unset.
   */
  singleWorkerReason?: SingleWorkerReason;
}

export interface PartitionReadRequest {
  database: string;
  snapshotId: string | null;
  schema: string;
  table: string;
  columns: ColumnPlan[];
  range: PartitionRange | null;
  /** Rows per batch; the caller checks for cancellation between batches. */
  batchRows: number;
  /**
   * A batch ends once its values reach about this many bytes, even before batchRows rows, where the
   * engine reads column by column (the extractor's memory plan sets it; 8 MiB when unset).
   */
  maxBatchBytes?: number;
  /** The seed's size rules, checked on every row as it is read. */
  limits: ReadLimits;
  /** Counts the values the engine writes as NULL though the source holds one, when given. */
  nulledValues?: NulledValues;
}

export interface ReadLimits {
  /** A row of this many bytes or more: RowTooLargeError (the table is skipped). */
  maxRowBytes: number;
  /** One value of this many bytes or more: ValueTooLargeError (the export fails). */
  maxValueBytes: number;
}

/** No size rule: for callers that read outside an export, such as tests and benchmarks. */
export const NO_READ_LIMITS: ReadLimits = {
  maxRowBytes: Number.POSITIVE_INFINITY,
  maxValueBytes: Number.POSITIVE_INFINITY,
};

/** A row at or over ReadLimits.maxRowBytes: its table is skipped, as the seed says of rows near 2 GB. */
export class RowTooLargeError extends Error {
  constructor(
    readonly rowBytes: number,
    readonly limit: number,
  ) {
    super(`a row of ${rowBytes} bytes reaches the ${limit}-byte row limit`);
    this.name = 'RowTooLargeError';
  }
}

/** One value at or over ReadLimits.maxValueBytes: the export fails, as the seed says of ~500 MB objects. */
export class ValueTooLargeError extends Error {
  constructor(
    readonly column: string,
    readonly valueBytes: number,
    readonly limit: number,
  ) {
    super(
      `a value of ${valueBytes} bytes in column ${JSON.stringify(column)} reaches the ${limit}-byte limit`,
    );
    this.name = 'ValueTooLargeError';
  }
}

/**
 * A row as the Parquet writer takes it, one value per column in ColumnPlan order, already in the
 * representation its parquetType calls for: number (INT32/INT16/FLOAT/DOUBLE), bigint (INT64;
 * TIMESTAMP_MICROS as microseconds since the epoch), boolean, string (STRING; DECIMAL as its exact
 * decimal text), Buffer (BINARY), or null.
 */
export type ExportRow = (number | bigint | boolean | string | Buffer | null)[];

/**
 * Rows as an engine reads them: an array of rows, or the same values column by column when the
 * engine can lay them out that way as it reads (PostgreSQL's binary COPY), which spares building a
 * JavaScript value for each.
 */
export type ExportBatch = ExportRow[] | ColumnarBatch;

/** The batch's rows, whichever way it holds them. */
export function rowsOf(batch: ExportBatch, columns: readonly ColumnPlan[]): ExportRow[] {
  return batch instanceof ColumnarBatch ? (rowsOfBatch(batch, columns) as ExportRow[]) : batch;
}

/**
 * What a failed read means: `transient` may pass on a later attempt (connection lost, server
 * restarting), `permanent` never will (privileges, a vanished snapshot or table), `unknown` is neither.
 */
export type ReadFailureKind = 'transient' | 'permanent' | 'unknown';

/** Everything that differs between PostgreSQL and MySQL, behind one interface. */
export interface DatabaseEngine {
  readonly engine: Engine;
  /** PostgreSQL has schemas inside databases; MySQL's databases are its schemas. */
  readonly hasSchemas: boolean;
  /** User databases of the source (templates and system databases left out; config may narrow it). */
  listDatabases(source: SourceConfig): Promise<string[]>;
  pinReadPoint(source: SourceConfig, database: string): Promise<PinnedReadPoint>;
  /** Streams one partition's rows at the pinned point, in batches; never the whole table in memory. */
  readPartition(source: SourceConfig, request: PartitionReadRequest): AsyncIterable<ExportBatch>;
  /** Reads this engine's errors (driver codes, SQLSTATEs) so callers need not know them. */
  classifyFailure(error: unknown): ReadFailureKind;
  /** What the source refused, when the error's code says (a refused connection is a SourceRefusedError). */
  refusalOf(error: unknown): SourceRefusal | null;
}

/**
 * The consistent point a partition is to be read at no longer exists: the session that pinned it
 * (the restorer's, for a live export) ended before every partition was read.
 */
export class ReadPointLostError extends Error {
  constructor(
    readonly snapshotId: string,
    options?: ErrorOptions,
  ) {
    super(`the read point ${snapshotId} no longer exists`, options);
    this.name = 'ReadPointLostError';
  }
}
