import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Decimal, tableFromIPC, TimestampMicrosecond } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { ParquetColumnType } from '@snapex/contracts';
import { UnexpectedValueError } from './arrow-batch';
import { PART_ENCODER_NAMES, partEncoderNamed } from './encoders';
import { footerOf } from './parquet-footer';
import { FooterEntries, OpenPartEncoder, PartColumn, PartRow } from './part-encoder';
import { EncoderThreads } from './encoder-threads';
import {
  DEFAULT_PARQUET_WASM_TUNING,
  openParquetWasmPart,
  parquetWasmEncoder,
} from './parquet-wasm-part-encoder';

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
  [null, 7, null, -1n, -0, 5, null, Buffer.from([0x00, 0x00]), null, 'z'],
];

type NativeOnlyType = 'TIMESTAMP_MICROS_LOCAL' | 'DATE' | 'TIME_MICROS' | 'UUID' | 'JSON' | 'LIST';

/** Physical type, converted type, and the logical type a writer may add that says the same thing. */
const EXPECTED_TYPES: Record<
  Exclude<ParquetColumnType, 'DECIMAL' | 'TIMESTAMP_MICROS' | NativeOnlyType>,
  { type: string; converted: string | null; logical: RegExp }
> = {
  BOOLEAN: { type: 'BOOLEAN', converted: null, logical: /^$/ },
  INT16: { type: 'INT32', converted: 'INT_16', logical: /^(|IntType\(bitWidth=16, isSigned=1\))$/ },
  INT32: { type: 'INT32', converted: null, logical: /^$/ },
  INT64: { type: 'INT64', converted: null, logical: /^$/ },
  FLOAT: { type: 'FLOAT', converted: null, logical: /^$/ },
  DOUBLE: { type: 'DOUBLE', converted: null, logical: /^$/ },
  STRING: { type: 'BYTE_ARRAY', converted: 'UTF8', logical: /^(|StringType\(\))$/ },
  BINARY: { type: 'BYTE_ARRAY', converted: null, logical: /^$/ },
};

interface ParquetFile {
  path: string;
  rows: number;
  bytes: number;
}

type Row = Record<string, unknown>;

class Readback {
  private constructor(private readonly duck: DuckDBConnection) {}

  static async open(): Promise<Readback> {
    return new Readback(await (await DuckDBInstance.create(':memory:')).connect());
  }

  async query(sql: string): Promise<Row[]> {
    return (await this.duck.runAndReadAll(sql)).getRowObjects() as Row[];
  }

  /** Every row as an array of values, binaries as Buffers. */
  async values(path: string): Promise<unknown[][]> {
    const rows = (await this.duck.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRows();
    return rows.map((row) => row.map(asBuffer));
  }

  close(): void {
    this.duck.closeSync();
  }
}

function asBuffer(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'bytes' in value
    ? Buffer.from((value as { bytes: Uint8Array }).bytes)
    : value;
}

/** What a reader should get back: FLOAT columns hold the nearest 32-bit float. */
function expectedValues(rows: readonly PartRow[], columns: readonly PartColumn[]): unknown[][] {
  return rows.map((row) =>
    row.map((value, index) =>
      columns[index].parquetType === 'FLOAT' && typeof value === 'number' ? Math.fround(value) : value,
    ),
  );
}

async function writeParquet(
  open: OpenPartEncoder,
  path: string,
  rows: readonly PartRow[],
  options: { rowGroupRows: number; batchRows: number; columns?: PartColumn[]; entries?: FooterEntries },
): Promise<ParquetFile> {
  const encoder = await open(options.columns ?? COLUMNS, createWriteStream(path), {
    rowGroupRows: options.rowGroupRows,
  });
  for (let start = 0; start < rows.length; start += options.batchRows) {
    await encoder.write(rows.slice(start, start + options.batchRows));
  }
  const stats = await encoder.close(options.entries);
  return { path, ...stats };
}

/** Each encoder, and parquet-wasm with each page writer: every one must write the same types and values. */
const ENCODER_VARIANTS: [string, OpenPartEncoder][] = [
  ...PART_ENCODER_NAMES.map((name): [string, OpenPartEncoder] => [name, partEncoderNamed(name)]),
  [
    'parquet-wasm (arrow-rs pages)',
    partEncoderNamed('parquet-wasm', { ...DEFAULT_PARQUET_WASM_TUNING, pages: 'parquet-wasm' }),
  ],
];

let dir: string;
let readback: Readback;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'part-encoders-'));
  readback = await Readback.open();
});

