import { ColumnPlan } from '@snapex/contracts';
import { ColumnVector } from '@snapex/parquet';
import { BytesBuilder, ColumnarBatchBuilder, ColumnBuilder } from '../columnar-builders';
import { ListBuilder } from './array-values';
import { PG_EPOCH_MICROS, unixDays, unixMicros } from './pg-epoch';
import { BinaryCopyFormatError, CopyRowSink } from './binary-copy-parser';
import { PgDecoder } from './pg-types';
import { quoteIdentifier, textOutputExpression } from './sql';

export class UnknownDecoderError extends Error {
  constructor(decoder: string) {
    super(`no PostgreSQL value decoder named ${JSON.stringify(decoder)}`);
    this.name = 'UnknownDecoderError';
  }
}

type FixedWidthArray = Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

function checkWidth(width: number, start: number, end: number): void {
  if (end - start !== width)
    throw new BinaryCopyFormatError(`a ${end - start}-byte value where ${width} bytes were expected`);
}

/** Big-endian values of `width` bytes, read into a typed array of one slot per row. */
class FixedWidthBuilder<A extends FixedWidthArray> implements ColumnBuilder {
  private values: A;

  constructor(
    private readonly capacity: number,
    private readonly width: number,
    private readonly create: (length: number) => A,
    private readonly read: (values: A, row: number, buffer: Buffer, start: number) => void,
  ) {
    this.values = create(capacity);
  }

  value(row: number, buffer: Buffer, start: number, end: number): void {
    checkWidth(this.width, start, end);
    this.read(this.values, row, buffer, start);
  }

  nullValue(): void {}

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const values = this.values;
    this.values = this.create(this.capacity);
    return { kind: 'fixed', validity, nullCount, values: values.subarray(0, length) };
  }
}

/** int8 goes into the array's bytes reversed: no BigInt is made for it. */
class Int8Builder implements ColumnBuilder {
  private values: BigInt64Array;
  private bytes: Uint8Array;

  constructor(private readonly capacity: number) {
    this.values = new BigInt64Array(capacity);
    this.bytes = new Uint8Array(this.values.buffer);
  }

  value(row: number, buffer: Buffer, start: number, end: number): void {
    checkWidth(8, start, end);
    const bytes = this.bytes;
    const at = row * 8;
    for (let index = 0; index < 8; index++) bytes[at + index] = buffer[start + 7 - index];
  }

  nullValue(): void {}

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const values = this.values;
    this.values = new BigInt64Array(this.capacity);
    this.bytes = new Uint8Array(this.values.buffer);
    return { kind: 'fixed', validity, nullCount, values: values.subarray(0, length) };
  }
}

class BooleanBuilder implements ColumnBuilder {
  private bits: Uint8Array;

  constructor(private readonly capacity: number) {
    this.bits = new Uint8Array((capacity + 7) >> 3);
  }

  value(row: number, buffer: Buffer, start: number, end: number): void {
    checkWidth(1, start, end);
    if (buffer[start] !== 0) this.bits[row >> 3] |= 1 << (row & 7);
  }

  nullValue(): void {}

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const bits = this.bits;
    this.bits = new Uint8Array((this.capacity + 7) >> 3);
    return { kind: 'boolean', validity, nullCount, bits };
  }
}

/**
 * A binary send format of `width` bytes turned into the value Parquet's type holds, one slot per row;
 * `convert` gives null for a value that type cannot hold.
 */
function convertingBuilder<A extends Int32Array | BigInt64Array>(
  capacity: number,
  width: number,
  create: (length: number) => A,
  convert: (buffer: Buffer, start: number) => A[number] | null,
): ColumnBuilder {
  let values = create(capacity);
  return {
    value(row, buffer, start, end) {
      checkWidth(width, start, end);
      const converted = convert(buffer, start);
      if (converted === null) return false;
      values[row] = converted;
      return true;
    },
    nullValue() {},
    take(length, validity, nullCount) {
      const taken = values;
      values = create(capacity);
      return { kind: 'fixed', validity, nullCount, values: taken.subarray(0, length) };
    },
  };
}

/** A date as days since 1970; `infinity` and `-infinity` are not representable. */
function dateBuilder(capacity: number): ColumnBuilder {
  return convertingBuilder(capacity, 4, (length) => new Int32Array(length), unixDays);
}

/** Microseconds as INT64 (see unixMicros); the infinities and what INT64 cannot hold are not representable. */
function microsBuilder(capacity: number, shift: bigint): ColumnBuilder {
  return convertingBuilder(
    capacity,
    8,
    (length) => new BigInt64Array(length),
    (buffer, start) => unixMicros(buffer, start, shift),
  );
}

/** numeric's text output is its exact decimal text, or one of these, which a DECIMAL cannot hold. */
const NOT_A_DECIMAL: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity']);
const LONGEST_NOT_A_DECIMAL = 9;

