import { copyBits, isValid, WireColumn } from './plain-columns';
import { format } from './parquet-thrift';

/** How a leaf column is stored, read off the file's schema element. */
export type PhysicalType =
  | { kind: 'BOOLEAN' }
  | { kind: 'INT32' }
  | { kind: 'INT64' }
  | { kind: 'FLOAT' }
  | { kind: 'DOUBLE' }
  | { kind: 'BYTE_ARRAY' }
  /** `signed`: a DECIMAL, big-endian two's complement, ordered as signed numbers; else raw bytes (UUID). */
  | { kind: 'FIXED_LEN_BYTE_ARRAY'; length: number; signed: boolean };

export class UnsupportedPhysicalTypeError extends TypeError {
  constructor(element: format.SchemaElement, wire?: WireColumn) {
    super(
      `the plain page writer cannot write column ${JSON.stringify(element.name)} (physical type ` +
        `${String(element.type)})${wire ? ` from ${wire.kind} values` : ''}`,
    );
    this.name = 'UnsupportedPhysicalTypeError';
  }
}

export function physicalTypeOf(element: format.SchemaElement): PhysicalType {
  switch (element.type) {
    case format.Type.BOOLEAN:
      return { kind: 'BOOLEAN' };
    case format.Type.INT32:
      return { kind: 'INT32' };
    case format.Type.INT64:
      return { kind: 'INT64' };
    case format.Type.FLOAT:
      return { kind: 'FLOAT' };
    case format.Type.DOUBLE:
      return { kind: 'DOUBLE' };
    case format.Type.BYTE_ARRAY:
      return { kind: 'BYTE_ARRAY' };
    case format.Type.FIXED_LEN_BYTE_ARRAY:
      return {
        kind: 'FIXED_LEN_BYTE_ARRAY',
        length: element.type_length ?? 0,
        signed:
          Boolean(element.logicalType?.DECIMAL) || element.converted_type === format.ConvertedType.DECIMAL,
      };
    case format.Type.INT96:
    case undefined:
      throw new UnsupportedPhysicalTypeError(element);
  }
}

/** Rows [start, end) of one batch's column. */
export interface Segment {
  column: WireColumn;
  start: number;
  end: number;
}

/** One page's values: PLAIN, NULLs left out, and their smallest and largest as the statistics hold them. */
export interface PageValues {
  values: Uint8Array;
  /** null when the page has no value that orders (only NULLs, or only NaNs). */
  min: Buffer | null;
  max: Buffer | null;
  /** BYTE_ARRAY: the values' own bytes, without their length prefixes. */
  unencodedBytes: number;
}

/** Fixed-width values of `width` bytes each, copied as they are, NULLs left out. */
function copiedFixed(segments: readonly Segment[], width: number, nonNull: number): Uint8Array {
  const out = new Uint8Array(nonNull * width);
  let at = 0;
  for (const { column, start, end } of segments) {
    if (column.kind !== 'fixed') throw new TypeError('fixed-width values expected');
    if (column.nullCount === 0) {
      out.set(column.values.subarray(start * width, end * width), at);
      at += (end - start) * width;
      continue;
    }
    const words = width >> 2;
    const source = new Int32Array(column.values.buffer, column.values.byteOffset, column.length * words);
    const target = new Int32Array(out.buffer, 0, out.length >> 2);
    let word = at >> 2;
    for (let row = start; row < end; row++) {
      if (!isValid(column, row)) continue;
      for (let index = 0; index < words; index++) target[word++] = source[row * words + index];
    }
    at = word << 2;
  }
  return out;
}

/** 16-bit integers widened to INT32. */
function widenedInt16(segments: readonly Segment[], nonNull: number): Uint8Array {
  const out = new Int32Array(nonNull);
  let at = 0;
  for (const { column, start, end } of segments) {
    if (column.kind !== 'fixed') throw new TypeError('fixed-width values expected');
    const source = new Int16Array(column.values.buffer, column.values.byteOffset, column.length);
    for (let row = start; row < end; row++) if (isValid(column, row)) out[at++] = source[row];
  }
  return new Uint8Array(out.buffer);
}