afterAll(async () => {
  readback?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(ENCODER_VARIANTS)('the %s encoder', (name, open) => {
  let file: ParquetFile;

  beforeAll(async () => {
    file = await writeParquet(open, join(dir, `${name.replace(/\W+/g, '-')}-all-types.gz.parquet`), ROWS, {
      rowGroupRows: 2,
      batchRows: 3,
    });
  });

  it('reports the rows written and the size of the file', async () => {
    expect(file.rows).toBe(ROWS.length);
    expect(file.bytes).toBe((await stat(file.path)).size);
  });

  it('declares every column optional with the physical and converted type of the mapping', async () => {
    const schema = await readback.query(
      // DuckDB prints the 8-bit bitWidth as a character: 16 shows as U+0010.
      `SELECT name, type, converted_type, coalesce(replace(logical_type, chr(16), '16'), '') AS logical_type,
              repetition_type
         FROM parquet_schema('${file.path}') WHERE type IS NOT NULL`,
    );
    expect(schema.map((column) => column.name)).toEqual(COLUMNS.map((column) => column.name));
    schema.forEach((column, index) => {
      const expected = EXPECTED_TYPES[COLUMNS[index].parquetType as keyof typeof EXPECTED_TYPES];
      expect({ ...column, logical_type: undefined }).toEqual({
        name: COLUMNS[index].name,
        type: expected.type,
        converted_type: expected.converted,
        logical_type: undefined,
        repetition_type: 'OPTIONAL',
      });
      expect(column.logical_type).toMatch(expected.logical);
    });
  });

  it('compresses every column chunk with gzip and cuts row groups of the configured size', async () => {
    const groups = await readback.query(
      `SELECT row_group_id, any_value(row_group_num_rows)::INTEGER AS rows, list(DISTINCT compression) AS codecs
         FROM parquet_metadata('${file.path}') GROUP BY row_group_id ORDER BY row_group_id`,
    );
    expect(groups.map((group) => group.rows)).toEqual([2, 2, 2, 1]);
    for (const group of groups) expect((group.codecs as { items: unknown[] }).items).toEqual(['GZIP']);
  });

  it('reads back every value as written: NULLs, unicode, INT64 extremes, NaN, infinities, -0, 0x00 bytes', async () => {
    const values = await readback.values(file.path);
    expect(values).toEqual(expectedValues(ROWS, COLUMNS));
    expect(Object.is(values[0][5], -0)).toBe(true);
    expect(Object.is(values[6][4], -0)).toBe(true);
  });

  it('keeps string statistics in byte order, so filters do not prune matching row groups', async () => {
    const [{ matches }] = await readback.query(
      `SELECT count(*)::INTEGER AS matches FROM read_parquet('${file.path}') WHERE text IN ('😀', 'ｆｕｌｌ')`,
    );
    expect(matches).toBe(2);
  });

  it('keeps NaN out of the statistics, so filters on floating point columns find every match', async () => {
    const [{ doubles, singles }] = await readback.query(
      `SELECT count(*) FILTER (WHERE double = 1e308)::INTEGER AS doubles,
              count(*) FILTER (WHERE single = 'inf'::FLOAT)::INTEGER AS singles
         FROM read_parquet('${file.path}')`,
    );
    expect({ doubles, singles }).toEqual({ doubles: 1, singles: 1 });
  });

  it('writes a readable file without row groups when closed before any row', async () => {
    const empty = await writeParquet(open, join(dir, `${name.replace(/\W+/g, '-')}-empty.gz.parquet`), [], {
      rowGroupRows: 10,
      batchRows: 1,
    });
    expect(empty.rows).toBe(0);
    expect(empty.bytes).toBe((await stat(empty.path)).size);
    const [{ total }] = await readback.query(
      `SELECT count(*)::INTEGER AS total FROM read_parquet('${empty.path}')`,
    );
    expect(total).toBe(0);
    const [{ groups }] = await readback.query(
      `SELECT count(*)::INTEGER AS groups FROM parquet_metadata('${empty.path}')`,
    );
    expect(groups).toBe(0);
  });

  it('writes the entries it is closed with into the footer, where any Parquet reader finds them', async () => {
    const entries = { 'snapex.test.file': '3', 'snapex.test.note': 'ünï ✓' };
    for (const [label, rows] of [
      ['rows', ROWS],
      ['empty', []],
    ] as const) {
      const path = join(dir, `${name.replace(/\W+/g, '-')}-entries-${label}.gz.parquet`);
      await writeParquet(open, path, rows, { rowGroupRows: 2, batchRows: 3, entries });
      const footer = footerOf(await readFile(path));
      expect(footer.rows).toBe(rows.length);
      expect(Object.fromEntries(footer.entries)).toMatchObject(entries);
      const read = await readback.query(
        `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${path}')
          WHERE decode(key) LIKE 'snapex.%' ORDER BY key`,
      );
      expect(read).toEqual(Object.entries(entries).map(([key, value]) => ({ key, value })));
    }
  });

  it('cuts full row groups across many batches and keeps their order', async () => {
    const columns: PartColumn[] = [
      { name: 'id', parquetType: 'INT64' },
      { name: 'label', parquetType: 'STRING' },
    ];
    const rows: PartRow[] = Array.from({ length: 2_500 }, (_, index) => [BigInt(index), `row ${index}`]);
    const many = await writeParquet(open, join(dir, `${name.replace(/\W+/g, '-')}-many.gz.parquet`), rows, {
      rowGroupRows: 1_000,
      batchRows: 300,
      columns,
    });
    const groups = await readback.query(
      `SELECT DISTINCT row_group_id, row_group_num_rows::INTEGER AS rows
         FROM parquet_metadata('${many.path}') ORDER BY row_group_id`,
    );
    expect(groups.map((group) => group.rows)).toEqual([1_000, 1_000, 500]);
    expect(await readback.values(many.path)).toEqual(rows);
  });
});

const MAX_38_DIGITS = '9'.repeat(38);

/** One column per way a DECIMAL is stored, and a timestamp; values at the edges of each. */
const EXACT_COLUMNS: PartColumn[] = [
  { name: 'd1', parquetType: 'DECIMAL', decimal: { precision: 1, scale: 0 } },
  { name: 'd5_2', parquetType: 'DECIMAL', decimal: { precision: 5, scale: 2 } },
  { name: 'd9_9', parquetType: 'DECIMAL', decimal: { precision: 9, scale: 9 } },
  { name: 'd18_4', parquetType: 'DECIMAL', decimal: { precision: 18, scale: 4 } },
  { name: 'd20_0', parquetType: 'DECIMAL', decimal: { precision: 20, scale: 0 } },
  { name: 'd30_10', parquetType: 'DECIMAL', decimal: { precision: 30, scale: 10 } },
  { name: 'd38_0', parquetType: 'DECIMAL', decimal: { precision: 38, scale: 0 } },
  { name: 'at', parquetType: 'TIMESTAMP_MICROS' },
];

const EXACT_ROWS: PartRow[] = [
  [
    '9',
    '999.99',
    '0.999999999',
    '99999999999999.9999',
    '18446744073709551615',
    '99999999999999999999.9999999999',
    MAX_38_DIGITS,
    253402300799999999n,
  ],
  [
    '-9',
    '-999.99',
    '-0.999999999',
    '-99999999999999.9999',
    '-9999999999999999999',
    '-99999999999999999999.9999999999',
    `-${MAX_38_DIGITS}`,
    -62135596800000000n,
  ],
  ['0', '0.00', '0.000000000', '0.0000', '0', '0.0000000000', '0', 0n],
  ['1', '-0.01', '-0.000000001', '-0.0001', '1', '-0.0000000001', '-1', -1n],
  // A cent that floating point would lose: 1.13 * 100 is 112.99999999999999.
  [
    '-1',
    '1.13',
    '0.123456789',
    '9223372036854.7758',
    '9223372036854775808',
    '12345678901234567890.0123456789',
    '12345678901234567890123456789012345678',
    1_700_000_000_123_456n,
  ],
  [null, null, null, null, null, null, null, null],
];

/** Physical type, byte length and converted type each column must have. */
const EXACT_TYPES = [
  { type: 'INT32', type_length: null, converted_type: 'DECIMAL', precision: 1, scale: 0 },
  { type: 'INT32', type_length: null, converted_type: 'DECIMAL', precision: 5, scale: 2 },
  { type: 'INT32', type_length: null, converted_type: 'DECIMAL', precision: 9, scale: 9 },
  { type: 'INT64', type_length: null, converted_type: 'DECIMAL', precision: 18, scale: 4 },
  { type: 'FIXED_LEN_BYTE_ARRAY', type_length: '9', converted_type: 'DECIMAL', precision: 20, scale: 0 },
  { type: 'FIXED_LEN_BYTE_ARRAY', type_length: '13', converted_type: 'DECIMAL', precision: 30, scale: 10 },
  { type: 'FIXED_LEN_BYTE_ARRAY', type_length: '16', converted_type: 'DECIMAL', precision: 38, scale: 0 },
  { type: 'INT64', type_length: null, converted_type: 'TIMESTAMP_MICROS', precision: null, scale: null },
];

describe.each(ENCODER_VARIANTS)('the %s encoder with exact types', (name, open) => {
  let file: ParquetFile;

  beforeAll(async () => {
    file = await writeParquet(open, join(dir, `${name.replace(/\W+/g, '-')}-exact.gz.parquet`), EXACT_ROWS, {
      rowGroupRows: 4,
      batchRows: 3,
      columns: EXACT_COLUMNS,
    });
  });

  it('stores each DECIMAL on INT32, INT64 or the fewest bytes by precision, and timestamps as UTC microseconds', async () => {
    const schema = await readback.query(
      `SELECT type, type_length, converted_type, precision::INTEGER AS precision, scale::INTEGER AS scale,
              coalesce(logical_type, '') AS logical_type
         FROM parquet_schema('${file.path}') WHERE type IS NOT NULL`,
    );
    expect(schema.map((column) => ({ ...column, logical_type: undefined }))).toEqual(
      EXACT_TYPES.map((expected) => ({ ...expected, logical_type: undefined })),
    );
    for (const [index, column] of schema.entries()) {
      const logical =
        EXACT_TYPES[index].converted_type === 'DECIMAL'
          ? new RegExp(
              `^(|DecimalType\\(scale=${EXACT_TYPES[index].scale}, precision=${EXACT_TYPES[index].precision}\\))$`,
            )
          : /^(|TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(MILLIS=<null>, MICROS=MicroSeconds\(\), NANOS=<null>\)\))$/;
      expect(column.logical_type).toMatch(logical);
    }
  });

  it('reads back every decimal digit for digit and every microsecond, before 1970 too', async () => {
    const columns = EXACT_COLUMNS.map((column) =>
      column.parquetType === 'DECIMAL' ? `"${column.name}"::VARCHAR` : `epoch_us("${column.name}")`,
    );
    const rows = await readback.query(`SELECT ${columns.join(', ')} FROM read_parquet('${file.path}')`);
    // DuckDB prints a decimal without integer digits (scale = precision) as `.5`.
    const withLeadingZero = (value: unknown) =>
      typeof value === 'string' ? value.replace(/^(-?)\./, '$10.') : value;
    expect(rows.map((row) => Object.values(row).map(withLeadingZero))).toEqual(EXACT_ROWS);
  });

  it('declares each DECIMAL with its own precision to Arrow readers too (ARROW:schema)', async () => {
    const bytes = await readFile(file.path);
    const arrowSchema = footerOf(bytes).entries.get('ARROW:schema');
    if (!name.startsWith('parquet-wasm')) return expect(arrowSchema).toBeUndefined();
    const table = tableFromIPC(readParquet(bytes).intoIPCStream());
    expect(table.schema.fields.map((field) => String(field.type))).toEqual(
      EXACT_COLUMNS.map((column) =>
        column.parquetType === 'DECIMAL'
          ? String(new Decimal(column.decimal!.scale, column.decimal!.precision, 128))
          : String(new TimestampMicrosecond('UTC')),
      ),
    );
  });

  it('refuses a decimal that does not fit its precision or scale instead of writing a wrong one', async () => {
    for (const value of ['1000.00', '1.001', '12e3', '', 1.5]) {
      const encoder = await open([EXACT_COLUMNS[1]], new PassThrough(), { rowGroupRows: 1 });
      await expect(encoder.write([[value]])).rejects.toBeInstanceOf(UnexpectedValueError);
    }
  });
});

/** An output that takes bytes only when told to, like an upload waiting for S3. */
class GatedOutput extends Writable {
  received = 0;
  private pending: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received += chunk.length;
    this.pending.push(callback);
  }

  release(): void {
    const waiting = this.pending;
    this.pending = [];
    for (const callback of waiting) callback();
  }
}

