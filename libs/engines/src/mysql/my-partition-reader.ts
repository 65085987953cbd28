import { SourceConfig } from '@snapex/config';
import { ExportRow, PartitionReadRequest } from '../engine';
import { rowSizeCheck } from '../read-limits';
import { MySqlSession, MySqlValue } from './my-session';
import { CONSISTENT_SNAPSHOT_STATEMENTS, partitionSelect } from './my-sql';
import { mySqlRowDecoderFor } from './my-values';
import { rowBatches } from './row-batches';

/**
 * Streams one partition in its own consistent-snapshot transaction, batch by batch. The rows come
 * through mysql2's text protocol stream, the fastest of the readers measured (see the README).
 */
export class MySqlPartitionReader {
  constructor(
    private readonly source: SourceConfig,
    private readonly request: PartitionReadRequest,
  ) {}

  async *batches(): AsyncGenerator<ExportRow[]> {
    const { request } = this;
    const { nulledValues } = request;
    const decodeRow = mySqlRowDecoderFor(
      request.columns.map((column) => column.decoder),
      (index, reason) => nulledValues?.add(request.columns[index].name, reason),
    );
    const checkSize = rowSizeCheck(
      request.limits,
      request.columns.map((column) => column.name),
    );
    const select = partitionSelect(request.database, request.table, request.columns, request.range);
    const session = await MySqlSession.open(this.source.url, request.database);
    let finished = false;
    try {
      for (const statement of CONSISTENT_SNAPSHOT_STATEMENTS) await session.query(statement);
      const rows = session.stream(select, request.batchRows);
      for await (const batch of rowBatches<MySqlValue[]>(rows, request.batchRows)) {
        const decoded = batch.map(decodeRow);
        decoded.forEach(checkSize);
        yield decoded;
      }
      finished = true;
    } finally {
      // A consumer that stops early (or a failure) leaves the query mid-stream: dropping the
      // connection ends it on the server, where waiting for the rest would read the whole partition.
      if (finished) {
        await session.commitQuietly();
        await session.close();
      } else {
        session.destroy();
      }
    }
  }
}
