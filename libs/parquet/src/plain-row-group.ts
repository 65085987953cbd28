import { PageCodec } from './page-codecs';
import { nullsIn, WireBatch, WireColumn } from './plain-columns';
import {
  compareStatistics,
  definitionLevelsOf,
  pageValuesOf,
  PhysicalType,
  physicalTypeOf,
  Segment,
} from './plain-values';
import { format, int64, writeThrift } from './parquet-thrift';

/** arrow-rs's defaults, which the files written so far follow: a page ends at 20,000 rows or ~1 MiB. */
const PAGE_ROWS = 20_000;
const PAGE_BYTES = 1024 * 1024;
/** Statistics and column index entries of byte arrays are cut to this many bytes (arrow-rs: 64). */
const STATISTICS_BYTES = 64;

/** One leaf column of the file, as its schema element declares it. */
export interface ColumnLayout {
  name: string;
  physical: PhysicalType;
  /** Its bytes are UTF-8 text: statistics are cut where a character ends. */
  utf8: boolean;
}

export function columnLayoutOf(element: format.SchemaElement): ColumnLayout {
  const text =
    Boolean(element.logicalType?.STRING || element.logicalType?.JSON) ||
    element.converted_type === format.ConvertedType.UTF8 ||
    element.converted_type === format.ConvertedType.JSON;
  return { name: element.name, physical: physicalTypeOf(element), utf8: text };
}

/** A page compressed, with what its chunk's metadata and page indexes need. */
export interface EncodedPage {
  /** The page header, then the compressed body. */
  header: Buffer;
  body: Buffer;
  /** The header's bytes and the body's before compression, as the format counts them. */
  uncompressedBytes: number;
  rows: number;
  nulls: number;
  firstRow: number;
  unencodedBytes: number;
  min: Buffer | null;
  max: Buffer | null;
}

/** A column chunk's pages and metadata, not yet placed in the file: the assembler sets its offsets. */
export interface EncodedChunk {
  metadata: format.ColumnMetaData;
  pages: EncodedPage[];
  columnIndex: format.ColumnIndex | null;
  /** BYTE_ARRAY only: each page's values' own bytes, as the offset index carries them. */
  pageUnencodedBytes: format.OffsetIndex['unencoded_byte_array_data_bytes'];
}

/** Bytes a run of rows takes as PLAIN values, about: what decides where a page ends. */
function plainBytes(column: WireColumn, start: number, end: number): number {
  switch (column.kind) {
    case 'fixed':
      return (end - start) * column.width;
    case 'bits':
      return (end - start) >> 3;
    case 'bytes':
      return column.offsets[end] - column.offsets[start] + 4 * (end - start);
  }
}

/**
 * The largest r in (start, end] such that rows [start, r) take at most `room` bytes; start + 1 when even
 * one row takes more, so that every page holds a row.
 */
