import { Writable } from 'node:stream';
import {
  ReadableStream,
  ReadableStreamDefaultController,
  ReadableStreamDefaultReader,
} from 'node:stream/web';
import {
  Compression,
  RecordBatch as WasmRecordBatch,
  Table as WasmTable,
  transformParquetStream,
  WriterProperties,
  WriterPropertiesBuilder,
  WriterVersion,
} from 'parquet-wasm';
import { Schema } from 'apache-arrow';
import { arrowSchemaFor, ipcStreamOf, recordBatchOf } from './arrow-batch';
import {
  OpenPartEncoder,
  PartColumn,
  PartEncoder,
  PartEncoderOptions,
  PartRow,
  PartStats,
} from './part-encoder';

/**
 * A row group is cut at this size even before rowGroupRows rows: the writer holds the row group being
 * built in WebAssembly memory, which never shrinks and cannot pass 4 GiB, so wide rows must not grow it.
 */
const MAX_ROW_GROUP_BYTES = 128 * 1024 * 1024;

function writerProperties(options: PartEncoderOptions): WriterProperties {
  return (
    new WriterPropertiesBuilder()
      .setCompression(Compression.GZIP)
      // v1 pages are what every reader understands.
      .setWriterVersion(WriterVersion.V1)
      .setMaxRowGroupSize(options.rowGroupRows)
      .setMaxRowGroupBytes(MAX_ROW_GROUP_BYTES)
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
    this.controller.error(error);
    this.settle((waiting) => waiting.reject(error));
  }

  private settle(how: (waiting: { resolve: () => void; reject: (error: Error) => void }) => void): void {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) how(waiting);
  }
}

/** Waits until the output takes more bytes; fails if it is destroyed instead. */
function drained(output: Writable): Promise<void> {
  if (output.destroyed) return Promise.reject(output.errored ?? new Error('the part output was closed'));
  return new Promise((resolve, reject) => {
    const settle = (error?: Error | null) => {
      output.off('drain', settle);
      output.off('close', settle);
      output.off('error', settle);
      if (error || output.destroyed)
        reject(error ?? output.errored ?? new Error('the part output was closed'));
      else resolve();
    };
    output.on('drain', settle);
    output.on('close', settle);
    output.on('error', settle);
  });
}

function ended(output: Writable): Promise<void> {
  return new Promise((resolve, reject) =>
    output.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Copies the writer's bytes to the output, waiting for 'drain' whenever the output is full. */
class OutputPump {
  bytes = 0;
  readonly done: Promise<void>;
  private ended = false;

  constructor(
    parquet: Promise<ReadableStream<Uint8Array>>,
    private readonly output: Writable,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.done = this.run(parquet);
    // Failures reach the encoder through onFailure; no caller may be waiting on `done` yet.
    this.done.catch(() => undefined);
    // An output abandoned while the writer waits for rows must still stop it: it holds a row group.
    output.once('close', () => {
      if (!this.ended)
        onFailure(output.errored ?? new Error('the part output was closed before the file was complete'));
    });
  }

  private async run(parquet: Promise<ReadableStream<Uint8Array>>): Promise<void> {
    let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
    try {
      reader = (await parquet).getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        this.bytes += chunk.value.byteLength;
        if (!this.output.write(chunk.value)) await drained(this.output);
      }
      await ended(this.output);
      this.ended = true;
    } catch (error) {
      // Before cancelling: the writer goes on to ask for batches once its output is gone.
      this.onFailure(error as Error);
      await reader?.cancel(error).catch(() => undefined);
      throw error;
    }
  }
}

/**
 * PartEncoder on parquet-wasm (Rust's arrow/parquet crates in WebAssembly): each write() becomes one
 * Arrow record batch built column by column; the writer cuts row groups of rowGroupRows rows, gzip,
 * data pages v1, and streams each finished row group to the output.
 */
export class ParquetWasmPartEncoder implements PartEncoder {
  private rows = 0;
  private readonly schema: Schema;
  private readonly feed = new BatchFeed();
  private readonly pump: OutputPump;
  private failure: Error | null = null;

  private constructor(
    private readonly columns: readonly PartColumn[],
    output: Writable,
    options: PartEncoderOptions,
  ) {
    this.schema = arrowSchemaFor(columns);
    // Resolves only once the first batch arrives, so it is not awaited here.
    const parquet = transformParquetStream(this.feed.stream, writerProperties(options)) as Promise<
      ReadableStream<Uint8Array>
    >;
    this.pump = new OutputPump(parquet, output, (error) => this.stop(error));
  }

  static open(
    columns: readonly PartColumn[],
    output: Writable,
    options: PartEncoderOptions,
  ): Promise<ParquetWasmPartEncoder> {
    if (columns.length === 0)
      return Promise.reject(new RangeError('a Parquet file needs at least one column'));
    return Promise.resolve(new ParquetWasmPartEncoder(columns, output, options));
  }

  async write(rows: readonly PartRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.throwIfFailed();
    await this.push(rows);
    this.rows += rows.length;
  }

  stats(): PartStats {
    return { rows: this.rows, bytes: this.pump.bytes };
  }

  async close(): Promise<PartStats> {
    this.throwIfFailed();
    // The writer learns the schema from the first batch: an empty one still gives a file with no row groups.
    if (this.rows === 0) await this.push([]);
    this.feed.end();
    await this.pump.done;
    return this.stats();
  }

  private async push(rows: readonly PartRow[]): Promise<void> {
    const batch = this.wasmBatchOrStop(rows);
    await Promise.race([this.feed.push(batch), this.pump.done.then(() => this.throwIfFailed())]);
    this.throwIfFailed();
  }

  /** Rows the file cannot hold end it: the writer waiting for them would otherwise hold its row group. */
  private wasmBatchOrStop(rows: readonly PartRow[]): WasmRecordBatch {
    try {
      return wasmBatchOf(ipcStreamOf(recordBatchOf(this.schema, this.columns, rows)));
    } catch (error) {
      this.stop(error as Error);
      throw error;
    }
  }

  private stop(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.feed.fail(error);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

export const openParquetWasmPart: OpenPartEncoder = (columns, output, options) =>
  ParquetWasmPartEncoder.open(columns, output, options);
