import {
  Compression,
  Table as WasmTable,
  writeParquet,
  WriterProperties,
  WriterPropertiesBuilder,
  WriterVersion,
} from 'parquet-wasm';
import { declaredDecimals } from './declared-decimals';
import { release } from './garbage';
import { footerLogicalTypes } from './logical-types';
import { pageCodecFor } from './page-codecs';
import { ParquetAssembler } from './parquet-assembler';
import { joinIpcStreams } from './ipc-streams';
import { WasmFileSettings } from './parquet-wasm-protocol';
import { FooterEntries } from './part-encoder';

/**
 * Each row group is encoded uncompressed by parquet-wasm and then compressed page by page (page-codecs),
 * at a level that can be chosen (parquet-wasm 0.8.0 has gzip at level 6 only, and no zstd level).
 */
function writerProperties(settings: WasmFileSettings): WriterProperties {
  return (
    new WriterPropertiesBuilder()
      .setCompression(Compression.UNCOMPRESSED)
      // v1 pages are what every reader understands.
      .setWriterVersion(WriterVersion.V1)
      // The main thread cuts row groups; this only guards against one growing past its row count.
      .setMaxRowGroupSize(settings.rowGroupRows)
      // Mostly-distinct columns fill the dictionary, fall back, and end up ~45% larger than plain + gzip.
      .setDictionaryEnabled(false)
      .build()
  );
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
 * One Parquet file written inside an encoder thread: Arrow IPC batches go in, in order, gathered until
 * the main thread says their row group is complete; row groups are then encoded and compressed one at
 * a time, each handed to `output` as one chunk, the next only once that chunk is written. A batch is
 * `taken` once its row group is encoded, so the main thread can build the next row group meanwhile.
 * The footer, with every row group's metadata, is the last chunk.
 */
export class WasmFileWriter {
  /** Resolves once every byte, footer included, has been handed to the output. */
  readonly done: Promise<void>;
  private readonly building: Uint8Array[] = [];
  private readonly assembler: Promise<ParquetAssembler>;
  private work: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private finished!: () => void;

  constructor(
    private readonly settings: WasmFileSettings,
    private readonly output: WasmFileOutput,
  ) {
    this.assembler = pageCodecFor(settings.compression).then(
      (codec) =>
        new ParquetAssembler(codec, footerLogicalTypes(settings.columns), declaredDecimals(settings.columns)),
    );
    // A codec that cannot be loaded fails the first step that needs it.
    this.assembler.catch(() => undefined);
    this.done = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
  }

  add(ipc: Uint8Array, endsRowGroup: boolean): void {
    if (this.failure) return;
    this.building.push(ipc);
    if (endsRowGroup) this.writeRowGroup(this.building.splice(0));
  }

  end(entries: FooterEntries): void {
    if (this.building.length > 0) this.writeRowGroup(this.building.splice(0));
    this.then(async () => {
      await this.output.chunk(concatOwned((await this.assembler).finish(entries)));
      this.finished();
    });
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.building.length = 0;
    this.output.failed(error);
  }

  /** Runs `step` after the steps before it, unless the file has failed by then. */
  private then(step: () => Promise<void>): void {
    this.work = this.work
      .then(() => (this.failure ? undefined : step()))
      .catch((error: Error) => this.fail(error));
  }

  private writeRowGroup(batches: Uint8Array[]): void {
    this.then(async () => {
      const ipc = joinIpcStreams(batches);
      // writeParquet takes the table: its WebAssembly memory is freed once the file is written.
      const encoded = writeParquet(WasmTable.fromIPCStream(ipc), writerProperties(this.settings));
      const assembler = await this.assembler;
      const compressed = concatOwned(
        assembler.append(Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength)),
      );
      release(...batches, ipc, encoded);
      for (let taken = 0; taken < batches.length; taken++) this.output.taken();
      await this.output.chunk(compressed);
    });
  }
}

/**
 * The parts in one buffer of its own, which the encoder thread can transfer as it is: Buffer.concat
 * answers a view into a larger, untransferable buffer on current Node versions.
 */
function concatOwned(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}