function rowsWithin(column: WireColumn, start: number, end: number, room: number): number {
  if (plainBytes(column, start, end) <= room) return end;
  let low = start + 1;
  let high = end;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (plainBytes(column, start, middle) <= room) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The column's rows over the row group's batches, cut into pages. */
function pagesOf(batches: readonly WireBatch[], column: number): Segment[][] {
  const pages: Segment[][] = [];
  let page: Segment[] = [];
  let rows = 0;
  let bytes = 0;
  for (const batch of batches) {
    const wire = batch.columns[column];
    for (let start = 0; start < wire.length;) {
      const end = rowsWithin(
        wire,
        start,
        Math.min(wire.length, start + PAGE_ROWS - rows),
        PAGE_BYTES - bytes,
      );
      page.push({ column: wire, start, end });
      rows += end - start;
      bytes += plainBytes(wire, start, end);
      start = end;
      if (rows >= PAGE_ROWS || bytes >= PAGE_BYTES) {
        pages.push(page);
        page = [];
        rows = 0;
        bytes = 0;
      }
    }
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

function encodePage(
  layout: ColumnLayout,
  segments: readonly Segment[],
  firstRow: number,
  codec: PageCodec,
): EncodedPage {
  let rows = 0;
  let nulls = 0;
  for (const { column, start, end } of segments) {
    rows += end - start;
    nulls += nullsIn(column, start, end);
  }
  const values = pageValuesOf(layout.physical, segments, rows - nulls);
  const plain = Buffer.concat([definitionLevelsOf(segments, rows, nulls), values.values]);
  const body = codec.compress(plain, rows > 0 ? plain.length / rows : undefined);
  const header = writeThrift(
    new format.PageHeader({
      type: format.PageType.DATA_PAGE,
      uncompressed_page_size: plain.length,
      compressed_page_size: body.length,
      data_page_header: new format.DataPageHeader({
        num_values: rows,
        encoding: format.Encoding.PLAIN,
        definition_level_encoding: format.Encoding.RLE,
        repetition_level_encoding: format.Encoding.RLE,
      }),
    }),
  );
  return {
    header,
    body,
    uncompressedBytes: header.length + plain.length,
    rows,
    nulls,
    firstRow,
    unencodedBytes: values.unencodedBytes,
    min: values.min,
    max: values.max,
  };
}

/** Where the last whole UTF-8 character within the first `limit` bytes ends. */
function characterBoundary(bytes: Buffer, limit: number): number {
  let end = limit;
  // A continuation byte (10xxxxxx) at `end` means a character starts before it and runs past the cut.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return end;
}

/** A lower bound of at most STATISTICS_BYTES bytes: a prefix; exact when nothing was cut. */
function truncatedMin(layout: ColumnLayout, value: Buffer): { bytes: Buffer; exact: boolean } {
  if (layout.physical.kind !== 'BYTE_ARRAY' || value.length <= STATISTICS_BYTES)
    return { bytes: value, exact: true };
  const end = layout.utf8 ? characterBoundary(value, STATISTICS_BYTES) : STATISTICS_BYTES;
  return { bytes: Buffer.from(value.subarray(0, end)), exact: false };
}

/**
 * An upper bound of at most STATISTICS_BYTES bytes: a prefix with its last byte (for text, its last
 * ASCII character) raised by one; the value itself when no such prefix exists.
 */
function truncatedMax(layout: ColumnLayout, value: Buffer): { bytes: Buffer; exact: boolean } {
  if (layout.physical.kind !== 'BYTE_ARRAY' || value.length <= STATISTICS_BYTES)
    return { bytes: value, exact: true };
  let end = layout.utf8 ? characterBoundary(value, STATISTICS_BYTES) : STATISTICS_BYTES;
  const limit = layout.utf8 ? 0x7e : 0xfe;
  while (end > 0) {
    const last = value[end - 1];
    if (last <= limit) {
      const bound = Buffer.from(value.subarray(0, end));
      bound[end - 1] = last + 1;
      return { bytes: bound, exact: false };
    }
    // Text: drop the whole character (a multi-byte one ends in a continuation byte).
    end = layout.utf8 ? characterBoundary(value, end - 1) : end - 1;
  }
  return { bytes: value, exact: true };
}

/** The types whose order is signed: their statistics also go in the deprecated min and max fields. */
function signedOrder(physical: PhysicalType): boolean {
  switch (physical.kind) {
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return true;
    case 'FIXED_LEN_BYTE_ARRAY':
      return physical.signed;
    case 'BOOLEAN':
    case 'BYTE_ARRAY':
      return false;
  }
}

function chunkStatistics(
  layout: ColumnLayout,
  pages: readonly EncodedPage[],
  nulls: number,
): format.Statistics {
  let min: Buffer | null = null;
  let max: Buffer | null = null;
  for (const page of pages) {
    if (page.min && (min === null || compareStatistics(layout.physical, page.min, min) < 0)) min = page.min;
    if (page.max && (max === null || compareStatistics(layout.physical, page.max, max) > 0)) max = page.max;
  }
  const statistics = new format.Statistics({ null_count: int64(nulls) });
  if (min === null || max === null) {
    // No value bounds the column: arrow-rs says so rather than leaving the flags out.
    statistics.is_min_value_exact = false;
    statistics.is_max_value_exact = false;
    return statistics;
  }
  const low = truncatedMin(layout, min);
  const high = truncatedMax(layout, max);
  statistics.min_value = low.bytes;
  statistics.max_value = high.bytes;
  statistics.is_min_value_exact = low.exact;
  statistics.is_max_value_exact = high.exact;
  if (signedOrder(layout.physical)) {
    statistics.min = low.bytes;
    statistics.max = high.bytes;
  }
  return statistics;
}

function boundaryOrder(layout: ColumnLayout, pages: readonly EncodedPage[]): format.BoundaryOrder {
  let ascending = true;
  let descending = true;
  let previous: EncodedPage | null = null;
  for (const page of pages) {
    if (!page.min || !page.max) continue;
    if (previous) {
      const mins = compareStatistics(layout.physical, page.min, previous.min!);
      const maxes = compareStatistics(layout.physical, page.max, previous.max!);
      if (mins < 0 || maxes < 0) ascending = false;
      if (mins > 0 || maxes > 0) descending = false;
    }
    previous = page;
  }
  if (ascending) return format.BoundaryOrder.ASCENDING;
  return descending ? format.BoundaryOrder.DESCENDING : format.BoundaryOrder.UNORDERED;
}

/** Per-page statistics; none when a page that holds values has none (only NaNs): it could not be skipped. */
function columnIndexOf(layout: ColumnLayout, pages: readonly EncodedPage[]): format.ColumnIndex | null {
  const empty = Buffer.alloc(0);
  const nullPages = pages.map((page) => page.nulls === page.rows);
  if (pages.some((page, index) => !nullPages[index] && (!page.min || !page.max))) return null;
  return new format.ColumnIndex({
    null_pages: nullPages,
    min_values: pages.map((page) => (page.min ? truncatedMin(layout, page.min).bytes : empty)),
    max_values: pages.map((page) => (page.max ? truncatedMax(layout, page.max).bytes : empty)),
    boundary_order: boundaryOrder(layout, pages),
    null_counts: pages.map((page) => int64(page.nulls)),
    definition_level_histograms: pages.flatMap((page) => [int64(page.nulls), int64(page.rows - page.nulls)]),
  });
}

const PHYSICAL_TYPES: Record<PhysicalType['kind'], format.Type> = {
  BOOLEAN: format.Type.BOOLEAN,
  INT32: format.Type.INT32,
  INT64: format.Type.INT64,
  FLOAT: format.Type.FLOAT,
  DOUBLE: format.Type.DOUBLE,
  BYTE_ARRAY: format.Type.BYTE_ARRAY,
  FIXED_LEN_BYTE_ARRAY: format.Type.FIXED_LEN_BYTE_ARRAY,
};

function encodeChunk(
  layout: ColumnLayout,
  batches: readonly WireBatch[],
  column: number,
  codec: PageCodec,
): EncodedChunk {
  const pages: EncodedPage[] = [];
  let firstRow = 0;
  for (const segments of pagesOf(batches, column)) {
    const page = encodePage(layout, segments, firstRow, codec);
    pages.push(page);
    firstRow += page.rows;
  }
  const byteArray = layout.physical.kind === 'BYTE_ARRAY';
  let nulls = 0;
  let unencoded = 0;
  for (const page of pages) {
    nulls += page.nulls;
    unencoded += page.unencodedBytes;
  }
  const metadata = new format.ColumnMetaData({
    type: PHYSICAL_TYPES[layout.physical.kind],
    encodings: [format.Encoding.PLAIN, format.Encoding.RLE],
    path_in_schema: [layout.name],
    codec: codec.codec,
    num_values: int64(firstRow),
    total_uncompressed_size: int64(0),
    total_compressed_size: int64(0),
    data_page_offset: int64(0),
    statistics: chunkStatistics(layout, pages, nulls),
    encoding_stats: [
      new format.PageEncodingStats({
        page_type: format.PageType.DATA_PAGE,
        encoding: format.Encoding.PLAIN,
        count: pages.length,
      }),
    ],
    size_statistics: new format.SizeStatistics({
      unencoded_byte_array_data_bytes: byteArray ? int64(unencoded) : undefined,
      definition_level_histogram: [int64(nulls), int64(firstRow - nulls)],
    }),
  });
  return {
    metadata,
    pages,
    columnIndex: columnIndexOf(layout, pages),
    pageUnencodedBytes: byteArray ? pages.map((page) => int64(page.unencodedBytes)) : undefined,
  };
}

/** One row group's column chunks, from its batches, every page PLAIN and compressed by `codec`. */
export function encodeRowGroup(
  layouts: readonly ColumnLayout[],
  batches: readonly WireBatch[],
  codec: PageCodec,
): EncodedChunk[] {
  return layouts.map((layout, column) => encodeChunk(layout, batches, column, codec));
}
