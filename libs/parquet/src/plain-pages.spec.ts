import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatch } from 'apache-arrow';
import { TCompactProtocol } from 'thrift';
import { arrowSchemaFor, recordBatchOf } from './arrow-batch';
import { DEFAULT_PARQUET_WASM_TUNING, parquetWasmEncoder } from './parquet-wasm-part-encoder';
import { PageWriterName } from './parquet-wasm-protocol';
import { fileMetaDataOf, format, numberOf, readThrift, topLevelElements } from './parquet-thrift';
import { PartColumn, PartRow } from './part-encoder';
import { wireBatchOf } from './plain-columns';
import { columnLayoutOf, encodeRowGroup } from './plain-row-group';
import { schemaOnlyPart } from './schema-only-part';
import { encoderWorkspace } from '../../../test/support/encoder-workspace';

const COLUMNS: PartColumn[] = [
  { name: 'flag', parquetType: 'BOOLEAN' },
  { name: 'small', parquetType: 'INT16' },
  { name: 'regular', parquetType: 'INT32' },
  { name: 'big', parquetType: 'INT64' },
  { name: 'single', parquetType: 'FLOAT' },
  { name: 'double', parquetType: 'DOUBLE' },
  { name: 'label', parquetType: 'STRING' },
  { name: 'long_text', parquetType: 'STRING' },
  { name: 'raw', parquetType: 'BINARY' },
  { name: 'digit', parquetType: 'DECIMAL', decimal: { precision: 1, scale: 0 } },
  { name: 'price', parquetType: 'DECIMAL', decimal: { precision: 9, scale: 2 } },
  { name: 'total', parquetType: 'DECIMAL', decimal: { precision: 18, scale: 4 } },
  { name: 'wide', parquetType: 'DECIMAL', decimal: { precision: 38, scale: 10 } },
  { name: 'at', parquetType: 'TIMESTAMP_MICROS' },
  { name: 'local_at', parquetType: 'TIMESTAMP_MICROS_LOCAL' },
  { name: 'day', parquetType: 'DATE' },
  { name: 'clock', parquetType: 'TIME_MICROS' },
  { name: 'uid', parquetType: 'UUID' },
  { name: 'doc', parquetType: 'JSON' },
  { name: 'always_null', parquetType: 'INT64' },
  { name: 'only_nan', parquetType: 'DOUBLE' },
];

/** A seeded generator: the same rows on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = ['alpha', 'Ärger', 'zebra', '', 'ünï ✓', '😀 smile', 'ｆｕｌｌ', 'a\u0000b'];

function rowsOf(count: number): PartRow[] {
  const random = generator(7);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const nullable = <T>(value: T, share = 0.1) => (random() < share ? null : value);
  const digits = (length: number) => Array.from({ length }, () => Math.floor(random() * 10)).join('');
  const rows: PartRow[] = [];
  for (let index = 0; index < count; index++) {
    const sign = random() < 0.5 ? '-' : '';
    rows.push([
      nullable(random() < 0.5),
      nullable(Math.floor(random() * 65_536) - 32_768),
      nullable(Math.floor(random() * 2 ** 32) - 2 ** 31),
      nullable(BigInt(Math.floor(random() * 2 ** 53)) * (random() < 0.5 ? -1n : 1n) * 1024n),
      nullable(pick([random() * 100 - 50, -0, 0, Infinity, -Infinity, Number.NaN])),
      nullable(pick([random() * 1e6 - 5e5, -0, 0, 1e308, -1e308, Number.NaN])),
      nullable(pick(WORDS)),
      // Longer than the 64 bytes statistics keep, ASCII where they are cut.
      nullable(`${digits(3)} ${'x'.repeat(70 + Math.floor(random() * 200))} ${index}`),
      nullable(Buffer.from([Math.floor(random() * 256), 0xff, 0x00, Math.floor(random() * 256)])),
      nullable(`${sign}${digits(1)}`),
      nullable(`${sign}${digits(7)}.${digits(2)}`),
      nullable(`${sign}${digits(14)}.${digits(4)}`),
      nullable(`${sign}${digits(28)}.${digits(10)}`),
      nullable(BigInt(Math.floor(random() * 2 ** 50)) - 2n ** 49n),
      nullable(BigInt(index) * 1_000_000n),
      nullable(Math.floor(random() * 100_000) - 50_000),
      nullable(BigInt(Math.floor(random() * 86_400_000_000))),
      nullable(Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256)))),
      nullable(JSON.stringify({ n: index, w: pick(WORDS) })),
      null,
      nullable(Number.NaN),
    ]);
  }
  return rows;
}

/** How to compare a column index entry with what DuckDB computes over the page's rows. */
interface PageCheck {
  /** The value as DuckDB orders it the way Parquet does. */
  sql: (column: string) => string;
  /** Rows whose value takes part in the order (floating point: not NaN). */
  ordered?: (column: string) => string;
  decode: (bytes: Buffer, column: PartColumn) => unknown;
  read: (value: unknown) => unknown;
}

