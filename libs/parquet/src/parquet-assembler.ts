import {
  copyOf,
  fileMetaDataOf,
  footerBytes,
  format,
  int64,
  numberOf,
  PARQUET_MAGIC,
  readThrift,
  topLevelElements,
  writeThrift,
} from './parquet-thrift';
import { PageCodec } from './page-codecs';
import { FooterEntries } from './part-encoder';
import type { EncodedChunk } from './plain-row-group';

/** A file given to the assembler was not written the way it expects. */
export class UnexpectedParquetError extends Error {
  constructor(message: string) {
    super(`cannot recompress the Parquet file: ${message}`);
    this.name = 'UnexpectedParquetError';
  }
}

interface ChunkPageIndex {
  chunk: format.ColumnChunk;
  /** Per-page statistics: compression does not change them, so their bytes are kept as they were. */
  columnIndex: Buffer | null;
  /** Where each data page now lies; null when the file had no offset index. */
  offsetIndex: format.OffsetIndex | null;
}

interface RecompressedPages {
  bytes: Buffer[];
  /** Headers and bodies as written. */
  compressedBytes: number;
  /** Headers as written and bodies before compression, as the format counts them. */
  uncompressedBytes: number;
  dataPageOffset: number | null;
  dictionaryPageOffset: number | null;
  /** The data pages' new places, for the offset index. */
  locations: format.PageLocation[];
}

/** The page's uncompressed bytes per value, from its header; undefined when it counts none. */
function valueBytesOf(header: format.PageHeader): number | undefined {
  const values =
    header.data_page_header?.num_values ??
    header.data_page_header_v2?.num_values ??
    header.dictionary_page_header?.num_values;
  return values ? header.uncompressed_page_size / values : undefined;
}

/** The first byte of a column chunk's pages: its dictionary page when it has one. */
function chunkStart(metadata: format.ColumnMetaData): number {
  const data = numberOf(metadata.data_page_offset);
  const dictionary = metadata.dictionary_page_offset;
  return dictionary === null || dictionary === undefined ? data : Math.min(data, numberOf(dictionary));
}

/** The writer's key-value metadata (parquet-wasm's ARROW:schema) with `entries` added. */
function withEntries(
  written: format.KeyValue[] | null | undefined,
  entries: FooterEntries,
): format.KeyValue[] | undefined {
  const added = Object.entries(entries).map(([key, value]) => new format.KeyValue({ key, value }));
  const kept = (written ?? []).filter((entry) => !Object.hasOwn(entries, entry.key));
  const all = [...kept, ...added];
  return all.length > 0 ? all : undefined;
}

/** Logical types set on the footer's schema elements of top-level columns, by column name. */
export type FooterLogicalTypes = ReadonlyMap<string, format.LogicalType>;

/**
 * One compressed Parquet file put together from uncompressed ones that share a schema: each appended
 * file's row groups are copied page by page, every page compressed on its own by the codec, and
 * their metadata moved to where the pages now lie (offsets, sizes, codec, offset index); statistics
 * and column indexes are kept as they were. The footer, written last, lists every row group.
 *
 * parquet-wasm compresses gzip inside WebAssembly at a fixed level 6; Node's zlib at level 1 does the
 * same pages more than twice as fast for a few percent more bytes (README, Performance).
 */
export class ParquetAssembler {
  private position = 0;
  private rows = 0;
  private template: format.FileMetaData | null = null;
  private readonly rowGroups: format.RowGroup[] = [];
  private readonly pageIndexes: ChunkPageIndex[] = [];

  constructor(
    private readonly codec: PageCodec,
    /** What the writer cannot annotate itself (UUID, JSON), put into the footer's schema. */
    private readonly logicalTypes: FooterLogicalTypes = new Map(),
    /** What the writer could not declare as the file should (declaredDecimals), put right last. */
    private readonly declare: ((metadata: format.FileMetaData) => void) | null = null,
  ) {}

  /** The next bytes of the file: the magic first, then the row groups of `file`, recompressed. */
  append(file: Buffer): Buffer[] {
    const metadata = fileMetaDataOf(file);
    this.template ??= metadata;
    const out: Buffer[] = [];
    if (this.position === 0) this.emit(out, PARQUET_MAGIC);
    for (const rowGroup of metadata.row_groups) this.appendRowGroup(file, rowGroup, out);
    return out;
  }

  /** Takes the schema and the writer's entries from `schemaFile`, a file of the same columns. */
  adoptSchemaOf(schemaFile: Buffer): void {
    this.template ??= fileMetaDataOf(schemaFile);
  }