/** Decimal128 values (16 bytes, little endian) as INT32, INT64 (their low bytes) or big-endian FLBA. */
function narrowedDecimals(
  segments: readonly Segment[],
  nonNull: number,
  width: number,
  bigEndian: boolean,
): Uint8Array {
  const out = new Uint8Array(nonNull * width);
  let at = 0;
  for (const { column, start, end } of segments) {
    if (column.kind !== 'fixed') throw new TypeError('fixed-width values expected');
    const source = column.values;
    for (let row = start; row < end; row++) {
      if (!isValid(column, row)) continue;
      const from = row * 16;
      if (bigEndian)
        for (let index = 0; index < width; index++) out[at + index] = source[from + width - 1 - index];
      else for (let index = 0; index < width; index++) out[at + index] = source[from + index];
      at += width;
    }
  }
  return out;
}

function fixedValues(type: PhysicalType, segments: readonly Segment[], nonNull: number): Uint8Array {
  const width = (segments[0]?.column as { width?: number } | undefined)?.width ?? 0;
  switch (type.kind) {
    case 'INT32':
      if (width === 2) return widenedInt16(segments, nonNull);
      return width === 16 ? narrowedDecimals(segments, nonNull, 4, false) : copiedFixed(segments, 4, nonNull);
    case 'INT64':
      return width === 16 ? narrowedDecimals(segments, nonNull, 8, false) : copiedFixed(segments, 8, nonNull);
    case 'FLOAT':
      return copiedFixed(segments, 4, nonNull);
    case 'DOUBLE':
      return copiedFixed(segments, 8, nonNull);
    case 'FIXED_LEN_BYTE_ARRAY':
      return type.signed
        ? narrowedDecimals(segments, nonNull, type.length, true)
        : copiedFixed(segments, type.length, nonNull);
    case 'BOOLEAN':
    case 'BYTE_ARRAY':
      throw new TypeError(`${type.kind} is not fixed-width`);
  }
}

/** PLAIN booleans: the non-NULL values bit-packed, least significant bit first. */
function booleanValues(segments: readonly Segment[], nonNull: number): PageValues {
  const out = new Uint8Array((nonNull + 7) >> 3);
  let at = 0;
  let anyTrue = false;
  let anyFalse = false;
  for (const { column, start, end } of segments) {
    if (column.kind !== 'bits') throw new TypeError('boolean values expected');
    for (let row = start; row < end; row++) {
      if (!isValid(column, row)) continue;
      if (column.bits[row >> 3] & (1 << (row & 7))) {
        out[at >> 3] |= 1 << (at & 7);
        anyTrue = true;
      } else anyFalse = true;
      at++;
    }
  }
  const some = anyTrue || anyFalse;
  return {
    values: out,
    min: some ? Buffer.from([anyFalse ? 0 : 1]) : null,
    max: some ? Buffer.from([anyTrue ? 1 : 0]) : null,
    unencodedBytes: 0,
  };
}

