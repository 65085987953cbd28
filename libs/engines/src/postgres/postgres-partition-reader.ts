import { SourceConfig } from '@snapex/config';
import { ExportRow, PartitionReadRequest } from '../engine';
import { PgSession } from './pg-session';
import { partitionSelect, setSnapshotStatement, TEXT_OUTPUT_SETTINGS } from './sql';
import { rowDecoderFor } from './text-decoders';

/** Reads one partition at the pinned read point through a server-side cursor, batch by batch. */
export class PostgresPartitionReader {
  constructor(
    private readonly source: SourceConfig,
    private readonly request: PartitionReadRequest,
  ) {}

  async *batches(): AsyncGenerator<ExportRow[]> {
    const { request } = this;
    const decodeRow = rowDecoderFor(request.columns.map((column) => column.decoder));
    const select = partitionSelect(
      request.schema,
      request.table,
      request.columns.map((column) => column.name),
      request.range,
    );
    const session = await PgSession.open(this.source.url, request.database, 'snapex-extractor');
    try {
      await this.beginAtReadPoint(session);
      const cursor = session.textCursor(select.text, select.values);
      try {
        let rows = await cursor.read(request.batchRows);
        while (rows.length > 0) {
          yield rows.map(decodeRow);
          rows = await cursor.read(request.batchRows);
        }
      } finally {
        await cursor.close().catch(() => undefined);
      }
    } finally {
      // Also reached when the consumer stops iterating early.
      await session.commitQuietly();
      await session.close();
    }
  }

  private async beginAtReadPoint(session: PgSession): Promise<void> {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    if (this.request.snapshotId !== null) await session.query(setSnapshotStatement(this.request.snapshotId));
    await session.query(TEXT_OUTPUT_SETTINGS);
  }
}