/** Its entries are cut to 64 bytes: the minimum a prefix, the maximum an upper bound. */
const TRUNCATED = 'long_text';

const same = (value: unknown) => value;
const text = (value: unknown) => String(value);
const int32: PageCheck = { sql: (c) => `${c}::BIGINT`, decode: (b) => b.readInt32LE(0), read: Number };
const int64: PageCheck = { sql: (c) => c, decode: (b) => b.readBigInt64LE(0).toString(), read: text };
const decimal: PageCheck = {
  sql: (c) => `${c}`,
  decode: (b) => {
    const unscaled =
      b.length === 4
        ? BigInt(b.readInt32LE(0))
        : b.length === 8
          ? b.readBigInt64LE(0)
          : BigInt.asIntN(b.length * 8, BigInt(`0x${b.toString('hex')}`));
    return unscaled.toString();
  },
  read: (value) =>
    String(value)
      .replace('.', '')
      .replace(/^(-?)0+(?=\d)/, '$1'),
};

const PAGE_CHECKS: Record<string, PageCheck> = {
  BOOLEAN: { sql: (c) => `${c}::INT`, decode: (b) => b[0], read: Number },
  INT16: int32,
  INT32: int32,
  DATE: { ...int32, sql: (c) => `(${c} - DATE '1970-01-01')::BIGINT` },
  INT64: int64,
  TIMESTAMP_MICROS: { ...int64, sql: (c) => `epoch_us(${c})` },
  TIMESTAMP_MICROS_LOCAL: { ...int64, sql: (c) => `epoch_us(${c})` },
  TIME_MICROS: { ...int64, sql: (c) => `epoch_us(DATE '1970-01-01' + ${c})` },
  FLOAT: { sql: (c) => c, ordered: (c) => `NOT isnan(${c})`, decode: (b) => b.readFloatLE(0), read: same },
  DOUBLE: { sql: (c) => c, ordered: (c) => `NOT isnan(${c})`, decode: (b) => b.readDoubleLE(0), read: same },
  STRING: { sql: (c) => `${c}::VARCHAR`, decode: (b) => b.toString('utf8'), read: text },
  JSON: { sql: (c) => `${c}::VARCHAR`, decode: (b) => b.toString('utf8'), read: text },
  BINARY: {
    sql: (c) => c,
    decode: (b) => b.toString('hex'),
    read: (value) => Buffer.from((value as { bytes: Uint8Array }).bytes).toString('hex'),
  },
  UUID: { sql: (c) => `replace(${c}::VARCHAR, '-', '')`, decode: (b) => b.toString('hex'), read: text },
  DECIMAL: decimal,
};

const workspace = encoderWorkspace('plain-pages-');

async function write(pages: PageWriterName, rows: readonly PartRow[], batchRows: number): Promise<string> {
  const path = join(workspace.dir, `${pages}-${rows.length}-${batchRows}.parquet`);
  const open = parquetWasmEncoder(workspace.threads, { ...DEFAULT_PARQUET_WASM_TUNING, threads: 1, pages });
  const encoder = await open(COLUMNS, createWriteStream(path), { rowGroupRows: 30_000 });
  for (let start = 0; start < rows.length; start += batchRows)
    await encoder.write(rows.slice(start, start + batchRows));
  await encoder.close({ written: pages });
  return path;
}

async function count(sql: string): Promise<number> {
  const rows = (await workspace.duck.runAndReadAll(sql)).getRows();
  return Number(rows[0][0]);
}

interface ChunkIndexes {
  columnIndex: format.ColumnIndex | null;
  offsetIndex: format.OffsetIndex | null;
}

