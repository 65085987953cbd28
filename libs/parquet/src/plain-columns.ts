import { Data, DataType, RecordBatch, Type } from 'apache-arrow';
import { PartColumn } from './part-encoder';

/**
 * One column of one batch as the plain page writer takes it: its own buffers (sent to the encoder
 * thread by transfer), the first value at index 0.
 *   - `fixed`: `width` bytes per row, little endian as Arrow holds them (Decimal128 as 16 bytes);
 *   - `bits`: booleans, one bit per row, least significant first;
 *   - `bytes`: value i is data[offsets[i], offsets[i + 1]), offsets[0] being 0.
 * `validity` has bit i set when row i is not NULL; it is null when no row is NULL.
 */
export type WireColumn =
  | {
      kind: 'fixed';
      length: number;
      nullCount: number;
      validity: Uint8Array | null;
      width: number;
      values: Uint8Array;
    }
  | { kind: 'bits'; length: number; nullCount: number; validity: Uint8Array | null; bits: Uint8Array }
  | {
      kind: 'bytes';
      length: number;
      nullCount: number;
      validity: Uint8Array | null;
      offsets: Int32Array;
      data: Uint8Array;
    };

/**
 * A batch's columns, in the file's column order, every array a view into `buffer`: one allocation and
 * one transfer per batch.
 */
export interface WireBatch {
  buffer: ArrayBuffer;
  columns: readonly WireColumn[];
}

/** Arrow types written straight to plain pages; a LIST takes parquet-wasm (repetition levels). */
const FIXED_WIDTH_TYPES: ReadonlySet<Type> = new Set([
  Type.Int,
  Type.Float,
  Type.Date,
  Type.Time,
  Type.Timestamp,
  Type.Decimal,
  Type.FixedSizeBinary,
]);

/** Whether every column of the file can be written by the plain page writer. */
export function plainPagesCanWrite(columns: readonly PartColumn[]): boolean {
  return columns.every((column) => column.parquetType !== 'LIST');
}

/** Whether row `row` of the column holds a value. */
export function isValid(column: WireColumn, row: number): boolean {
  return column.validity === null || (column.validity[row >> 3] & (1 << (row & 7))) !== 0;
}

/** NULLs among rows [start, end) of the column. */
export function nullsIn(column: WireColumn, start: number, end: number): number {
  if (column.nullCount === 0) return 0;
  if (start === 0 && end === column.length) return column.nullCount;
  let nulls = 0;
  for (let row = start; row < end; row++) if (!isValid(column, row)) nulls++;
  return nulls;
}

/** Bits [start, start + count) of `bitmap`, copied to bit 0 of bytes of their own. */
function bitsOf(bitmap: Uint8Array, start: number, count: number): Uint8Array {
  const out = new Uint8Array((count + 7) >> 3);
  copyBits(bitmap, start, out, 0, count);
  return out;
}

/** Copies `count` bits from `source` at bit `from` into `target` at bit `to`, overwriting what was there. */
export function copyBits(
  source: Uint8Array,
  from: number,
  target: Uint8Array,
  to: number,
  count: number,
): void {
  if ((from & 7) === 0 && (to & 7) === 0) {
    const whole = count >> 3;
    target.set(source.subarray(from >> 3, (from >> 3) + whole), to >> 3);
    for (let bit = whole << 3; bit < count; bit++) setBit(target, to + bit, source, from + bit);
    return;
  }
  for (let bit = 0; bit < count; bit++) setBit(target, to + bit, source, from + bit);
}

function setBit(target: Uint8Array, at: number, source: Uint8Array, from: number): void {
  const mask = 1 << (at & 7);
  if (source[from >> 3] & (1 << (from & 7))) target[at >> 3] |= mask;
  else target[at >> 3] &= ~mask;
}

/**
 * Arrays copied one after another into one buffer, each at an 8-byte boundary so that typed views of
 * any width can be laid over it.
 */
class OneBuffer {
  private size = 0;
  private readonly copies: { source: Uint8Array; at: number }[] = [];

  /** Makes room for `source`'s bytes; answers where they will lie. */
  add(source: Uint8Array): number {
    const at = this.size;
    this.copies.push({ source, at });
    this.size = (at + source.byteLength + 7) & ~7;
    return at;
  }