/** Unsigned byte-wise order of a[aStart, aEnd) and b[bStart, bEnd): negative, zero or positive. */
function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let index = 0; index < length; index++) {
    const difference = a[aStart + index] - b[bStart + index];
    if (difference !== 0) return difference;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/** PLAIN byte arrays: each value's length (4 bytes, little endian), then its bytes. */
function byteArrayValues(segments: readonly Segment[], nonNull: number): PageValues {
  let dataBytes = 0;
  for (const { column, start, end } of segments) {
    if (column.kind !== 'bytes') throw new TypeError('byte array values expected');
    dataBytes += column.offsets[end] - column.offsets[start];
  }
  // NULLs hold no bytes: what the offsets span is exactly the values' bytes.
  const out = Buffer.allocUnsafe(nonNull * 4 + dataBytes);
  let at = 0;
  // The smallest and largest so far, as where they lie: no object per value.
  let minData: Uint8Array | null = null;
  let minStart = 0;
  let minEnd = 0;
  let maxData: Uint8Array | null = null;
  let maxStart = 0;
  let maxEnd = 0;
  for (const { column, start, end } of segments) {
    if (column.kind !== 'bytes') throw new TypeError('byte array values expected');
    const { offsets, data, validity } = column;
    for (let row = start; row < end; row++) {
      if (validity !== null && (validity[row >> 3] & (1 << (row & 7))) === 0) continue;
      const from = offsets[row];
      const to = offsets[row + 1];
      const length = to - from;
      out[at] = length;
      out[at + 1] = length >>> 8;
      out[at + 2] = length >>> 16;
      out[at + 3] = length >>> 24;
      at += 4;
      // Short values: a loop costs less than the view set() needs.
      if (length > 32) out.set(data.subarray(from, to), at);
      else for (let index = 0; index < length; index++) out[at + index] = data[from + index];
      at += length;
      if (minData === null || compareBytes(data, from, to, minData, minStart, minEnd) < 0) {
        minData = data;
        minStart = from;
        minEnd = to;
      }
      if (maxData === null || compareBytes(data, from, to, maxData, maxStart, maxEnd) > 0) {
        maxData = data;
        maxStart = from;
        maxEnd = to;
      }
    }
  }
  return {
    values: out,
    min: minData ? Buffer.from(minData.subarray(minStart, minEnd)) : null,
    max: maxData ? Buffer.from(maxData.subarray(maxStart, maxEnd)) : null,
    unencodedBytes: dataBytes,
  };
}

/** The smallest and largest of fixed-width PLAIN values, by the physical type's order. */
function fixedStats(
  type: PhysicalType,
  values: Uint8Array,
  nonNull: number,
): { min: Buffer | null; max: Buffer | null } {
  if (nonNull === 0) return { min: null, max: null };
  switch (type.kind) {
    case 'INT32': {
      const view = new Int32Array(values.buffer, values.byteOffset, nonNull);
      let min = view[0];
      let max = view[0];
      for (let index = 1; index < nonNull; index++) {
        const value = view[index];
        if (value < min) min = value;
        else if (value > max) max = value;
      }
      return { min: int32Bytes(min), max: int32Bytes(max) };
    }
    case 'INT64': {
      const view = new Int32Array(values.buffer, values.byteOffset, nonNull * 2);
      let min = 0;
      let max = 0;
      for (let index = 1; index < nonNull; index++) {
        if (int64Order(view, index, min) < 0) min = index;
        else if (int64Order(view, index, max) > 0) max = index;
      }
      return {
        min: Buffer.from(values.subarray(min * 8, min * 8 + 8)),
        max: Buffer.from(values.subarray(max * 8, max * 8 + 8)),
      };
    }
    case 'FLOAT':
      return floatStats(new Float32Array(values.buffer, values.byteOffset, nonNull), 4);
    case 'DOUBLE':
      return floatStats(new Float64Array(values.buffer, values.byteOffset, nonNull), 8);
    case 'FIXED_LEN_BYTE_ARRAY': {
      const width = type.length;
      let min = 0;
      let max = 0;
      for (let index = 1; index < nonNull; index++) {
        if (flbaOrder(values, index, min, width, type.signed) < 0) min = index;
        else if (flbaOrder(values, index, max, width, type.signed) > 0) max = index;
      }
      return {
        min: Buffer.from(values.subarray(min * width, min * width + width)),
        max: Buffer.from(values.subarray(max * width, max * width + width)),
      };
    }
    case 'BOOLEAN':
    case 'BYTE_ARRAY':
      throw new TypeError(`${type.kind} is not fixed-width`);
  }
}

function int32Bytes(value: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes.writeInt32LE(value, 0);
  return bytes;
}

/** Order of the INT64 values at indexes a and b of a little-endian word view: high word signed, low unsigned. */
function int64Order(words: Int32Array, a: number, b: number): number {
  const high = words[2 * a + 1] - words[2 * b + 1];
  if (high !== 0) return high;
  return (words[2 * a] >>> 0) - (words[2 * b] >>> 0);
}

function flbaOrder(values: Uint8Array, a: number, b: number, width: number, signed: boolean): number {
  const aStart = a * width;
  const bStart = b * width;
  if (signed) {
    const first = ((values[aStart] << 24) >> 24) - ((values[bStart] << 24) >> 24);
    if (first !== 0) return first;
  }
  return compareBytes(values, aStart, aStart + width, values, bStart, bStart + width);
}

/**
 * Floating-point statistics as the format asks: NaN left out, a zero minimum written as -0.0 and a
 * zero maximum as +0.0; none when every value is NaN.
 */
function floatStats(
  view: Float32Array | Float64Array,
  width: 4 | 8,
): { min: Buffer | null; max: Buffer | null } {
  let min = Number.NaN;
  let max = Number.NaN;
  for (let index = 0; index < view.length; index++) {
    const value = view[index];
    if (value !== value) continue;
    if (!(value >= min)) min = value;
    if (!(value <= max)) max = value;
  }
  if (Number.isNaN(min)) return { min: null, max: null };
  if (min === 0) min = -0;
  if (max === 0) max = 0;
  const bytes = (value: number) => {
    const out = Buffer.allocUnsafe(width);
    if (width === 4) out.writeFloatLE(value, 0);
    else out.writeDoubleLE(value, 0);
    return out;
  };
  return { min: bytes(min), max: bytes(max) };
}

/** The page's `nonNull` values, PLAIN, with their statistics. */
export function pageValuesOf(type: PhysicalType, segments: readonly Segment[], nonNull: number): PageValues {
  switch (type.kind) {
    case 'BOOLEAN':
      return booleanValues(segments, nonNull);
    case 'BYTE_ARRAY':
      return byteArrayValues(segments, nonNull);
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
    case 'FIXED_LEN_BYTE_ARRAY': {
      const values = fixedValues(type, segments, nonNull);
      return { values, ...fixedStats(type, values, nonNull), unencodedBytes: 0 };
    }
  }
}

/** Order of two statistics values of the physical type (as PLAIN encodes them). */
export function compareStatistics(type: PhysicalType, a: Buffer, b: Buffer): number {
  switch (type.kind) {
    case 'BOOLEAN':
      return a[0] - b[0];
    case 'INT32':
      return a.readInt32LE(0) - b.readInt32LE(0);
    case 'INT64': {
      const difference = a.readBigInt64LE(0) - b.readBigInt64LE(0);
      return difference < 0n ? -1 : difference > 0n ? 1 : 0;
    }
    case 'FLOAT':
      return a.readFloatLE(0) - b.readFloatLE(0);
    case 'DOUBLE':
      return a.readDoubleLE(0) - b.readDoubleLE(0);
    case 'FIXED_LEN_BYTE_ARRAY':
      if (type.signed && a.length > 0 && b.length > 0) {
        const first = ((a[0] << 24) >> 24) - ((b[0] << 24) >> 24);
        if (first !== 0) return first;
      }
      return Buffer.compare(a, b);
    case 'BYTE_ARRAY':
      return Buffer.compare(a, b);
  }
}

/**
 * The definition levels of a page of an optional column (bit width 1), RLE/bit-packed hybrid with
 * their length before them: one run when no row is NULL, else the validity bits as one bit-packed run.
 */
export function definitionLevelsOf(segments: readonly Segment[], rows: number, nulls: number): Buffer {
  if (nulls === 0) {
    const run = varint(rows * 2);
    return withLength(Buffer.concat([run, Buffer.from([1])]));
  }
  const groups = (rows + 7) >> 3;
  const bits = new Uint8Array(groups);
  let at = 0;
  for (const { column, start, end } of segments) {
    const count = end - start;
    if (column.validity !== null) copyBits(column.validity, start, bits, at, count);
    else for (let bit = at; bit < at + count; bit++) bits[bit >> 3] |= 1 << (bit & 7);
    at += count;
  }
  return withLength(Buffer.concat([varint(groups * 2 + 1), bits]));
}

function withLength(levels: Buffer): Buffer {
  const length = Buffer.allocUnsafe(4);
  length.writeInt32LE(levels.length, 0);
  return Buffer.concat([length, levels]);
}

/** An unsigned LEB128 varint, as the RLE/bit-packed hybrid writes run headers. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}
