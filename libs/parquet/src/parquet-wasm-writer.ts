import { ReadableStream, ReadableStreamDefaultController } from 'node:stream/web';
import {
  Compression,
  RecordBatch as WasmRecordBatch,
  Table as WasmTable,
  transformParquetStream,
  WriterProperties,
  WriterPropertiesBuilder,
  WriterVersion,
} from 'parquet-wasm';
import { release } from './garbage';
import { WasmFileSettings } from './parquet-wasm-protocol';

/**
 * parquet-wasm 0.8.0 maps Compression.GZIP to the Rust crate's default level (6) and offers no way to
 * choose another.
 */
function writerProperties(settings: WasmFileSettings): WriterProperties {
  return (
    new WriterPropertiesBuilder()
      .setCompression(Compression.GZIP)
      // v1 pages are what every reader understands.
      .setWriterVersion(WriterVersion.V1)
      .setMaxRowGroupSize(settings.rowGroupRows)
      // The writer holds the row group being built in WebAssembly memory, which never shrinks.
      .setMaxRowGroupBytes(settings.maxRowGroupBytes)
      // Mostly-distinct columns fill the dictionary, fall back, and end up ~45% larger than plain + gzip.
      .setDictionaryEnabled(false)
      .build()
  );
}

function wasmBatchOf(ipc: Uint8Array): WasmRecordBatch {
  const table = WasmTable.fromIPCStream(ipc);
  try {
    const batch = table.recordBatch(0);
    if (!batch) throw new Error('the Arrow IPC stream held no record batch');
    return batch;
  } finally {
    table.free();
  }
}

/**
 * Hands record batches to the Parquet writer one at a time: push() resolves once the writer has
 * encoded the batch and asks for the next, which is how its back-pressure reaches the caller.
 */
class BatchFeed {
  readonly stream: ReadableStream<WasmRecordBatch>;
  private controller!: ReadableStreamDefaultController<WasmRecordBatch>;
  private requested = false;
  private waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;

  constructor() {
    this.stream = new ReadableStream<WasmRecordBatch>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => {
          this.requested = true;
          this.settle((waiting) => waiting.resolve());
        },
      },
      { highWaterMark: 0 },
    );
  }

  push(batch: WasmRecordBatch): Promise<void> {
    this.requested = false;
    this.controller.enqueue(batch);
    return new Promise((resolve, reject) => {
      if (this.requested) return resolve();
      this.waiting = { resolve, reject };
    });
  }

  end(): void {
    this.controller.close();
  }

  fail(error: Error): void {
    try {
      this.controller.error(error);
    } catch {
      // Already closed or errored: nothing waits on it any more.
    }
    this.settle((waiting) => waiting.reject(error));
  }

  private settle(how: (waiting: { resolve: () => void; reject: (error: Error) => void }) => void): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) how(waiting);
  }
}

export interface WasmFileOutput {
  /** Resolves once the chunk is in the file's output and the next may come. */
  chunk(bytes: Uint8Array): Promise<void>;
  /** The writer has taken one batch. */
  taken(): void;
  /** The file cannot be completed; called once. */
  failed(error: Error): void;
}

/**
 * One Parquet file written by parquet-wasm inside an encoder thread: Arrow IPC batches go in one at a
 * time, in the order they came, and the encoded bytes come out through `output`, one chunk at a time.
 */
export class WasmFileWriter {
  /** Resolves once every byte, footer included, has been handed to the output; never if the file fails. */
  readonly done: Promise<void>;
  private readonly feed = new BatchFeed();
  private readonly waiting: Uint8Array[] = [];
  private feeding = false;
  private ending = false;
  private failure: Error | null = null;

  private started: ((parquet: Promise<ReadableStream<Uint8Array>>) => void) | null = null;

  constructor(
    private readonly settings: WasmFileSettings,
    private readonly output: WasmFileOutput,
  ) {
    this.done = new Promise<Promise<ReadableStream<Uint8Array>>>((resolve) => {
      this.started = resolve;
    }).then((parquet) => this.pump(parquet));
    // A failure reaches the output through failed(), once.
    this.done.catch(() => undefined);
  }

  add(ipc: Uint8Array): void {
    if (this.failure) return;
    this.waiting.push(ipc);
    void this.feedWaiting();
  }

  end(): void {
    this.ending = true;
    void this.feedWaiting();
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.waiting.length = 0;
    this.feed.fail(error);
    this.output.failed(error);
  }

  private async feedWaiting(): Promise<void> {
    if (this.feeding || this.failure) return;
    this.feeding = true;
    try {
      for (let ipc = this.waiting.shift(); ipc; ipc = this.waiting.shift()) {
        const batch = wasmBatchOf(ipc);
        release(ipc);
        this.start();
        await this.feed.push(batch);
        this.output.taken();
      }
      if (this.ending && !this.failure) this.feed.end();
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.feeding = false;
    }
  }

  /**
   * The writer starts with the first batch (it learns the schema from it), so a file abandoned before
   * any never has a writer to stop: a writer whose input fails before its first batch fails inside
   * parquet-wasm, where nothing can catch it.
   */
  private start(): void {
    const started = this.started;
    this.started = null;
    started?.(transformParquetStream(this.feed.stream, writerProperties(this.settings)));
  }

  private async pump(parquet: Promise<ReadableStream<Uint8Array>>): Promise<void> {
    const reader = (await parquet).getReader();
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        await this.output.chunk(chunk.value);
      }
    } catch (error) {
      // Before cancelling: the writer goes on to ask for batches once its output is gone.
      this.fail(error as Error);
      await reader.cancel(error).catch(() => undefined);
      throw error;
    }
    if (this.failure) throw this.failure;
  }
}