function indexesOf(file: Buffer, chunk: format.ColumnChunk): ChunkIndexes {
  const read = <T extends object>(into: T, offset: unknown): T | null => {
    if (offset === null || offset === undefined) return null;
    readThrift(into, file, numberOf(offset as number), 'page index');
    return into;
  };
  return {
    columnIndex: read(new format.ColumnIndex(), chunk.column_index_offset),
    offsetIndex: read(new format.OffsetIndex(), chunk.offset_index_offset),
  };
}

/** Thrift structures as plain JSON: buffers as hex, 64-bit integers as numbers. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => {
      if (item && typeof item === 'object' && 'toNumber' in item) return numberOf(item as never);
      if (item && typeof item === 'object' && (item as { type?: string }).type === 'Buffer')
        return Buffer.from((item as { data: number[] }).data).toString('hex');
      return item;
    }),
  );
}

/**
 * thrift 0.23's compact reader takes every boolean of a list as false (it compares the byte it reads
 * as if it were a result object): ColumnIndex.null_pages is read here as the format writes it, 1 for
 * true and 2 (or 0) for false.
 */
function readListBooleansRight(): void {
  type Reader = {
    boolValue_: { hasBoolValue: boolean; boolValue: boolean };
    trans: { readByte(): number };
  };
  (TCompactProtocol.prototype as unknown as { readBool(this: Reader): boolean }).readBool = function () {
    if (this.boolValue_.hasBoolValue) {
      this.boolValue_.hasBoolValue = false;
      return this.boolValue_.boolValue;
    }
    return this.trans.readByte() === 1;
  };
}

beforeAll(readListBooleansRight);

