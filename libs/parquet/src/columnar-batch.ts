import { ParquetColumnType } from '@snapex/contracts';
import { PartValue } from './part-encoder';

/**
 * Column values laid out as Arrow lays them out, so that an encoder takes them without touching each
 * value: a validity bitmap (bit i set when value i is not NULL, least significant bit first) and the
 * values themselves.
 */
export type ColumnVector = FixedWidthVector | BooleanVector | BytesVector | DecimalVector | ListVector;

export type FixedWidthValues = Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

export interface FixedWidthVector {
  kind: 'fixed';
  validity: Uint8Array;
  nullCount: number;
  /** One slot per row; a NULL's slot holds anything. */
  values: FixedWidthValues;
}

export interface BooleanVector {
  kind: 'boolean';
  validity: Uint8Array;
  nullCount: number;
  /** One bit per row, like the validity. */
  bits: Uint8Array;
}

/** UTF-8 text (STRING) or raw bytes (BINARY): value i is data[offsets[i], offsets[i + 1]). */
export interface BytesVector {
  kind: 'bytes';
  validity: Uint8Array;
  nullCount: number;
  offsets: Int32Array;
  data: Uint8Array;
}

/**
 * DECIMAL values as Arrow's Decimal128 holds them: each the unscaled integer as two little-endian
 * 64-bit words, low word first.
 */
export interface DecimalVector {
  kind: 'decimal';
  validity: Uint8Array;
  nullCount: number;
  /** Two words per row. */
  words: BigInt64Array;
  scale: number;
}

/** The exact text of an unscaled decimal at `scale`: 12345 at scale 2 is `123.45`, -5 is `-0.05`. */
export function decimalText(unscaled: bigint, scale: number): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const sign = unscaled < 0n ? '-' : '';
  if (scale === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** A LIST column: row i's elements are elements[offsets[i], offsets[i + 1]) of the child vector. */
export interface ListVector {
  kind: 'list';
  validity: Uint8Array;
  nullCount: number;
  offsets: Int32Array;
  /** Every row's elements one after the other, `elementCount` of them. */
  elements: ColumnVector;
  elementCount: number;
}

/** A LIST has no value of its own among the row encoders' values: only columnar encoders take it. */
export class ListWithoutRowFormError extends TypeError {
  constructor() {
    super('a LIST column has no row form; it is written from columnar batches by parquet-wasm only');
    this.name = 'ListWithoutRowFormError';
  }
}

/** `length` rows held column by column, in the part's column order. */
export class ColumnarBatch {
  constructor(
    readonly length: number,
    readonly columns: readonly ColumnVector[],
  ) {}
}

/** Bytes the batch's vectors take. */
export function batchBytes(batch: ColumnarBatch): number {
  let bytes = 0;
  for (const vector of batch.columns) bytes += vectorBytes(vector);
  return bytes;
}

function vectorBytes(vector: ColumnVector): number {
  const validity = vector.validity.byteLength;
  switch (vector.kind) {
    case 'fixed':
      return validity + vector.values.byteLength;
    case 'boolean':
      return validity + vector.bits.byteLength;
    case 'bytes':
      return validity + vector.offsets.byteLength + vector.data.byteLength;
    case 'decimal':
      return validity + vector.words.byteLength;
    case 'list':
      return validity + vector.offsets.byteLength + vectorBytes(vector.elements);
  }
}

export function isSet(bitmap: Uint8Array, index: number): boolean {
  return (bitmap[index >> 3] & (1 << (index & 7))) !== 0;
}

export function valueAt(vector: ColumnVector, index: number, asText: boolean): PartValue {
  if (!isSet(vector.validity, index)) return null;
  switch (vector.kind) {
    case 'fixed':
      return vector.values[index];
    case 'boolean':
      return isSet(vector.bits, index);
    case 'decimal': {
      const low = BigInt.asUintN(64, vector.words[2 * index]);
      return decimalText((vector.words[2 * index + 1] << 64n) | low, vector.scale);
    }
    case 'list':
      throw new ListWithoutRowFormError();
    case 'bytes': {
      const bytes = Buffer.from(vector.data.buffer, vector.data.byteOffset, vector.data.byteLength);
      const start = vector.offsets[index];
      const end = vector.offsets[index + 1];
      return asText ? bytes.toString('utf8', start, end) : Buffer.from(bytes.subarray(start, end));
    }
  }
}

/** Types a bytes vector holds the UTF-8 text of: decimals come as their exact decimal text. */
const TEXT_TYPES: ReadonlySet<ParquetColumnType> = new Set(['STRING', 'JSON', 'DECIMAL']);

/**
 * The batch as rows of values in the representation the row encoders take (bigint for INT64, string
 * for STRING, Buffer for BINARY).
 */
export function rowsOfBatch(
  batch: ColumnarBatch,
  columns: readonly { parquetType: ParquetColumnType }[],
): PartValue[][] {
  const text = columns.map((column) => TEXT_TYPES.has(column.parquetType));
  const rows: PartValue[][] = [];
  for (let index = 0; index < batch.length; index++) {
    rows.push(batch.columns.map((vector, column) => valueAt(vector, index, text[column])));
  }
  return rows;
}
