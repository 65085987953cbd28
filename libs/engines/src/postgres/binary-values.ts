import { ColumnPlan } from '@snapex/contracts';
import { ColumnVector } from '@snapex/parquet';
import { BytesBuilder, ColumnarBatchBuilder, ColumnBuilder } from '../columnar-builders';
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
const BUILDERS: Record<PgDecoder, (capacity: number, column: string) => ColumnBuilder> = {
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
};

function isPgDecoder(decoder: string): decoder is PgDecoder {
  return Object.prototype.hasOwnProperty.call(BUILDERS, decoder);
}

function builderFor(column: ColumnPlan, capacity: number): ColumnBuilder {
  if (!isPgDecoder(column.decoder)) throw new UnknownDecoderError(column.decoder);
  return BUILDERS[column.decoder](capacity, column.name);
}

/**
 * Rows of a binary COPY stream gathered column by column into a ColumnarBatch: the parser hands each
 * field's bytes over and they are copied once, into the batch's typed arrays and byte buffers. A batch
 * is full at maxRows rows, or earlier once its values reach maxBytes.
 */
export class CopyBatchBuilder extends ColumnarBatchBuilder<ColumnBuilder> implements CopyRowSink {
  constructor(columns: readonly ColumnPlan[], maxRows: number, maxBytes: number) {
    super(
      columns.map((column) => builderFor(column, maxRows)),
      maxRows,
      maxBytes,
    );
  }

  value(field: number, buffer: Buffer, start: number, end: number): void {
    this.columns[field].value(this.rows, buffer, start, end);
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
  if (column.decoder === 'text_cast') return `${name}::pg_catalog.text`;
  if (column.decoder === 'text_output') return textOutputExpression(name);
  return name;
}