  /** The buffer, every source copied in. */
  fill(): ArrayBuffer {
    // Not zeroed: every byte a view reads is copied in.
    const buffer = Buffer.allocUnsafeSlow(this.size).buffer as ArrayBuffer;
    const bytes = new Uint8Array(buffer);
    for (const { source, at } of this.copies) bytes.set(source, at);
    return buffer;
  }
}

/** A column whose arrays are laid out in a OneBuffer, built once the buffer is filled. */
type PlannedColumn = (buffer: ArrayBuffer) => WireColumn;

/** Bits [start, start + count) of `bitmap`, placed at bit 0 of their own bytes in `into`. */
function plannedBits(into: OneBuffer, bitmap: Uint8Array, start: number, count: number) {
  const bytes = (count + 7) >> 3;
  const source =
    (start & 7) === 0 ? bitmap.subarray(start >> 3, (start >> 3) + bytes) : bitsOf(bitmap, start, count);
  const at = into.add(source);
  return (buffer: ArrayBuffer): Uint8Array => {
    const bits = new Uint8Array(buffer, at, bytes);
    // Bits past the last row are left clear, whatever the source held there.
    if (count & 7) bits[bytes - 1] &= (1 << (count & 7)) - 1;
    return bits;
  };
}

function plannedValidity(into: OneBuffer, data: Data): (buffer: ArrayBuffer) => Uint8Array | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return () => null;
  return plannedBits(into, data.nullBitmap, data.offset, data.length);
}

/** Bytes per value of fixed-width Arrow data (Decimal128: four 32-bit words; FixedSizeBinary: its width). */
function widthOf(data: Data): number {
  return (data.values as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT * data.stride;
}

/** A view of a typed array's bytes. */
function bytesOf(values: ArrayBufferView, start: number, end: number): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset + start, end - start);
}

/**
 * A slice of Arrow data keeps its offset for the validity and boolean bits only: its value offsets and
 * fixed-width values are views that start at the slice's first row.
 */
function plannedBytes(into: OneBuffer, data: Data): PlannedColumn {
  const { length, nullCount } = data;
  const offsets = (data.valueOffsets as Int32Array).subarray(0, length + 1);
  const first = offsets[0];
  const dataBytes = offsets[length] - first;
  const validity = plannedValidity(into, data);
  const offsetsAt = into.add(bytesOf(offsets, 0, offsets.byteLength));
  const dataAt = into.add((data.values as Uint8Array).subarray(first, offsets[length]));
  return (buffer) => {
    const own = new Int32Array(buffer, offsetsAt, length + 1);
    if (first !== 0) for (let index = 0; index <= length; index++) own[index] -= first;
    return {
      kind: 'bytes',
      length,
      nullCount,
      validity: validity(buffer),
      offsets: own,
      data: new Uint8Array(buffer, dataAt, dataBytes),
    };
  };
}

export class UnsupportedPlainColumnError extends TypeError {
  constructor(type: DataType) {
    super(`the plain page writer cannot write an Arrow ${String(type)} column`);
    this.name = 'UnsupportedPlainColumnError';
  }
}

function plannedColumn(into: OneBuffer, data: Data): PlannedColumn {
  const type = data.type as DataType;
  const { length, nullCount } = data;
  if (type.typeId === Type.Utf8 || type.typeId === Type.Binary) return plannedBytes(into, data);
  if (type.typeId === Type.Bool) {
    const validity = plannedValidity(into, data);
    const bits = plannedBits(into, data.values as Uint8Array, data.offset, length);
    return (buffer) => ({ kind: 'bits', length, nullCount, validity: validity(buffer), bits: bits(buffer) });
  }
  if (!FIXED_WIDTH_TYPES.has(type.typeId)) throw new UnsupportedPlainColumnError(type);
  const width = widthOf(data);
  const validity = plannedValidity(into, data);
  const at = into.add(bytesOf(data.values as ArrayBufferView, 0, length * width));
  return (buffer) => ({
    kind: 'fixed',
    length,
    nullCount,
    validity: validity(buffer),
    width,
    values: new Uint8Array(buffer, at, length * width),
  });
}

/** The batch's columns copied into one buffer of their own: one copy, taken once per batch. */
export function wireBatchOf(batch: RecordBatch): WireBatch {
  const into = new OneBuffer();
  const planned = batch.data.children.map((child) => plannedColumn(into, child));
  const buffer = into.fill();
  return { buffer, columns: planned.map((build) => build(buffer)) };
}
