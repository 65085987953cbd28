import { ColumnPlan } from '@snapex/contracts';
import { rowsOfBatch } from '@snapex/parquet';
import { BinaryCopyFormatError } from './binary-copy-parser';
import { CopyBatchBuilder, selectExpressionFor, UnknownDecoderError } from './binary-values';

const PARQUET_TYPES: Record<string, ColumnPlan['parquetType']> = {
  int8: 'INT64',
  int4: 'INT32',
  int2: 'INT16',
  float8: 'DOUBLE',
  float4: 'FLOAT',
  bool: 'BOOLEAN',
  bytea: 'BINARY',
};

function columnOf(decoder: string): ColumnPlan {
  return { ...plan('c', decoder), parquetType: PARQUET_TYPES[decoder] ?? 'STRING' };
}

/** The value one field's bytes become, read back from the batch the builder makes of them. */
function decode(decoder: string, bytes: Buffer): unknown {
  const column = columnOf(decoder);
  const builder = new CopyBatchBuilder([column, column], 4, 1024);
  // Values sit inside a larger chunk, as they do in a COPY stream; a NULL row sits before them.
  const chunk = Buffer.concat([Buffer.from([0xaa, 0xbb]), bytes, Buffer.from([0xcc])]);
  builder.nullValue(0);
  builder.nullValue(1);
  builder.endRow();
  builder.value(0, chunk, 2, 2 + bytes.length);
  builder.nullValue(1);
  builder.endRow();
  const rows = rowsOfBatch(builder.take(), [column, column]);
  expect(rows).toHaveLength(2);
  expect(rows[0]).toEqual([null, null]);
  expect(rows[1][1]).toBeNull();
  return rows[1][0];
}

function bigEndian(write: (buffer: Buffer) => void, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  write(buffer);
  return buffer;
}

const int8 = (value: bigint) => bigEndian((buffer) => buffer.writeBigInt64BE(value), 8);
const float8 = (value: number) => bigEndian((buffer) => buffer.writeDoubleBE(value), 8);
const float4 = (value: number) => bigEndian((buffer) => buffer.writeFloatBE(value), 4);

function plan(name: string, decoder: string): ColumnPlan {
  return {
    name,
    originalType: 't',
    decoder,
    parquetType: 'STRING',
    expectedExportedType: 'binary (UTF8)',
    originalCharMaxLength: 0,
    originalNumPrecision: 0,
    originalDateTimePrecision: 0,
  };
}

describe('binary value decoders', () => {
  it('reads 64-bit integers exactly', () => {
    expect(decode('int8', int8(9223372036854775807n))).toBe(9223372036854775807n);
    expect(decode('int8', int8(-9223372036854775808n))).toBe(-9223372036854775808n);
  });

  it('reads 32- and 16-bit integers as numbers', () => {
    expect(
      decode(
        'int4',
        bigEndian((buffer) => buffer.writeInt32BE(-2147483648), 4),
      ),
    ).toBe(-2147483648);
    expect(
      decode(
        'int2',
        bigEndian((buffer) => buffer.writeInt16BE(-32768), 2),
      ),
    ).toBe(-32768);
  });

  it('reads doubles and singles with their special values', () => {
    expect(decode('float8', float8(NaN))).toBeNaN();
    expect(decode('float8', float8(-Infinity))).toBe(-Infinity);
    expect(Object.is(decode('float8', float8(-0)), -0)).toBe(true);
    expect(decode('float8', float8(1e-320))).toBe(1e-320);
    expect(decode('float4', float4(Infinity))).toBe(Infinity);
    expect(decode('float4', float4(3.4028234663852886e38))).toBe(3.4028234663852886e38);
  });

  it('reads booleans', () => {
    expect(decode('bool', Buffer.from([1]))).toBe(true);
    expect(decode('bool', Buffer.from([0]))).toBe(false);
  });

  it('copies bytea out of the chunk, which is reused, short and long values alike', () => {
    for (const length of [2, 100]) {
      const chunk = Buffer.alloc(length + 2, 7);
      const builder = new CopyBatchBuilder([columnOf('bytea')], 4, 1024);
      builder.value(0, chunk, 1, 1 + length);
      builder.endRow();
      chunk.fill(0);
      expect(rowsOfBatch(builder.take(), [columnOf('bytea')])).toEqual([[Buffer.alloc(length, 7)]]);
    }
    expect(decode('bytea', Buffer.alloc(0))).toEqual(Buffer.alloc(0));
  });

  it('is full at its row count, or earlier at its byte size, and starts empty again after take()', () => {
    const builder = new CopyBatchBuilder([columnOf('text')], 3, 10);
    const value = Buffer.from('abcdef');
    builder.value(0, value, 0, 6);
    builder.endRow();
    expect(builder.full).toBe(false);
    builder.value(0, value, 0, 6);
    builder.endRow();
    expect(builder.full).toBe(true);
    expect(builder.take().length).toBe(2);
    expect(builder.length).toBe(0);
    for (let row = 0; row < 3; row++) {
      builder.nullValue(0);
      builder.endRow();
    }
    expect(builder.full).toBe(true);
    expect(rowsOfBatch(builder.take(), [columnOf('text')])).toEqual([[null], [null], [null]]);
  });

  it.each(['text', 'text_cast', 'text_output'])('reads %s output as UTF-8', (decoder) => {
    expect(decode(decoder, Buffer.from('{"a": "ü 😀"}', 'utf8'))).toBe('{"a": "ü 😀"}');
    expect(decode(decoder, Buffer.alloc(0))).toBe('');
  });

  it('refuses a fixed-width value of another width', () => {
    expect(() => decode('int4', Buffer.alloc(8))).toThrow(BinaryCopyFormatError);
    expect(() => decode('bool', Buffer.alloc(0))).toThrow(BinaryCopyFormatError);
  });

  it('refuses decoders it does not know, inherited object keys included', () => {
    expect(() => new CopyBatchBuilder([plan('c', 'tinyint')], 1, 1)).toThrow(UnknownDecoderError);
    expect(() => new CopyBatchBuilder([plan('c', 'constructor')], 1, 1)).toThrow(UnknownDecoderError);
  });
});

describe('selectExpressionFor', () => {
  it('selects native columns as they are, quoted', () => {
    expect(selectExpressionFor(plan('Big "id"', 'int8'))).toBe('"Big ""id"""');
  });

  it("selects every other column as its type's text output, cast or called as the plan says", () => {
    expect(selectExpressionFor(plan('c', 'text'))).toBe('"c"');
    expect(selectExpressionFor(plan('c', 'text_cast'))).toBe('"c"::pg_catalog.text');
    expect(selectExpressionFor(plan('c', 'text_output'))).toBe(
      `CASE WHEN pg_catalog.num_nulls("c") = 1 THEN NULL ELSE pg_catalog.format('%s', "c") END`,
    );
  });
});
