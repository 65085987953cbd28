import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Compression } from '@snapex/contracts';
import { ColumnarBatch } from './columnar-batch';
import { DEFAULT_PARQUET_WASM_TUNING, parquetWasmEncoder } from './parquet-wasm-part-encoder';
import { PartBatch, PartColumn, PartRow } from './part-encoder';
import { encoderWorkspace } from '../../../test/support/encoder-workspace';

const COLUMNS: PartColumn[] = [
  { name: 'id', parquetType: 'INT32' },
  { name: 'amount', parquetType: 'DECIMAL', decimal: { precision: 12, scale: 2 } },
  { name: 'wide', parquetType: 'DECIMAL', decimal: { precision: 38, scale: 10 } },
  { name: 'day', parquetType: 'DATE' },
  { name: 'clock', parquetType: 'TIME_MICROS' },
  { name: 'local_ts', parquetType: 'TIMESTAMP_MICROS_LOCAL' },
  { name: 'utc_ts', parquetType: 'TIMESTAMP_MICROS' },
  { name: 'uid', parquetType: 'UUID' },
  { name: 'doc', parquetType: 'JSON' },
];

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const uuidBytes = (text: string) => Buffer.from(text.replace(/-/g, ''), 'hex');

const ROWS: PartRow[] = [
  [
    1,
    '1234567890.12',
    '-1234567890123456789012345678.0123456789',
    19_000,
    45_296_789_012n, // 12:34:56.789012
    1_700_000_000_123_456n,
    -1n,
    uuidBytes(UUID),
    '{"a": [1, 2]}',
  ],
  [2, '-0.01', '0', -719_893, 0n, -62_135_596_800_000_000n, 0n, Buffer.alloc(16), '[]'],
  [3, null, null, null, null, null, null, null, null],
];

/** The same rows as a columnar batch lays them out: decimals as their text, UUIDs as their bytes. */
function columnarOf(rows: readonly PartRow[]): ColumnarBatch {
  const validity = (column: number) => {
    const bitmap = new Uint8Array(1);
    rows.forEach((row, index) => {
      if (row[column] !== null) bitmap[0] |= 1 << index;
    });
    return { validity: bitmap, nullCount: rows.filter((row) => row[column] === null).length };
  };
  const bytes = (column: number, encode: (value: PartRow[number]) => Buffer) => {
    const pieces = rows.map((row) => (row[column] === null ? Buffer.alloc(0) : encode(row[column])));
    const offsets = new Int32Array(rows.length + 1);
    pieces.forEach((piece, index) => (offsets[index + 1] = offsets[index] + piece.length));
    return { kind: 'bytes' as const, ...validity(column), offsets, data: Buffer.concat(pieces) };
  };
  const text = (value: PartRow[number]) => Buffer.from(value as string, 'utf8');
  const fixed = (column: number, values: Int32Array | BigInt64Array) => {
    const zero = values instanceof BigInt64Array ? 0n : 0;
    rows.forEach((row, index) => (values[index] = (row[column] ?? zero) as never));
    return { kind: 'fixed' as const, ...validity(column), values };
  };
  return new ColumnarBatch(rows.length, [
    fixed(0, new Int32Array(rows.length)),
    bytes(1, text),
    bytes(2, text),
    fixed(3, new Int32Array(rows.length)),
    fixed(4, new BigInt64Array(rows.length)),
    fixed(5, new BigInt64Array(rows.length)),
    fixed(6, new BigInt64Array(rows.length)),
    bytes(7, (value) => value as Buffer),
    bytes(8, text),
  ]);
}

const workspace = encoderWorkspace('native-types-');
const open = () => parquetWasmEncoder(workspace.threads, { ...DEFAULT_PARQUET_WASM_TUNING, threads: 1 });

