import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { RecordBatch, Schema } from 'apache-arrow';
import { arrowSchemaFor, ipcStreamOf, recordBatchOf, recordBatchOfColumns } from './arrow-batch';
import { ColumnarBatch } from './columnar-batch';
import { EncoderThreads, FileChannel } from './encoder-threads';
import { DroppedBytes } from './garbage';
import { PageCompression } from './page-codecs';
import { footerRowCount, TailBytes } from './parquet-footer';
import { PageWriterName, ThreadBatch } from './parquet-wasm-protocol';
import { plainPagesCanWrite, wireBatchOf } from './plain-columns';
import {
  FooterEntries,
  OpenPartEncoder,
  PartBatch,
  PartColumn,
  PartEncoder,
  PartEncoderOptions,
  PartStats,
} from './part-encoder';

export interface ParquetWasmTuning {
  /** Encoder threads of the process. */
  threads: number;
  /** A row group is cut at this size even before rowGroupRows rows: it is held in WebAssembly memory. */
  maxRowGroupBytes: number;
  /** Rows are sent to the encoder thread in Arrow batches of about this size. */
  maxBatchBytes: number;
  /**
   * Arrow bytes one file may have sent that its thread has not encoded yet: two row groups' worth lets
   * this thread build the next row group while the encoder thread encodes the last.
   */
  maxBytesInFlight: number;
  /** zlib level (1-9) of gzip pages, for files whose compression names no level. */
  gzipLevel: number;
  /** zstd level (1-22) of zstd pages, for files whose compression names no level. */
  zstdLevel: number;
  /** Who writes the pages of files whose columns it can write (parquet-wasm writes the others). */
  pages: PageWriterName;
}

export const DEFAULT_PARQUET_WASM_TUNING: ParquetWasmTuning = {
  threads: availableParallelism(),
  maxRowGroupBytes: 128 * 1024 * 1024,
  maxBatchBytes: 8 * 1024 * 1024,
  maxBytesInFlight: 2 * 128 * 1024 * 1024,
  gzipLevel: 1,
  zstdLevel: 3,
  pages: 'plain',
};

/** The file's codec with its level: the one asked for, else the tuning's for that codec. */
export function pageCompressionOf(
  compression: PartEncoderOptions['compression'],
  tuning: Pick<ParquetWasmTuning, 'gzipLevel' | 'zstdLevel'>,
): PageCompression {
  const codec = compression?.codec ?? 'gzip';
  const level = compression?.level ?? (codec === 'zstd' ? tuning.zstdLevel : tuning.gzipLevel);
  return { codec, level };
}

/**
 * The footer must be among the last bytes kept to be checked: 2 MiB holds the footer of a 1 GiB file
 * of 4 MiB row groups with about a hundred columns.
 */
export const FOOTER_TAIL_BYTES = 2 * 1024 * 1024;

/** Shared by every file of the process: what matters is how much this thread has dropped. */
const droppedBatches = new DroppedBytes(4 * 1024 * 1024);

/** The first batch of a file is cut at this many rows, before its row width is known. */
const FIRST_BATCH_ROWS = 1000;

/** The writer closed the file, but its footer does not count the rows it was given. */
export class FooterMismatchError extends Error {
  constructor(written: number, declared: number) {
    super(`the Parquet footer declares ${declared} rows but ${written} were written`);
    this.name = 'FooterMismatchError';
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

/** A promise settled from outside, by the messages of the encoder thread. */
class Signal {
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (error: Error) => void;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Whoever awaits it sees the failure; nobody may be waiting yet.
    this.promise.catch(() => undefined);
  }
}

/**
 * Cuts rows into batches of about maxBatchBytes of Arrow data, learning the width of a row from the
 * batches already built.
 */
class BatchSizer {
  private rowsPerBatch = FIRST_BATCH_ROWS;

  constructor(private readonly maxBatchBytes: number) {}

  next(available: number): number {
    return Math.max(1, Math.min(available, this.rowsPerBatch));
  }