  /** The next bytes of the file: the magic first, then one row group of pages already compressed. */
  appendEncoded(rows: number, chunks: readonly EncodedChunk[]): Buffer[] {
    const out: Buffer[] = [];
    if (this.position === 0) this.emit(out, PARQUET_MAGIC);
    // A file closed before any row has no row group, as parquet-wasm writes it.
    if (rows === 0) return out;
    const start = this.position;
    let compressed = 0;
    let uncompressed = 0;
    const columns = chunks.map((encoded) => {
      const placed = this.placeChunk(encoded, out);
      compressed += numberOf(placed.meta_data!.total_compressed_size);
      uncompressed += numberOf(placed.meta_data!.total_uncompressed_size);
      return placed;
    });
    const rowGroup = new format.RowGroup({
      columns: [],
      total_byte_size: int64(uncompressed),
      num_rows: int64(rows),
      file_offset: int64(start),
      total_compressed_size: int64(compressed),
      ordinal: this.rowGroups.length,
    });
    // Not through the constructor, which copies them: finish() sets their page index offsets later.
    rowGroup.columns = columns;
    this.rowGroups.push(rowGroup);
    this.rows += rows;
    return out;
  }

  /** Emits the chunk's pages where the file now ends and gives its metadata their offsets. */
  private placeChunk(
    { metadata, pages, columnIndex, pageUnencodedBytes }: EncodedChunk,
    out: Buffer[],
  ): format.ColumnChunk {
    const chunkOffset = this.position;
    let compressed = 0;
    let uncompressed = 0;
    const locations = pages.map((page) => {
      const location = new format.PageLocation({
        offset: int64(this.position),
        compressed_page_size: page.header.length + page.body.length,
        first_row_index: int64(page.firstRow),
      });
      this.emit(out, page.header);
      this.emit(out, page.body);
      compressed += page.header.length + page.body.length;
      uncompressed += page.uncompressedBytes;
      return location;
    });
    metadata.data_page_offset = int64(chunkOffset);
    metadata.total_compressed_size = int64(compressed);
    metadata.total_uncompressed_size = int64(uncompressed);
    const encodedIndex = columnIndex ? writeThrift(columnIndex) : null;
    const chunk = new format.ColumnChunk({
      file_offset: int64(chunkOffset),
      meta_data: metadata,
      column_index_length: encodedIndex?.length,
    });
    this.pageIndexes.push({
      chunk,
      columnIndex: encodedIndex,
      offsetIndex: new format.OffsetIndex({
        page_locations: locations,
        unencoded_byte_array_data_bytes: pageUnencodedBytes,
      }),
    });
    return chunk;
  }

  /** The page indexes and the footer, holding `entries` beside the writer's own: the file's last bytes. */
  finish(entries: FooterEntries = {}): Buffer[] {
    if (!this.template) throw new UnexpectedParquetError('no file was appended, so there is no schema');
    const out: Buffer[] = [];
    for (const index of this.pageIndexes) {
      if (!index.columnIndex) continue;
      index.chunk.column_index_offset = int64(this.position);
      this.emit(out, index.columnIndex);
    }
    for (const index of this.pageIndexes) {
      if (!index.offsetIndex) continue;
      const encoded = writeThrift(index.offsetIndex);
      index.chunk.offset_index_offset = int64(this.position);
      index.chunk.offset_index_length = encoded.length;
      this.emit(out, encoded);
    }
    this.declare?.(this.template);
    const { version, schema, key_value_metadata, created_by, column_orders } = this.template;
    const metadata = new format.FileMetaData({
      version,
      schema: this.annotated(schema),
      num_rows: int64(this.rows),
      row_groups: this.rowGroups,
      key_value_metadata: withEntries(key_value_metadata, entries),
      created_by,
      column_orders,
    });
    this.emit(out, footerBytes(metadata));
    return out;
  }

  private annotated(schema: format.SchemaElement[]): format.SchemaElement[] {
    if (this.logicalTypes.size === 0) return schema;
    const columns = new Set(topLevelElements(schema));
    return schema.map((element) => {
      const logicalType =
        columns.has(element) && !element.num_children ? this.logicalTypes.get(element.name) : undefined;
      if (!logicalType) return element;
      const converted = logicalType.JSON ? format.ConvertedType.JSON : element.converted_type;
      return new format.SchemaElement({ ...element, logicalType, converted_type: converted });
    });
  }

  private appendRowGroup(file: Buffer, rowGroup: format.RowGroup, out: Buffer[]): void {
    const start = this.position;
    let compressed = 0;
    let uncompressed = 0;
    for (const chunk of rowGroup.columns) {
      const recompressed = this.appendChunk(file, chunk);
      for (const piece of recompressed.bytes) out.push(piece);
      compressed += recompressed.compressedBytes;
      uncompressed += recompressed.uncompressedBytes;
    }
    rowGroup.file_offset = int64(start);
    rowGroup.total_byte_size = int64(uncompressed);
    rowGroup.total_compressed_size = int64(compressed);
    rowGroup.ordinal = this.rowGroups.length;
    this.rowGroups.push(rowGroup);
    this.rows += numberOf(rowGroup.num_rows);
  }

