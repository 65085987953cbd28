import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PartColumn, PartRow } from './part-encoder';
import { ParquetPartWriter } from './parquet-part-writer';
import { UnsupportedColumnNameError } from './parquet-schema';

// thrift requires uuid, whose ESM-only build Jest cannot load; Parquet's thrift types never use it.
jest.mock('uuid', () => ({}));

const COLUMNS: PartColumn[] = [
  { name: 'flag', parquetType: 'BOOLEAN' },
  { name: 'small', parquetType: 'INT16' },
  { name: 'regular', parquetType: 'INT32' },
  { name: 'big', parquetType: 'INT64' },
  { name: 'single', parquetType: 'FLOAT' },
  { name: 'double', parquetType: 'DOUBLE' },
  { name: 'text', parquetType: 'STRING' },
  { name: 'bytes', parquetType: 'BINARY' },
  { name: 'constructor', parquetType: 'INT32' },
  { name: 'Näme "with" spaces', parquetType: 'STRING' },
];

const ROWS: PartRow[] = [
  [
    true,
    -32768,
    -2147483648,
    -9223372036854775808n,
    -1.5,
    -0,
    'héllo ✓ 😀',
    Buffer.from([0x00, 0xff, 0x00]),
    1,
    'ünï',
  ],
  [false, 32767, 2147483647, 9223372036854775807n, NaN, Infinity, '', Buffer.alloc(0), 2, ''],
  [null, null, null, null, null, null, null, null, null, null],
  [true, 0, -7, 2n ** 53n + 1n, Infinity, -Infinity, 'line\nbreak\ttab', Buffer.from([0x00]), 3, null],
  // U+1F600 sorts before U+FF46 in UTF-16 and after it in UTF-8: both land in the last row group.
  [false, -1, 0, -(2n ** 60n), -Infinity, NaN, '😀', Buffer.from('\x00a\x00', 'latin1'), 4, 'x'],
  [true, 12, 42, 0n, 3.14, 1e308, 'ｆｕｌｌ', Buffer.from([]), 5, 'y'],
];

interface ParquetFile {
  path: string;
  rows: number;
  bytes: number;
}

async function writeParquet(
  dir: string,
  name: string,
  rows: PartRow[],
  rowGroupRows: number,
): Promise<ParquetFile> {
  const path = join(dir, name);
  const writer = await ParquetPartWriter.open(COLUMNS, createWriteStream(path), { rowGroupRows });
  for (let start = 0; start < rows.length; start += 2) await writer.write(rows.slice(start, start + 2));
  const stats = await writer.close();
  return { path, ...stats };
}

describe('ParquetPartWriter', () => {
  let dir: string;
  let duck: DuckDBConnection;
  let file: ParquetFile;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parquet-part-'));
    duck = await (await DuckDBInstance.create(':memory:')).connect();
    file = await writeParquet(dir, 'all-types.gz.parquet', ROWS, 2);
  });

  afterAll(async () => {
    duck?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  async function query(sql: string): Promise<Record<string, unknown>[]> {
    return (await duck.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
  }

  it('reports the rows written and the size of the file', async () => {
    expect(file.rows).toBe(ROWS.length);
    expect(file.bytes).toBe((await stat(file.path)).size);
  });

  it('declares every column optional with the physical and converted type of the mapping', async () => {
    const schema = await query(
      `SELECT name, type, converted_type, logical_type, repetition_type
         FROM parquet_schema('${file.path}') WHERE name <> 'root'`,
    );
    expect(schema).toEqual([
      {
        name: 'flag',
        type: 'BOOLEAN',
        converted_type: null,
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'small',
        type: 'INT32',
        converted_type: 'INT_16',
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'regular',
        type: 'INT32',
        converted_type: null,
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      { name: 'big', type: 'INT64', converted_type: null, logical_type: null, repetition_type: 'OPTIONAL' },
      {
        name: 'single',
        type: 'FLOAT',
        converted_type: null,
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'double',
        type: 'DOUBLE',
        converted_type: null,
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'text',
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'bytes',
        type: 'BYTE_ARRAY',
        converted_type: null,
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'constructor',
        type: 'INT32',
        converted_type: null,
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
      {
        name: 'Näme "with" spaces',
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: null,
        repetition_type: 'OPTIONAL',
      },
    ]);
  });

  it('compresses every column chunk with gzip and cuts row groups of the configured size', async () => {
    const chunks = await query(
      `SELECT DISTINCT row_group_id, compression FROM parquet_metadata('${file.path}')`,
    );
    expect(new Set(chunks.map((chunk) => chunk.compression))).toEqual(new Set(['GZIP']));
    expect(chunks).toHaveLength(3);
  });

  it('reads back every value as written, NULLs included', async () => {
    const rows = await query(`SELECT * FROM read_parquet('${file.path}')`);
    const values = rows.map((row) =>
      Object.values(row).map((value) =>
        value !== null && typeof value === 'object' && 'bytes' in value
          ? Buffer.from((value as { bytes: Uint8Array }).bytes)
          : value,
      ),
    );
    const expected = ROWS.map((row) =>
      row.map((value, index) =>
        COLUMNS[index].parquetType === 'FLOAT' && typeof value === 'number' ? Math.fround(value) : value,
      ),
    );
    expect(values).toEqual(expected);
    expect(Object.is(values[0][5], -0)).toBe(true);
  });

  it('keeps string statistics in byte order, so filters do not prune matching row groups', async () => {
    const [{ matches }] = await query(
      `SELECT count(*)::INTEGER AS matches FROM read_parquet('${file.path}') WHERE text IN ('😀', 'ｆｕｌｌ')`,
    );
    expect(matches).toBe(2);
  });

  it('writes a readable file without row groups when no row arrives', async () => {
    const empty = await writeParquet(dir, 'empty.gz.parquet', [], 10);
    expect(empty.rows).toBe(0);
    const [{ total }] = await query(`SELECT count(*)::INTEGER AS total FROM read_parquet('${empty.path}')`);
    expect(total).toBe(0);
  });

  it('refuses a column name parquetjs would mistake for the prototype', async () => {
    await expect(
      ParquetPartWriter.open(
        [{ name: '__proto__', parquetType: 'STRING' }],
        createWriteStream(join(dir, 'x')),
        {
          rowGroupRows: 1,
        },
      ),
    ).rejects.toBeInstanceOf(UnsupportedColumnNameError);
  });
});
