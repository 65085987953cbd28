import { gunzipSync } from 'node:zlib';
import { Float64, Int64, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import {
  Compression,
  readParquet,
  Table as WasmTable,
  writeParquet,
  WriterPropertiesBuilder,
} from 'parquet-wasm';
import { ParquetReader } from '@dsnp/parquetjs';
import { gzipPages } from './page-codecs';
import { ParquetAssembler, UnexpectedParquetError } from './parquet-assembler';
import { fileMetaDataOf, format, numberOf, readThrift } from './parquet-thrift';

function tableOf(from: number, count: number): Table {
  const ids = Array.from({ length: count }, (_, index) => BigInt(from + index));
  return new Table({
    id: vectorFromArray(ids, new Int64()),
    label: vectorFromArray(
      ids.map((id) => (id % 5n === 0n ? null : `label ${id} ${'x'.repeat(Number(id % 40n))}`)),
      new Utf8(),
    ),
    score: vectorFromArray(
      ids.map((id) => Number(id) / 7),
      new Float64(),
    ),
  });
}

/** Small pages, so that every column chunk holds several and the offset index has work to do. */
function uncompressed(table: Table, codec = Compression.UNCOMPRESSED): Buffer {
  const properties = new WriterPropertiesBuilder()
    .setCompression(codec)
    .setDictionaryEnabled(false)
    .setDataPageSizeLimit(512)
    .setWriteBatchSize(64)
    .build();
  return Buffer.from(writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), properties));
}

/** Each appended file is freed once appended, as the encoder thread frees it: nothing may still point into it. */
function assembled(pieces: Table[], entries: Record<string, string> = {}): Buffer {
  const assembler = new ParquetAssembler(gzipPages(1));
  const bytes = pieces.flatMap((piece) => {
    // A buffer of its own, not a slice of Node's shared pool, so that freeing it frees nothing else.
    const file = Buffer.from(new Uint8Array(uncompressed(piece)).buffer);
    const appended = assembler.append(file);
    structuredClone(file.buffer, { transfer: [file.buffer] });
    return appended;
  });
  return Buffer.concat([...bytes, ...assembler.finish(entries)]);
}

describe('ParquetAssembler', () => {
  const pieces = [tableOf(0, 700), tableOf(700, 1), tableOf(701, 1300)];
  const file = assembled(pieces);
  const metadata = fileMetaDataOf(file);

  it('adds the entries it finishes with to the writer’s own key-value metadata', () => {
    const written = fileMetaDataOf(uncompressed(pieces[0])).key_value_metadata!.map(({ key }) => key);
    expect(written).toContain('ARROW:schema');
    const withEntries = fileMetaDataOf(assembled(pieces, { 'snapex.test': '1' })).key_value_metadata!;
    expect(withEntries.map(({ key }) => key)).toEqual([...written, 'snapex.test']);
    expect(withEntries.at(-1)!.value).toBe('1');
  });

  it('keeps every row and value, read back by parquet-wasm', () => {
    const read = tableFromIPC(readParquet(file).intoIPCStream());
    expect(read.numRows).toBe(2001);
    const expected = pieces.flatMap((piece) => piece.toArray().map((row) => row.toJSON()));
    expect(read.toArray().map((row) => row.toJSON())).toEqual(expected);
  });

  it('keeps every row, read back by parquetjs', async () => {
    const reader = await ParquetReader.openBuffer(file);
    const cursor = reader.getCursor();
    const ids: bigint[] = [];
    for (let record = await cursor.next(); record; record = await cursor.next()) {
      ids.push(BigInt((record as { id: bigint | number }).id));
    }
    await reader.close();
    expect(ids).toEqual(Array.from({ length: 2001 }, (_, index) => BigInt(index)));
  });

  it('lists each appended row group, in order, with the total row count', () => {
    expect(numberOf(metadata.num_rows)).toBe(2001);
    expect(metadata.row_groups.map((group) => numberOf(group.num_rows))).toEqual([700, 1, 1300]);
    expect(metadata.row_groups.map((group) => group.ordinal)).toEqual([0, 1, 2]);
  });

  it('gzips every page, and each chunk’s sizes and offsets describe the bytes where they lie', () => {
    for (const group of metadata.row_groups) {
      let expectedStart = numberOf(group.file_offset);
      for (const chunk of group.columns) {
        const meta = chunk.meta_data!;
        expect(meta.codec).toBe(format.CompressionCodec.GZIP);
        expect(numberOf(meta.data_page_offset)).toBe(expectedStart);
        let at = expectedStart;
        const end = at + numberOf(meta.total_compressed_size);
        let values = 0;
        while (at < end) {
          const header = new format.PageHeader();
          const bodyStart = at + readThrift(header, file, at, 'page header');
          const body = gunzipSync(file.subarray(bodyStart, bodyStart + header.compressed_page_size));
          expect(body.length).toBe(header.uncompressed_page_size);
          values += header.data_page_header!.num_values;
          at = bodyStart + header.compressed_page_size;
        }
        expect(at).toBe(end);
        expect(values).toBe(numberOf(meta.num_values));
        expectedStart = end;
      }
    }
  });

  it('moves the offset index to the pages’ new places and keeps the column index', () => {
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        expect(chunk.column_index_length).toBeGreaterThan(0);
        const index = new format.OffsetIndex();
        readThrift(index, file, numberOf(chunk.offset_index_offset), 'offset index');
        expect(index.page_locations.length).toBeGreaterThan(numberOf(group.num_rows) > 100 ? 1 : 0);
        expect(numberOf(index.page_locations[0].offset)).toBe(numberOf(chunk.meta_data!.data_page_offset));
        expect(numberOf(index.page_locations[0].first_row_index)).toBe(0);
        for (const location of index.page_locations) {
          const header = new format.PageHeader();
          const headerBytes = readThrift(header, file, numberOf(location.offset), 'page header');
          expect(location.compressed_page_size).toBe(headerBytes + header.compressed_page_size);
        }
      }
    }
  });

  it('refuses a file whose pages are already compressed', () => {
    const assembler = new ParquetAssembler(gzipPages(1));
    expect(() => assembler.append(uncompressed(tableOf(0, 10), Compression.SNAPPY))).toThrow(
      UnexpectedParquetError,
    );
  });

  it('writes a file without row groups from a file without rows', () => {
    const empty = assembled([tableOf(0, 0)]);
    expect(tableFromIPC(readParquet(empty).intoIPCStream()).numRows).toBe(0);
    expect(fileMetaDataOf(empty).row_groups).toHaveLength(0);
  });
});