  private appendChunk(file: Buffer, chunk: format.ColumnChunk): RecompressedPages {
    const metadata = chunk.meta_data;
    if (!metadata) throw new UnexpectedParquetError('a column chunk has no metadata');
    if (metadata.codec !== format.CompressionCodec.UNCOMPRESSED)
      throw new UnexpectedParquetError(`a column chunk is compressed with codec ${metadata.codec}`);
    const oldIndex = this.offsetIndexOf(file, chunk);
    const chunkOffset = this.position;
    const pages = this.recompressPages(file, metadata, oldIndex?.page_locations ?? []);
    if (pages.dataPageOffset === null) throw new UnexpectedParquetError('a column chunk has no data page');
    metadata.codec = this.codec.codec;
    metadata.data_page_offset = int64(pages.dataPageOffset);
    metadata.dictionary_page_offset =
      pages.dictionaryPageOffset === null ? undefined : int64(pages.dictionaryPageOffset);
    metadata.total_compressed_size = int64(pages.compressedBytes);
    metadata.total_uncompressed_size = int64(pages.uncompressedBytes);
    chunk.file_offset = int64(chunkOffset);
    const keepsOffsetIndex = oldIndex !== null && pages.locations.length === oldIndex.page_locations.length;
    this.pageIndexes.push({
      chunk,
      columnIndex: this.columnIndexOf(file, chunk),
      offsetIndex: keepsOffsetIndex
        ? new format.OffsetIndex({
            page_locations: pages.locations,
            unencoded_byte_array_data_bytes: oldIndex.unencoded_byte_array_data_bytes,
          })
        : null,
    });
    // Offsets into the appended file mean nothing in this one: finish() sets them again.
    chunk.offset_index_offset = undefined;
    chunk.offset_index_length = undefined;
    chunk.column_index_offset = undefined;
    if (!this.pageIndexes.at(-1)!.columnIndex) chunk.column_index_length = undefined;
    return pages;
  }

  /** Every page of one column chunk, compressed, with where each now lies. */
  private recompressPages(
    file: Buffer,
    metadata: format.ColumnMetaData,
    oldLocations: readonly format.PageLocation[],
  ): RecompressedPages {
    const pages: RecompressedPages = {
      bytes: [],
      compressedBytes: 0,
      uncompressedBytes: 0,
      dataPageOffset: null,
      dictionaryPageOffset: null,
      locations: [],
    };
    const end = chunkStart(metadata) + numberOf(metadata.total_compressed_size);
    for (let at = chunkStart(metadata); at < end;) {
      const header = new format.PageHeader();
      const bodyStart = at + readThrift(header, file, at, 'page header');
      at = bodyStart + header.compressed_page_size;
      const body = this.codec.compress(file.subarray(bodyStart, at), valueBytesOf(header));
      header.compressed_page_size = body.length;
      // A checksum is of the compressed body: none is written rather than a wrong one.
      header.crc = undefined;
      const newHeader = writeThrift(header);
      this.notePage(pages, header, newHeader.length + body.length, oldLocations);
      this.emit(pages.bytes, newHeader);
      this.emit(pages.bytes, body);
      pages.uncompressedBytes += newHeader.length + header.uncompressed_page_size;
    }
    return pages;
  }

  /** Records where the page about to be emitted lies. */
  private notePage(
    pages: RecompressedPages,
    header: format.PageHeader,
    pageBytes: number,
    oldLocations: readonly format.PageLocation[],
  ): void {
    const offset = this.position;
    pages.compressedBytes += pageBytes;
    if (header.type === format.PageType.DICTIONARY_PAGE) {
      pages.dictionaryPageOffset ??= offset;
      return;
    }
    pages.dataPageOffset ??= offset;
    const old = oldLocations[pages.locations.length];
    if (!old) return;
    pages.locations.push(
      new format.PageLocation({
        offset: int64(offset),
        compressed_page_size: pageBytes,
        first_row_index: old.first_row_index,
      }),
    );
  }

  private offsetIndexOf(file: Buffer, chunk: format.ColumnChunk): format.OffsetIndex | null {
    if (chunk.offset_index_offset === null || chunk.offset_index_offset === undefined) return null;
    // The copy keeps the index's 64-bit integers from holding the whole appended file.
    const index = new format.OffsetIndex();
    const bytes = copyOf(file, numberOf(chunk.offset_index_offset), chunk.offset_index_length ?? 0);
    readThrift(index, bytes, 0, 'offset index');
    return index;
  }

  private columnIndexOf(file: Buffer, chunk: format.ColumnChunk): Buffer | null {
    const offset = chunk.column_index_offset;
    const length = chunk.column_index_length;
    if (offset === null || offset === undefined || !length) return null;
    return copyOf(file, numberOf(offset), length);
  }

  private emit(out: Buffer[], bytes: Buffer): void {
    out.push(bytes);
    this.position += bytes.length;
  }
}