describe('plain pages against arrow-rs pages of the same rows', () => {
  const rows = rowsOf(70_000);
  let plainPath: string;
  let arrowPath: string;
  let plainFile: format.FileMetaData;
  let arrowFile: format.FileMetaData;

  beforeAll(async () => {
    // 7,000-row batches: row groups of 30,000 end inside a batch, pages of 20,000 across batches.
    plainPath = await write('plain', rows, 7_000);
    arrowPath = await write('parquet-wasm', rows, 7_000);
    plainFile = fileMetaDataOf(await readFile(plainPath));
    arrowFile = fileMetaDataOf(await readFile(arrowPath));
  }, 60_000);

  it('reads back, in DuckDB, every row and value the arrow-rs file holds, in the same order', async () => {
    const rowsOfFile = (path: string) => `SELECT * FROM read_parquet('${path}', file_row_number = true)`;
    expect(await count(`SELECT count(*) FROM read_parquet('${plainPath}')`)).toBe(rows.length);
    expect(
      await count(`SELECT count(*) FROM (${rowsOfFile(plainPath)} EXCEPT ALL ${rowsOfFile(arrowPath)})`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) FROM (${rowsOfFile(arrowPath)} EXCEPT ALL ${rowsOfFile(plainPath)})`),
    ).toBe(0);
  });

  it('declares the same schema, footer entries and row groups', () => {
    expect(plain(plainFile.schema)).toEqual(plain(arrowFile.schema));
    expect(plain(plainFile.key_value_metadata?.filter(({ key }) => key !== 'written'))).toEqual(
      plain(arrowFile.key_value_metadata?.filter(({ key }) => key !== 'written')),
    );
    expect(plainFile.row_groups.map((group) => numberOf(group.num_rows))).toEqual([30_000, 30_000, 10_000]);
    expect(arrowFile.row_groups.map((group) => numberOf(group.num_rows))).toEqual([30_000, 30_000, 10_000]);
  });

  it('writes the statistics arrow-rs writes for every column chunk: min, max, NULL count, exactness', () => {
    plainFile.row_groups.forEach((group, index) =>
      group.columns.forEach((chunk, column) => {
        const expected = arrowFile.row_groups[index].columns[column].meta_data!;
        const actual = chunk.meta_data!;
        expect({ column: COLUMNS[column].name, statistics: plain(actual.statistics) }).toEqual({
          column: COLUMNS[column].name,
          statistics: plain(expected.statistics),
        });
        expect(plain(actual.size_statistics?.definition_level_histogram)).toEqual(
          plain(expected.size_statistics?.definition_level_histogram),
        );
        expect(numberOf(actual.num_values)).toBe(numberOf(expected.num_values));
        expect(actual.encodings).toEqual(expected.encodings);
      }),
    );
  });

  it('bounds every page in its column index by the values DuckDB reads from its rows', async () => {
    const bytes = await readFile(plainPath);
    await workspace.duck.run(
      `CREATE TABLE plain_rows AS SELECT *, file_row_number AS r FROM read_parquet('${plainPath}', file_row_number = true)`,
    );
    let pages = 0;
    let groupStart = 0;
    for (const group of plainFile.row_groups) {
      for (const [column, chunk] of group.columns.entries()) {
        const { columnIndex, offsetIndex } = indexesOf(bytes, chunk);
        // A page of NaNs alone has no bounds: such a chunk has no column index (arrow-rs writes none either).
        if (!columnIndex) {
          expect(COLUMNS[column].name).toBe('only_nan');
          continue;
        }
        const check = PAGE_CHECKS[COLUMNS[column].parquetType];
        const locations = offsetIndex!.page_locations;
        for (const [page, location] of locations.entries()) {
          const first = groupStart + numberOf(location.first_row_index);
          const end =
            page + 1 < locations.length
              ? groupStart + numberOf(locations[page + 1].first_row_index)
              : groupStart + numberOf(group.num_rows);
          const name = `"${COLUMNS[column].name}"`;
          const ordered = check.ordered?.(name) ?? 'true';
          const [read] = (
            await workspace.duck.runAndReadAll(
              `SELECT min(${check.sql(name)}) FILTER (WHERE ${ordered}), max(${check.sql(name)}) FILTER (WHERE ${ordered}),
                      count(*) - count(${name}) FROM plain_rows WHERE r >= ${first} AND r < ${end}`,
            )
          ).getRows();
          const context = { column: COLUMNS[column].name, page: first };
          expect({ ...context, nulls: numberOf(columnIndex!.null_counts![page]) }).toEqual({
            ...context,
            nulls: Number(read[2]),
          });
          if (read[0] === null) {
            expect({ ...context, empty: columnIndex!.null_pages[page] }).toEqual({ ...context, empty: true });
            continue;
          }
          const min = check.decode(columnIndex!.min_values[page], COLUMNS[column]);
          const max = check.decode(columnIndex!.max_values[page], COLUMNS[column]);
          if (COLUMNS[column].name === TRUNCATED) {
            expect(String(read[0]).startsWith(String(min))).toBe(true);
            expect(
              Buffer.compare(Buffer.from(String(read[1])), Buffer.from(String(max))),
            ).toBeLessThanOrEqual(0);
          } else {
            expect({ ...context, min, max }).toEqual({
              ...context,
              min: check.read(read[0]),
              max: check.read(read[1]),
            });
          }
          pages++;
        }
      }
      groupStart += numberOf(group.num_rows);
    }
    expect(pages).toBeGreaterThan(3 * COLUMNS.length);
  });

  it('points each offset index entry at a page header of the chunk', async () => {
    const bytes = await readFile(plainPath);
    for (const group of plainFile.row_groups)
      for (const chunk of group.columns) {
        const { offsetIndex } = indexesOf(bytes, chunk);
        for (const location of offsetIndex!.page_locations) {
          const header = new format.PageHeader();
          const length = readThrift(header, bytes, numberOf(location.offset), 'page header');
          expect(length + header.compressed_page_size).toBe(location.compressed_page_size);
        }
      }
  });
});

describe('a batch sliced where a row group ends', () => {
  it('gives the same pages as a batch of those rows alone', () => {
    const rows = rowsOf(50);
    const schema = arrowSchemaFor(COLUMNS);
    const layouts = topLevelElements(fileMetaDataOf(Buffer.from(schemaOnlyPart(COLUMNS))).schema).map(
      columnLayoutOf,
    );
    const uncompressed = { codec: format.CompressionCodec.UNCOMPRESSED, compress: (body: Buffer) => body };
    const pagesOf = (batch: RecordBatch) =>
      encodeRowGroup(layouts, [wireBatchOf(batch)], uncompressed).map((chunk) => plain(chunk));
    for (const [start, end] of [
      [3, 20],
      [8, 50],
      [13, 14],
    ]) {
      const sliced = recordBatchOf(schema, COLUMNS, rows).slice(start, end);
      const alone = recordBatchOf(schema, COLUMNS, rows.slice(start, end));
      expect(pagesOf(sliced)).toEqual(pagesOf(alone));
    }
  });
});