function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe('the parquet-wasm encoder', () => {
  const columns: PartColumn[] = [{ name: 'text', parquetType: 'STRING' }];
  const threads = new EncoderThreads(1);
  /** Room for two of the tests' row groups in flight, so that a stalled output soon stops the writes. */
  const openTight = parquetWasmEncoder(threads, {
    ...DEFAULT_PARQUET_WASM_TUNING,
    maxBytesInFlight: 96 * 1024,
  });
  afterAll(() => threads.terminate());
  const batch = (size: number, seed: number): PartRow[] =>
    // Random text does not compress: each row group is far larger than the writer's small output buffer.
    Array.from({ length: size }, (_, index) => [`${seed}-${index}-${randomBytes(300).toString('base64')}`]);

  it('stops taking rows while the output is full, and goes on once it drains', async () => {
    const output = new GatedOutput();
    const encoder = await openTight(columns, output, { rowGroupRows: 100 });
    let blocked: Promise<void> | null = null;
    for (let round = 0; round < 10 && !blocked; round++) {
      const write = encoder.write(batch(100, round));
      if (!(await settledWithin(write, 200))) blocked = write;
    }
    expect(blocked).not.toBeNull();
    const received = output.received;
    output.release();
    const release = setInterval(() => output.release(), 5);
    try {
      await blocked;
      await encoder.close();
    } finally {
      clearInterval(release);
    }
    expect(output.received).toBeGreaterThan(received);
  });

  it('fails a waiting write when the output fails instead of waiting forever', async () => {
    const output = new GatedOutput();
    output.on('error', () => undefined);
    const encoder = await openTight(columns, output, { rowGroupRows: 100 });
    let write: Promise<void> = Promise.resolve();
    for (let round = 0; round < 10; round++) {
      write = encoder.write(batch(100, round));
      if (!(await settledWithin(write, 200))) break;
    }
    output.destroy(new Error('upload refused'));
    await expect(write).rejects.toThrow('upload refused');
    await expect(encoder.close()).rejects.toThrow('upload refused');
  });

  it('fails the next write when the output is abandoned while it waits for rows', async () => {
    const output = new PassThrough();
    const encoder = await openParquetWasmPart(columns, output, { rowGroupRows: 100 });
    await encoder.write(batch(10, 1));
    output.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(encoder.write(batch(10, 2))).rejects.toThrow('closed before the file was complete');
  });

  it('stays failed after rows it cannot hold', async () => {
    const encoder = await openParquetWasmPart(columns, new PassThrough(), { rowGroupRows: 10 });
    await encoder.write([['fine']]);
    await expect(encoder.write([[42]])).rejects.toBeInstanceOf(UnexpectedValueError);
    await expect(encoder.close()).rejects.toBeInstanceOf(UnexpectedValueError);
  });

  it('refuses a value of another type than its column instead of writing a wrong one', async () => {
    const cases: [ParquetColumnType, PartRow[number]][] = [
      ['INT32', 2 ** 31],
      ['INT32', 1.5],
      ['INT16', 40_000],
      ['INT64', 2n ** 63n],
      ['INT64', 5],
      ['DOUBLE', '1'],
      ['BOOLEAN', 1],
      ['STRING', Buffer.from('x')],
      ['BINARY', 'x'],
    ];
    for (const [parquetType, value] of cases) {
      const encoder = await openParquetWasmPart([{ name: 'value', parquetType }], new PassThrough(), {
        rowGroupRows: 10,
      });
      await expect(encoder.write([[value]])).rejects.toBeInstanceOf(UnexpectedValueError);
    }
  });

  it('writes a column named __proto__', async () => {
    const path = join(dir, 'wasm-proto.gz.parquet');
    await writeParquet(openParquetWasmPart, path, [[1], [null]], {
      rowGroupRows: 10,
      batchRows: 1,
      columns: [{ name: '__proto__', parquetType: 'INT32' }],
    });
    const names = await readback.query(`SELECT name FROM parquet_schema('${path}') WHERE type IS NOT NULL`);
    expect(names.map((column) => column.name)).toEqual(['__proto__']);
    expect(await readback.values(path)).toEqual([[1], [null]]);
  });
});
