import { ColumnPlan, ListElement } from '@snapex/contracts';
import { ColumnVector, FixedWidthValues } from '@snapex/parquet';
import { BinaryCopyFormatError } from './binary-copy-parser';
import { PG_EPOCH_MICROS, unixDays, unixMicros } from './pg-epoch';

/** One element as its Parquet type holds it, or null (a NULL element, or one that type cannot hold). */
type ElementValue = number | bigint | boolean | string | null;

/** An element that its Parquet type cannot hold (an infinite date or timestamp) makes its array NULL. */
const NOT_REPRESENTABLE = Symbol('not representable');

function timestampMicros(buffer: Buffer, start: number): bigint | typeof NOT_REPRESENTABLE {
  return unixMicros(buffer, start, PG_EPOCH_MICROS) ?? NOT_REPRESENTABLE;
}

/** Each element type's binary send format, read into the value its Parquet type holds. */
const ELEMENT_READERS: Record<
  ListElement['parquetType'],
  (buffer: Buffer, start: number, end: number) => ElementValue | typeof NOT_REPRESENTABLE
> = {
  INT16: (buffer, start) => buffer.readInt16BE(start),
  INT32: (buffer, start) => buffer.readInt32BE(start),
  INT64: (buffer, start) => buffer.readBigInt64BE(start),
  FLOAT: (buffer, start) => buffer.readFloatBE(start),
  DOUBLE: (buffer, start) => buffer.readDoubleBE(start),
  BOOLEAN: (buffer, start) => buffer[start] !== 0,
  STRING: (buffer, start, end) => buffer.toString('utf8', start, end),
  DATE: (buffer, start) => unixDays(buffer, start) ?? NOT_REPRESENTABLE,
  TIME_MICROS: (buffer, start) => buffer.readBigInt64BE(start),
  TIMESTAMP_MICROS: timestampMicros,
  TIMESTAMP_MICROS_LOCAL: timestampMicros,
};

function bitmapOf(values: readonly ElementValue[], test: (value: ElementValue) => boolean): Uint8Array {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((value, index) => {
    if (test(value)) bitmap[index >> 3] |= 1 << (index & 7);
  });
  return bitmap;
}

/** The elements as the vector their Parquet type is carried in. */
function elementVector(type: ListElement['parquetType'], values: readonly ElementValue[]): ColumnVector {
  const validity = bitmapOf(values, (value) => value !== null);
  const nullCount = values.filter((value) => value === null).length;
  const fixed = (typed: FixedWidthValues): ColumnVector => ({
    kind: 'fixed',
    validity,
    nullCount,
    values: typed,
  });
  switch (type) {
    case 'BOOLEAN':
      return { kind: 'boolean', validity, nullCount, bits: bitmapOf(values, (value) => value === true) };
    case 'STRING': {
      const pieces = values.map((value) => Buffer.from(value === null ? '' : (value as string), 'utf8'));
      const offsets = new Int32Array(values.length + 1);
      pieces.forEach((piece, index) => (offsets[index + 1] = offsets[index] + piece.length));
      return { kind: 'bytes', validity, nullCount, offsets, data: Buffer.concat(pieces) };
    }
    case 'INT16':
      return fixed(Int16Array.from(values, (value) => Number(value ?? 0)));
    case 'INT32':
    case 'DATE':
      return fixed(Int32Array.from(values, (value) => Number(value ?? 0)));
    case 'FLOAT':
      return fixed(Float32Array.from(values, (value) => Number(value ?? 0)));
    case 'DOUBLE':
      return fixed(Float64Array.from(values, (value) => Number(value ?? 0)));
    case 'INT64':
    case 'TIME_MICROS':
    case 'TIMESTAMP_MICROS':
    case 'TIMESTAMP_MICROS_LOCAL':
      return fixed(BigInt64Array.from(values, (value) => (value ?? 0n) as bigint));
  }
}

/**
 * A one-dimensional array's binary send format (dimensions, a flags word, the element type, each
 * dimension's length and lower bound, then each element length-prefixed, -1 for NULL) gathered into a
 * LIST: offsets per row over all the batch's elements. An empty array is an empty list; an array of
 * more than one dimension, or holding an element its Parquet type cannot hold, is not representable.
 */
export class ListBuilder {
  private offsets: Int32Array;
  private elements: ElementValue[] = [];
  private readonly read: (typeof ELEMENT_READERS)[ListElement['parquetType']];

  constructor(
    private readonly capacity: number,
    private readonly element: ListElement,
  ) {
    this.offsets = new Int32Array(capacity + 1);
    this.read = ELEMENT_READERS[element.parquetType];
  }

  static for(column: ColumnPlan, capacity: number): ListBuilder {
    if (!column.element) throw new BinaryCopyFormatError(`LIST column ${column.name} has no element type`);
    return new ListBuilder(capacity, column.element);
  }

  value(row: number, buffer: Buffer, start: number, end: number): boolean {
    const kept = this.elements.length;
    const representable = this.readArray(buffer, start, end);
    if (!representable) this.elements.length = kept;
    this.offsets[row + 1] = this.elements.length;
    return representable;
  }

  nullValue(row: number): void {
    this.offsets[row + 1] = this.elements.length;
  }

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const vector: ColumnVector = {
      kind: 'list',
      validity,
      nullCount,
      offsets: this.offsets.subarray(0, length + 1),
      elements: elementVector(this.element.parquetType, this.elements),
      elementCount: this.elements.length,
    };
    this.offsets = new Int32Array(this.capacity + 1);
    this.elements = [];
    return vector;
  }

  private readArray(buffer: Buffer, start: number, end: number): boolean {
    if (end - start < 12) throw new BinaryCopyFormatError(`an array of ${end - start} bytes`);
    const dimensions = buffer.readInt32BE(start);
    if (dimensions === 0) return true;
    if (dimensions !== 1) return false;
    const count = buffer.readInt32BE(start + 12);
    let at = start + 20;
    for (let index = 0; index < count; index++) {
      const length = buffer.readInt32BE(at);
      at += 4;
      if (length < 0) {
        this.elements.push(null);
        continue;
      }
      if (at + length > end) throw new BinaryCopyFormatError('an array element runs past its array');
      const value = this.read(buffer, at, at + length);
      if (value === NOT_REPRESENTABLE) return false;
      this.elements.push(value);
      at += length;
    }
    return true;
  }
}
