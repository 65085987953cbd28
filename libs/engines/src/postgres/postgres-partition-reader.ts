import { Readable } from 'node:stream';
import { SourceConfig } from '@snapex/config';
import { ExportRow, PartitionReadRequest } from '../engine';
import { BinaryCopyParser } from './binary-copy-parser';
import { binaryCopyFieldFor, selectExpressionFor } from './binary-values';
import { PgSession } from './pg-session';
import { partitionCopyStatement, setSnapshotStatement, TEXT_OUTPUT_SETTINGS } from './sql';

type ExportValue = ExportRow[number];

/**
 * Rows of a binary COPY stream in batches. The stream is read only while the consumer asks for
 * more, so at most one batch and one chunk are held; the rest waits in the server.
 */
async function* rowBatches(
  stream: Readable,
  parser: BinaryCopyParser<ExportValue>,
  batchRows: number,
): AsyncGenerator<ExportRow[]> {
  let batch: ExportRow[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.push(chunk);
    for (let row = parser.nextRow(); row !== undefined; row = parser.nextRow()) {
      batch.push(row);
      if (batch.length === batchRows) {
        yield batch;
        batch = [];
      }
    }
  }
  parser.finish();
  if (batch.length > 0) yield batch;
}

/** Reads one partition at the pinned read point with `COPY (SELECT …) TO STDOUT (FORMAT binary)`. */
export class PostgresPartitionReader {
  constructor(
    private readonly source: SourceConfig,
    private readonly request: PartitionReadRequest,
  ) {}

  async *batches(): AsyncGenerator<ExportRow[]> {
    const { request } = this;
    const parser = new BinaryCopyParser(request.columns.map(binaryCopyFieldFor), request.limits);
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
      yield* rowBatches(session.copyOut(statement), parser, request.batchRows);
      copied = true;
    } finally {
      // A consumer that stops early leaves the COPY streaming; closing the session ends it.
      if (copied) await session.commitQuietly();
      await session.close();
    }
  }

  private async beginAtReadPoint(session: PgSession): Promise<void> {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    if (this.request.snapshotId !== null) await session.query(setSnapshotStatement(this.request.snapshotId));
    await session.query(TEXT_OUTPUT_SETTINGS);
  }
}
