import { PageCompression } from './page-codecs';
import { FooterEntries, PartColumn } from './part-encoder';

/** How one file is to be written: the worker thread builds the writer's properties from it. */
export interface WasmFileSettings {
  columns: readonly PartColumn[];
  rowGroupRows: number;
  /** The codec and level each page is compressed with. */
  compression: PageCompression;
}

/** Messages from the extractor's main thread to an encoder thread; each names the file it is about. */
export type ToEncoderThread =
  | { kind: 'open'; fileId: number; settings: WasmFileSettings }
  /**
   * One Arrow IPC stream holding one record batch; its buffer is transferred, not copied. The last
   * batch of a row group says so: the thread then encodes the row group.
   */
  | { kind: 'batch'; fileId: number; ipc: Uint8Array; endsRowGroup: boolean }
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