  learn(rows: number, bytes: number): void {
    if (rows === 0 || bytes === 0) return;
    this.rowsPerBatch = Math.max(1, Math.floor((this.maxBatchBytes * rows) / bytes));
  }
}

/**
 * PartEncoder run in an encoder thread, the file's schema and footer entries parquet-wasm's (Rust's
 * arrow/parquet crates in WebAssembly): this thread builds each batch as Arrow data, cuts row groups
 * (rowGroupRows rows, or fewer once their data reaches maxRowGroupBytes) and transfers the batches to
 * the thread that owns the file, which encodes each row group (data pages v1: PLAIN pages of its own
 * from the columns' buffers, or parquet-wasm's from Arrow IPC) and transfers its bytes back to be
 * written to the output with its back-pressure. Once closed, the file's footer must count the rows
 * written.
 */
export class ParquetWasmPartEncoder implements PartEncoder {
  private rows = 0;
  private bytes = 0;
  private bytesInFlight = 0;
  /** Sizes of the batches sent and not yet taken, oldest first. */
  private readonly sizesInFlight: number[] = [];
  private rowGroupRows = 0;
  private rowGroupBytes = 0;
  private failure: Error | null = null;
  private room: Signal | null = null;
  private readonly closed = new Signal();
  private readonly tail = new TailBytes(FOOTER_TAIL_BYTES);
  private readonly schema: Schema;
  private readonly sizer: BatchSizer;
  private readonly channel: FileChannel;
  private readonly pages: PageWriterName;

  private constructor(
    threads: EncoderThreads,
    private readonly columns: readonly PartColumn[],
    private readonly output: Writable,
    private readonly options: PartEncoderOptions,
    private readonly tuning: ParquetWasmTuning,
  ) {
    this.schema = arrowSchemaFor(columns);
    this.sizer = new BatchSizer(tuning.maxBatchBytes);
    this.pages = tuning.pages === 'plain' && plainPagesCanWrite(columns) ? 'plain' : 'parquet-wasm';
    this.channel = threads.open(
      {
        columns,
        rowGroupRows: options.rowGroupRows,
        pages: this.pages,
        compression: pageCompressionOf(options.compression, tuning),
      },
      {
        taken: () => this.taken(),
        chunk: (bytes) => this.chunk(bytes),
        closed: () => this.closed.resolve(),
        failed: (error) => this.stop(error),
      },
    );
    // An output abandoned while the writer waits for rows must still stop it: it holds a row group.
    output.once('close', () => {
      if (!this.output.writableFinished)
        this.stop(output.errored ?? new Error('the part output was closed before the file was complete'));
    });
  }

  static open(
    threads: EncoderThreads,
    columns: readonly PartColumn[],
    output: Writable,
    options: PartEncoderOptions,
    tuning: ParquetWasmTuning,
  ): Promise<ParquetWasmPartEncoder> {
    if (columns.length === 0)
      return Promise.reject(new RangeError('a Parquet file needs at least one column'));
    return Promise.resolve(new ParquetWasmPartEncoder(threads, columns, output, options, tuning));
  }

  async write(batch: PartBatch): Promise<void> {
    if (batch instanceof ColumnarBatch) return this.writeArrow(this.arrowOrStop(batch));
    for (let start = 0; start < batch.length;) {
      const count = Math.min(this.sizer.next(batch.length - start), this.rowGroupRoom());
      const rows = batch.slice(start, start + count);
      const arrow = this.arrowOrStop(rows);
      this.sizer.learn(rows.length, await this.send(arrow));
      start += count;
    }
  }

  stats(): PartStats {
    return { rows: this.rows, bytes: this.bytes };
  }

  async close(entries: FooterEntries = {}): Promise<PartStats> {
    this.throwIfFailed();
    // The writer learns the schema from the first batch: an empty one still gives a file with no row groups.
    if (this.rows === 0) await this.send(this.arrowOrStop([]));
    this.channel.close(entries);
    await this.closed.promise;
    await ended(this.output);
    const declared = footerRowCount(this.tail.bytes());
    if (declared !== this.rows) throw new FooterMismatchError(this.rows, declared);
    return this.stats();
  }

