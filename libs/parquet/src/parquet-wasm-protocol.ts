import { PageCompression } from './page-codecs';
import { FooterEntries, PartColumn } from './part-encoder';
import { WireBatch } from './plain-columns';

/**
 * Who writes a file's pages: parquet-wasm from Arrow IPC batches, or the plain page writer from the
 * columns' own buffers (every column but LIST).
 */
export type PageWriterName = 'parquet-wasm' | 'plain';

/** One batch of rows as the file's page writer takes it. */
export type ThreadBatch = { ipc: Uint8Array } | { wire: WireBatch };

/** How one file is to be written: the worker thread builds the writer's properties from it. */
export interface WasmFileSettings {
  columns: readonly PartColumn[];
  rowGroupRows: number;
  pages: PageWriterName;
  /** The codec and level each page is compressed with. */
  compression: PageCompression;
}

/** Messages from the extractor's main thread to an encoder thread; each names the file it is about. */
export type ToEncoderThread =
  | { kind: 'open'; fileId: number; settings: WasmFileSettings }
  /**
   * One batch (an Arrow IPC stream holding one record batch, or the columns' buffers); its buffers are
   * transferred, not copied. The last batch of a row group says so: the thread then encodes the row group.
   */
  | { kind: 'batch'; fileId: number; batch: ThreadBatch; endsRowGroup: boolean }
  /** The last chunk handed over is in the output: the thread may send the next. */
  | { kind: 'chunk-written'; fileId: number }
  | { kind: 'close'; fileId: number; entries: FooterEntries }
  | { kind: 'abort'; fileId: number };

/** Messages from an encoder thread back to the main thread. */
export type FromEncoderThread =
  /** The writer has encoded one batch and asks for the next. */
  | { kind: 'taken'; fileId: number }
  /** Encoded Parquet bytes, transferred. */
  | { kind: 'chunk'; fileId: number; chunk: Uint8Array }
  /** Every byte of the file, footer included, has been handed over. */
  | { kind: 'closed'; fileId: number }
  | { kind: 'failed'; fileId: number; name: string; message: string }
  /** The thread's WebAssembly memory, for the main thread's logs. */
  | { kind: 'memory'; wasmBytes: number };
