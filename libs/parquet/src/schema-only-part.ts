import {
  Compression,
  Table as WasmTable,
  writeParquet,
  WriterPropertiesBuilder,
  WriterVersion,
} from 'parquet-wasm';
import { arrowSchemaFor, ipcStreamOf, recordBatchOf } from './arrow-batch';
import { PartColumn } from './part-encoder';

/**
 * A gzip Parquet file of these columns and no rows, the Arrow schema every part of the table has:
 * an empty table's folder holds one so that readers see its columns.
 */
export function schemaOnlyPart(columns: readonly PartColumn[]): Uint8Array {
  const schema = arrowSchemaFor(columns);
  const ipc = ipcStreamOf(recordBatchOf(schema, columns, []));
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.GZIP)
    .setWriterVersion(WriterVersion.V1)
    .build();
  return writeParquet(WasmTable.fromIPCStream(ipc), properties);
}
