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
import { PageCodec, pageCodecFor } from './page-codecs';
import { ParquetAssembler } from './parquet-assembler';
import { joinIpcStreams } from './ipc-streams';
import { ThreadBatch, WasmFileSettings } from './parquet-wasm-protocol';
import { FooterEntries } from './part-encoder';
import { columnLayoutOf, encodeRowGroup } from './plain-row-group';
import { schemaOnlyPart } from './schema-only-part';
import { fileMetaDataOf, topLevelElements } from './parquet-thrift';

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

/** Turns one row group's batches into the file's next bytes, through the file's assembler. */
interface RowGroupWriter {
  write(batches: readonly ThreadBatch[]): Buffer[];
}

class UnexpectedBatchError extends TypeError {
  constructor(expected: string) {
    super(`the encoder thread was sent a batch that is not ${expected}`);
    this.name = 'UnexpectedBatchError';
  }
}

/** parquet-wasm encodes the row group uncompressed; the assembler compresses its pages. */
function parquetWasmRowGroups(settings: WasmFileSettings, assembler: ParquetAssembler): RowGroupWriter {
  return {
    write: (batches) => {
      const streams = batches.map((batch) => {
        if (!('ipc' in batch)) throw new UnexpectedBatchError('Arrow IPC');
        return batch.ipc;
      });
      const ipc = joinIpcStreams(streams);
      // writeParquet takes the table: its WebAssembly memory is freed once the file is written.
      const encoded = writeParquet(WasmTable.fromIPCStream(ipc), writerProperties(settings));
      const bytes = assembler.append(Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength));
      release(...streams, ipc, encoded);
      return bytes;
    },
  };
}

/**
 * PLAIN pages written straight from the columns' buffers, compressed as they are made; the schema and
 * the writer's footer entries are parquet-wasm's, from a file of the same columns and no rows.
 */
function plainRowGroups(
  settings: WasmFileSettings,
  assembler: ParquetAssembler,
  codec: PageCodec,
): RowGroupWriter {
  const template = Buffer.from(schemaOnlyPart(settings.columns));
  assembler.adoptSchemaOf(template);
  const layouts = topLevelElements(fileMetaDataOf(template).schema).map(columnLayoutOf);
  return {
    write: (batches) => {
      const wire = batches.map((batch) => {
        if (!('wire' in batch)) throw new UnexpectedBatchError('columns');
        return batch.wire;
      });
      const rows = wire.reduce((total, { columns }) => total + (columns[0]?.length ?? 0), 0);
      const bytes = assembler.appendEncoded(rows, encodeRowGroup(layouts, wire, codec));
      release(...wire.map(({ buffer }) => new Uint8Array(buffer)));
      return bytes;
    },
  };
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
 * One Parquet file written inside an encoder thread: batches go in, in order (Arrow IPC streams for
 * parquet-wasm, the columns' buffers for the plain page writer), gathered until the main thread says
 * their row group is complete; row groups are then encoded and compressed one at a time, each handed
 * to `output` as one chunk, the next only once that chunk is written. A batch is `taken` once its row
 * group is encoded, so the main thread can build the next row group meanwhile.
 * The footer, with every row group's metadata, is the last chunk.
 */
export class WasmFileWriter {
  /** Resolves once every byte, footer included, has been handed to the output. */
  readonly done: Promise<void>;
  private readonly building: ThreadBatch[] = [];
  private readonly assembler: Promise<{ assembler: ParquetAssembler; rowGroups: RowGroupWriter }>;
  private work: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private finished!: () => void;

  constructor(
    private readonly settings: WasmFileSettings,
    private readonly output: WasmFileOutput,
  ) {
    this.assembler = pageCodecFor(settings.compression).then((codec) => {
      const assembler = new ParquetAssembler(
        codec,
        footerLogicalTypes(settings.columns),
        declaredDecimals(settings.columns),
      );
      const rowGroups =
        settings.pages === 'plain'
          ? plainRowGroups(settings, assembler, codec)
          : parquetWasmRowGroups(settings, assembler);
      return { assembler, rowGroups };
    });
    // A codec that cannot be loaded fails the first step that needs it.
    this.assembler.catch(() => undefined);
    this.done = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
  }

  add(batch: ThreadBatch, endsRowGroup: boolean): void {
    if (this.failure) return;
    this.building.push(batch);
    if (endsRowGroup) this.writeRowGroup(this.building.splice(0));
  }

  end(entries: FooterEntries): void {
    if (this.building.length > 0) this.writeRowGroup(this.building.splice(0));
    this.then(async () => {
      await this.output.chunk(concatOwned((await this.assembler).assembler.finish(entries)));
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

  private writeRowGroup(batches: ThreadBatch[]): void {
    this.then(async () => {
      const { rowGroups } = await this.assembler;
      const compressed = concatOwned(rowGroups.write(batches));
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