  /** A batch already in Arrow form, cut where row groups end. */
  private async writeArrow(batch: RecordBatch): Promise<void> {
    for (let start = 0; start < batch.numRows;) {
      const count = Math.min(batch.numRows - start, this.rowGroupRoom());
      await this.send(count === batch.numRows ? batch : batch.slice(start, start + count));
      start += count;
    }
  }

  private rowGroupRoom(): number {
    return this.options.rowGroupRows - this.rowGroupRows;
  }

  /** Sends one Arrow batch to the encoder thread once there is room for it; returns its IPC size. */
  private async send(batch: RecordBatch): Promise<number> {
    this.throwIfFailed();
    while (this.bytesInFlight >= this.tuning.maxBytesInFlight) {
      this.room ??= new Signal();
      await this.room.promise;
      this.throwIfFailed();
    }
    const { sent, transfer, bytes } = this.packed(batch);
    this.bytesInFlight += bytes;
    this.sizesInFlight.push(bytes);
    this.channel.batch(sent, transfer, this.endsRowGroup(batch.numRows, bytes));
    this.rows += batch.numRows;
    // The batch's own buffers, now copied into those that went to the thread.
    droppedBatches.add(bytes);
    return bytes;
  }

  /** The batch as the file's page writer takes it, in buffers of its own. */
  private packed(batch: RecordBatch): { sent: ThreadBatch; transfer: ArrayBuffer[]; bytes: number } {
    if (this.pages === 'plain') {
      const wire = wireBatchOf(batch);
      return { sent: { wire }, transfer: [wire.buffer], bytes: wire.buffer.byteLength };
    }
    const ipc = ipcStreamOf(batch);
    return { sent: { ipc }, transfer: [ipc.buffer as ArrayBuffer], bytes: ipc.byteLength };
  }

  /** Counts the batch into the row group; true when the row group is then complete, and starts the next. */
  private endsRowGroup(rows: number, bytes: number): boolean {
    this.rowGroupRows += rows;
    this.rowGroupBytes += bytes;
    const complete =
      this.rowGroupRows >= this.options.rowGroupRows || this.rowGroupBytes >= this.tuning.maxRowGroupBytes;
    if (complete) {
      this.rowGroupRows = 0;
      this.rowGroupBytes = 0;
    }
    return complete;
  }

  /** Rows the file cannot hold end it: the writer waiting for them would otherwise hold its row group. */
  private arrowOrStop(batch: PartBatch): RecordBatch {
    try {
      return batch instanceof ColumnarBatch
        ? recordBatchOfColumns(this.schema, this.columns, batch)
        : recordBatchOf(this.schema, this.columns, batch);
    } catch (error) {
      this.stop(error as Error);
      throw error;
    }
  }

  private taken(): void {
    this.bytesInFlight -= this.sizesInFlight.shift() ?? 0;
    this.wake();
  }

  private chunk(bytes: Uint8Array): void {
    if (this.failure) return;
    this.tail.push(bytes);
    this.bytes += bytes.byteLength;
    const written = () => this.channel.chunkWritten();
    if (this.output.write(bytes)) return written();
    drained(this.output).then(written, (error: Error) => this.stop(error));
  }

  private stop(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.channel.abort();
    this.closed.reject(error);
    this.wake();
  }

  private wake(): void {
    const room = this.room;
    this.room = null;
    room?.resolve();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/** Opens parquet-wasm part files on the given threads. */
export function parquetWasmEncoder(
  threads: EncoderThreads,
  tuning: ParquetWasmTuning = DEFAULT_PARQUET_WASM_TUNING,
): OpenPartEncoder {
  return (columns, output, options) => ParquetWasmPartEncoder.open(threads, columns, output, options, tuning);
}

let sharedThreads: EncoderThreads | null = null;

/** parquet-wasm with the default tuning, on threads shared by every file of the process. */
export const openParquetWasmPart: OpenPartEncoder = (columns, output, options) => {
  sharedThreads ??= new EncoderThreads(DEFAULT_PARQUET_WASM_TUNING.threads);
  return parquetWasmEncoder(sharedThreads)(columns, output, options);
};
