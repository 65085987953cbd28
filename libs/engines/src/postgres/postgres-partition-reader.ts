import { Readable } from 'node:stream';
import { SourceConfig } from '@snapex/config';
import { ColumnarBatch } from '@snapex/parquet';
import { PartitionReadRequest, ReadPointLostError } from '../engine';
import { errorCodeOf } from '../network-failures';
import { BinaryCopyParser } from './binary-copy-parser';
import { CopyBatchBuilder, selectExpressionFor } from './binary-values';
import { PgSession } from './pg-session';
import { partitionCopyStatement, setSnapshotStatement, TEXT_OUTPUT_SETTINGS } from './sql';

/** Where the request does not say: wide rows then come in smaller batches than batchRows. */
const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Rows of a binary COPY stream in columnar batches. The stream is read only while the consumer asks
 * for more, so at most one batch and one chunk are held; the rest waits in the server.
 */
async function* columnarBatches(
  stream: Readable,
  parser: BinaryCopyParser,
  builder: CopyBatchBuilder,
): AsyncGenerator<ColumnarBatch> {
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.push(chunk);
    while (parser.readRows()) yield builder.take();
  }
  parser.finish();
  if (builder.length > 0) yield builder.take();
}

/** Reads one partition at the pinned read point with `COPY (SELECT …) TO STDOUT (FORMAT binary)`. */
export class PostgresPartitionReader {
  constructor(
    private readonly source: SourceConfig,
    private readonly request: PartitionReadRequest,
  ) {}

  async *batches(): AsyncGenerator<ColumnarBatch> {
    const { request } = this;
    const builder = new CopyBatchBuilder(
      request.columns,
      request.batchRows,
      request.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
      (field) => request.nulledValues?.add(request.columns[field].name, 'NOT_REPRESENTABLE'),
    );
    const parser = new BinaryCopyParser(request.columns, request.limits, builder);
    const statement = partitionCopyStatement(
      request.schema,
      request.table,
      request.columns.map(selectExpressionFor),
      request.range,
    );
    const session = await PgSession.open(this.source.url, request.database, 'snapex-extractor');
    let copied = false;
    try {
      await this.beginAtReadPoint(session);
      yield* columnarBatches(session.copyOut(statement), parser, builder);
      copied = true;
    } finally {
      // A consumer that stops early leaves the COPY streaming; closing the session ends it.
      if (copied) await session.commitQuietly();
      await session.close();
    }
  }

  private async beginAtReadPoint(session: PgSession): Promise<void> {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    if (this.request.snapshotId !== null) await importSnapshot(session, this.request.snapshotId);
    await session.query(TEXT_OUTPUT_SETTINGS);
  }
}

/** PostgreSQL answers invalid_parameter_value for a snapshot whose exporting transaction has ended. */
const SNAPSHOT_GONE = '22023';

async function importSnapshot(session: PgSession, snapshotId: string): Promise<void> {
  try {
    await session.query(setSnapshotStatement(snapshotId));
  } catch (error) {
    if (errorCodeOf(error) === SNAPSHOT_GONE) throw new ReadPointLostError(snapshotId, { cause: error });
    throw error;
  }
}