/** numeric's text, as bytes for the writer to scale; NaN and the infinities are not representable. */
function numericBuilder(capacity: number, column: string): ColumnBuilder {
  const bytes = new BytesBuilder(capacity, column);
  return {
    value(row, buffer, start, end) {
      const first = buffer[start];
      // Digits, a sign or a point start every finite value: only N, I and -I need a look.
      if (
        end - start <= LONGEST_NOT_A_DECIMAL &&
        (first === 0x4e || first === 0x49 || buffer[start + 1] === 0x49)
      )
        if (NOT_A_DECIMAL.has(buffer.toString('latin1', start, end))) return false;
      bytes.value(row, buffer, start, end);
      return true;
    },
    nullValue: (row) => bytes.nullValue(row),
    take: (length, validity, nullCount) => bytes.take(length, validity, nullCount),
  };
}

/** Big-endian numbers of `width` bytes, each read with one of Buffer's readers. */
function numbers<A extends Int16Array | Int32Array | Float32Array | Float64Array>(
  width: number,
  ArrayType: new (length: number) => A,
  readAt: (buffer: Buffer, start: number) => number,
): (capacity: number) => ColumnBuilder {
  const create = (length: number) => new ArrayType(length);
  return (capacity) =>
    new FixedWidthBuilder(capacity, width, create, (values, row, buffer, start) => {
      values[row] = readAt(buffer, start);
    });
}

/**
 * How each decoder's column travels in binary COPY and lands in the batch: the seed's native types in
 * their binary send format (big-endian integers, IEEE floats with NaN and infinities, one byte per
 * boolean, raw bytea), everything else as the UTF-8 bytes of its text output, however it was selected.
 */
const BUILDERS: Record<Exclude<PgDecoder, 'list'>, (capacity: number, column: string) => ColumnBuilder> = {
  int8: (capacity) => new Int8Builder(capacity),
  int4: numbers(4, Int32Array, (buffer, start) => buffer.readInt32BE(start)),
  int2: numbers(2, Int16Array, (buffer, start) => buffer.readInt16BE(start)),
  float8: numbers(8, Float64Array, (buffer, start) => buffer.readDoubleBE(start)),
  float4: numbers(4, Float32Array, (buffer, start) => buffer.readFloatBE(start)),
  bool: (capacity) => new BooleanBuilder(capacity),
  bytea: (capacity, column) => new BytesBuilder(capacity, column),
  text: (capacity, column) => new BytesBuilder(capacity, column),
  text_cast: (capacity, column) => new BytesBuilder(capacity, column),
  text_output: (capacity, column) => new BytesBuilder(capacity, column),
  date: dateBuilder,
  time: (capacity) => microsBuilder(capacity, 0n),
  timestamp: (capacity) => microsBuilder(capacity, PG_EPOCH_MICROS),
  uuid: (capacity, column) => new BytesBuilder(capacity, column),
  numeric: numericBuilder,
};

function isPgDecoder(decoder: string): decoder is Exclude<PgDecoder, 'list'> {
  return Object.prototype.hasOwnProperty.call(BUILDERS, decoder);
}

function builderFor(column: ColumnPlan, capacity: number): ColumnBuilder {
  if (column.decoder === 'list') return ListBuilder.for(column, capacity);
  if (!isPgDecoder(column.decoder)) throw new UnknownDecoderError(column.decoder);
  return BUILDERS[column.decoder](capacity, column.name);
}

/**
 * Rows of a binary COPY stream gathered column by column into a ColumnarBatch: the parser hands each
 * field's bytes over and they are copied once, into the batch's typed arrays and byte buffers. A batch
 * is full at maxRows rows, or earlier once its values reach maxBytes.
 */
export class CopyBatchBuilder extends ColumnarBatchBuilder<ColumnBuilder> implements CopyRowSink {
  constructor(
    columns: readonly ColumnPlan[],
    maxRows: number,
    maxBytes: number,
    /** Told of each value written as NULL because its Parquet type cannot hold it. */
    onNotRepresentable?: (field: number) => void,
  ) {
    super(
      columns.map((column) => builderFor(column, maxRows)),
      maxRows,
      maxBytes,
      onNotRepresentable,
    );
  }

  value(field: number, buffer: Buffer, start: number, end: number): void {
    if (this.columns[field].value(this.rows, buffer, start, end) === false)
      return this.notRepresentable(field);
    this.present(field);
    this.bytes += end - start;
  }

  nullValue(field: number): void {
    this.absent(field);
  }

  /** The row is complete; true once the batch is full. */
  endRow(): boolean {
    this.rows++;
    return this.full;
  }
}

/** What to select for a column so that its binary COPY field is what its builder expects. */
export function selectExpressionFor(column: ColumnPlan): string {
  const name = quoteIdentifier(column.name);
  if (column.decoder === 'text_cast' || column.decoder === 'numeric') return `${name}::pg_catalog.text`;
  if (column.decoder === 'text_output') return textOutputExpression(name);
  return name;
}