async function write(name: string, batch: PartBatch, compression?: Compression): Promise<string> {
  const path = join(workspace.dir, name);
  const encoder = await open()(COLUMNS, createWriteStream(path), { rowGroupRows: 10, compression });
  await encoder.write(batch);
  await encoder.close();
  return path;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await workspace.duck.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

describe.each([
  ['rows', () => ROWS as PartBatch],
  ['a columnar batch', () => columnarOf(ROWS) as PartBatch],
])('native types written by parquet-wasm from %s', (_, batchOf) => {
  let path: string;

  beforeAll(async () => {
    path = await write(`native-${_.replace(/ /g, '-')}.parquet`, batchOf());
  });

  it('carries each logical type in the footer, timestamps adjusted to UTC or not', async () => {
    const schema = await query(
      `SELECT name, type, logical_type FROM parquet_schema('${path}') WHERE type IS NOT NULL`,
    );
    const byName = Object.fromEntries(schema.map((element) => [element.name, element]));
    expect(byName.amount).toMatchObject({ type: 'INT64', logical_type: expect.stringMatching(/Decimal/) });
    expect(byName.wide).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY' });
    expect(byName.day).toMatchObject({ type: 'INT32', logical_type: 'DateType()' });
    const micros = (type: string, adjusted: number) =>
      new RegExp(`^${type}\\(isAdjustedToUTC=${adjusted}, unit=.*MICROS=MicroSeconds\\(\\)`);
    expect(byName.clock.logical_type).toMatch(micros('TimeType', 0));
    expect(byName.local_ts.logical_type).toMatch(micros('TimestampType', 0));
    expect(byName.utc_ts.logical_type).toMatch(micros('TimestampType', 1));
    expect(byName.uid).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY', logical_type: 'UUIDType()' });
    expect(byName.doc).toMatchObject({ type: 'BYTE_ARRAY', logical_type: 'JsonType()' });
  });

  it('reads back as DuckDB types with the values written', async () => {
    const types = await query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}')`);
    expect(Object.fromEntries(types.map((type) => [type.column_name, type.column_type]))).toEqual({
      id: 'INTEGER',
      amount: 'DECIMAL(12,2)',
      wide: 'DECIMAL(38,10)',
      day: 'DATE',
      clock: 'TIME',
      local_ts: 'TIMESTAMP',
      utc_ts: 'TIMESTAMP WITH TIME ZONE',
      uid: 'UUID',
      doc: 'JSON',
    });
    const rows = await query(
      `SELECT amount::VARCHAR AS amount, wide::VARCHAR AS wide, day::VARCHAR AS day, clock::VARCHAR AS clock,
              strftime(local_ts, '%Y-%m-%d %H:%M:%S.%f') AS local_ts, epoch_us(utc_ts) AS utc_us,
              uid::VARCHAR AS uid, doc::VARCHAR AS doc
         FROM '${path}' ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        amount: '1234567890.12',
        wide: '-1234567890123456789012345678.0123456789',
        day: '2022-01-08',
        clock: '12:34:56.789012',
        local_ts: '2023-11-14 22:13:20.123456',
        utc_us: '-1',
        uid: UUID,
        doc: '{"a": [1, 2]}',
      },
      {
        amount: '-0.01',
        wide: '0.0000000000',
        day: '0002-01-01 (BC)',
        clock: '00:00:00',
        local_ts: '0001-01-01 00:00:00.000000',
        utc_us: '0',
        uid: '00000000-0000-0000-0000-000000000000',
        doc: '[]',
      },
      {
        amount: null,
        wide: null,
        day: null,
        clock: null,
        local_ts: null,
        utc_us: null,
        uid: null,
        doc: null,
      },
    ]);
  });
});

describe.each<[Compression, string]>([
  [{ codec: 'gzip', level: 6 }, 'GZIP'],
  [{ codec: 'zstd' }, 'ZSTD'],
  [{ codec: 'zstd', level: 19 }, 'ZSTD'],
  [{ codec: 'snappy' }, 'SNAPPY'],
])('pages compressed with %j', (compression, codecName) => {
  it(`are ${codecName} in the footer and read back by DuckDB`, async () => {
    const path = await write(
      `codec-${codecName}-${compression.level ?? 'default'}.parquet`,
      ROWS,
      compression,
    );
    const codecs = await query(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
    expect(codecs).toEqual([{ compression: codecName }]);
    const [{ rows, days }] = await query(`SELECT count(*)::INT AS rows, sum(day)::VARCHAR AS days FROM (
      SELECT epoch_ms(day::TIMESTAMP) // 86400000 AS day FROM '${path}')`);
    expect(rows).toBe(3);
    expect(days).toBe(String(19_000 - 719_893));
  });
});
