import {
  Binary,
  Bool,
  Data,
  DataType,
  DateDay,
  Decimal,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  List,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';
import { DecimalShape, ParquetColumnType } from '@snapex/contracts';
import {
  BytesVector,
  ColumnarBatch,
  ColumnVector,
  FixedWidthValues,
  ListWithoutRowFormError,
  valueAt,
} from './columnar-batch';
import { unscaledDecimal } from './decimal';
import { PartColumn, PartRow, PartValue } from './part-encoder';

/**
 * The Arrow type whose Parquet form is the mapping's: Int16 becomes INT32 annotated INT(16, signed),
 * Utf8 BYTE_ARRAY annotated STRING, Binary a BYTE_ARRAY without annotation, Decimal128 a DECIMAL on
 * INT32, INT64 or FIXED_LEN_BYTE_ARRAY by precision, a UTC microsecond Timestamp an INT64 annotated
 * TIMESTAMP(MICROS, isAdjustedToUTC=true).
 */
const ARROW_TYPES: Record<ParquetColumnType, (column: PartColumn) => DataType> = {
  BOOLEAN: () => new Bool(),
  INT32: () => new Int32(),
  INT16: () => new Int16(),
  INT64: () => new Int64(),
  FLOAT: () => new Float32(),
  DOUBLE: () => new Float64(),
  STRING: () => new Utf8(),
  BINARY: () => new Binary(),
  DECIMAL: (column) => decimalType(decimalShapeOf(column)),
  TIMESTAMP_MICROS: () => new TimestampMicrosecond('UTC'),
  TIMESTAMP_MICROS_LOCAL: () => new TimestampMicrosecond(),
  DATE: () => new DateDay(),
  TIME_MICROS: () => new TimeMicrosecond(),
  UUID: () => new FixedSizeBinary(UUID_BYTES),
  JSON: () => new Utf8(),
  LIST: (column) => new List(new Field('element', ARROW_TYPES[elementOf(column).parquetType](column), true)),
};

export class MissingListElementError extends TypeError {
  constructor(column: PartColumn) {
    super(`LIST column ${JSON.stringify(column.name)} has no element type`);
    this.name = 'MissingListElementError';
  }
}

function elementOf(column: PartColumn): NonNullable<PartColumn['element']> {
  if (!column.element) throw new MissingListElementError(column);
  return column.element;
}

/** A LIST column's elements as a column of their own. */
function elementColumn(column: PartColumn): PartColumn {
  return { name: 'element', parquetType: elementOf(column).parquetType };
}

const DECIMAL128_BITS = 128;
const UUID_BYTES = 16;

export class MissingDecimalShapeError extends TypeError {
  constructor(column: PartColumn) {
    super(`DECIMAL column ${JSON.stringify(column.name)} has no precision and scale`);
    this.name = 'MissingDecimalShapeError';
  }
}

function decimalShapeOf(column: PartColumn): DecimalShape {
  if (!column.decimal) throw new MissingDecimalShapeError(column);
  return column.decimal;
}

/**
 * The precision a DECIMAL is handed to arrow-rs with. arrow-rs stores a Decimal128 of one digit on
 * INT64 (INT32 only from 2 to 9 digits); as two digits, which hold the same unscaled values, it goes
 * on INT32 as the mapping wants, and the file's footer is given back its one digit (declaredDecimals).
 */
export function carriedDecimalPrecision(precision: number): number {
  return precision === 1 ? 2 : precision;
}

function decimalType({ precision, scale }: DecimalShape): Decimal {
  return new Decimal(scale, carriedDecimalPrecision(precision), DECIMAL128_BITS);
}

/** Arrow's 32-bit offsets address at most this many bytes of strings or binaries in one batch. */
const MAX_VARIABLE_BYTES = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The value itself stays out of the message: it may be anything from the table, and messages get logged. */
export class UnexpectedValueError extends TypeError {
  constructor(column: PartColumn, value: PartValue) {
    const kind = value instanceof Uint8Array ? 'Buffer' : typeof value;
    super(
      `column ${JSON.stringify(column.name)} (${column.parquetType}) cannot hold the ${kind} it was given`,
    );
    this.name = 'UnexpectedValueError';
  }
}

/** Every column nullable, in the order of the part's columns. */
export function arrowSchemaFor(columns: readonly PartColumn[]): Schema {
  return new Schema(
    columns.map((column) => new Field(column.name, ARROW_TYPES[column.parquetType](column), true)),
  );
}

/** The Arrow schema as the columns declare it: DECIMALs with their own precision (see carriedDecimalPrecision). */
export function declaredArrowSchemaFor(columns: readonly PartColumn[]): Schema {
  return new Schema(
    columns.map((column) => {
      const type =
        column.parquetType === 'DECIMAL'
          ? new Decimal(decimalShapeOf(column).scale, decimalShapeOf(column).precision, DECIMAL128_BITS)
          : ARROW_TYPES[column.parquetType](column);
      return new Field(column.name, type, true);
    }),
  );
}

/** One record batch holding `rows`, built column by column into typed arrays and byte buffers. */
export function recordBatchOf(
  schema: Schema,
  columns: readonly PartColumn[],
  rows: readonly PartRow[],
): RecordBatch {
  const children = columns.map((column, index) => columnData(column, index, rows));
  const struct = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}

/** The batch as an Arrow IPC stream, the form the Parquet writer's WebAssembly side takes. */
export function ipcStreamOf(batch: RecordBatch): Uint8Array {
  return RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
}

function columnData(column: PartColumn, index: number, rows: readonly PartRow[]): Data {
  switch (column.parquetType) {
    case 'BOOLEAN':
      return booleanData(column, index, rows);
    case 'INT32':
      return fixedWidthData(column, index, rows, new Int32(), Int32Array, isInt32);
    case 'INT16':
      return fixedWidthData(column, index, rows, new Int16(), Int16Array, isInt16);
    case 'INT64':
      return fixedWidthData(column, index, rows, new Int64(), BigInt64Array, isInt64);
    case 'FLOAT':
      return fixedWidthData(column, index, rows, new Float32(), Float32Array, isNumber);
    case 'DOUBLE':
      return fixedWidthData(column, index, rows, new Float64(), Float64Array, isNumber);
    case 'STRING':
      return utf8Data(column, index, rows);
    case 'BINARY':
      return binaryData(column, index, rows);
    case 'DECIMAL':
      return decimalData(column, index, rows);
    case 'TIMESTAMP_MICROS':
    case 'TIMESTAMP_MICROS_LOCAL':
    case 'TIME_MICROS':
      return fixedWidthData(
        column,
        index,
        rows,
        ARROW_TYPES[column.parquetType](column),
        BigInt64Array,
        isInt64,
      );
    case 'DATE':
      return fixedWidthData(column, index, rows, new DateDay(), Int32Array, isInt32);
    case 'JSON':
      return utf8Data(column, index, rows);
    case 'UUID':
      return uuidData(
        column,
        rows.map((row) => row[index] ?? null),
      );
    case 'LIST':
      throw new ListWithoutRowFormError();
  }
}

/** Arrow's validity bitmap: bit i set when row i has a value. */
class Validity {
  readonly bitmap: Uint8Array;
  nullCount = 0;

  constructor(length: number) {
    this.bitmap = new Uint8Array((length + 7) >> 3);
  }

  markPresent(row: number): void {
    this.bitmap[row >> 3] |= 1 << (row & 7);
  }

  markNull(): void {
    this.nullCount++;
  }

  /** No bitmap at all when every row has a value. */
  buffer(): Uint8Array | undefined {
    return this.nullCount > 0 ? this.bitmap : undefined;
  }
}

function isInt32(value: PartValue): value is number {
  return typeof value === 'number' && (value | 0) === value;
}

function isInt16(value: PartValue): value is number {
  return typeof value === 'number' && (value << 16) >> 16 === value;
}

function isInt64(value: PartValue): value is bigint {
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
}

function isNumber(value: PartValue): value is number {
  return typeof value === 'number';
}

interface FixedWidthArray<V> {
  [index: number]: V;
}

function fixedWidthData<V extends number | bigint>(
  column: PartColumn,
  index: number,
  rows: readonly PartRow[],
  type: DataType,
  ArrayType: new (length: number) => FixedWidthArray<V>,
  accepts: (value: PartValue) => value is V,
): Data {
  const values = new ArrayType(rows.length);
  const validity = new Validity(rows.length);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row][index] ?? null;
    if (value === null) {
      validity.markNull();
      continue;
    }
    if (!accepts(value)) throw new UnexpectedValueError(column, value);
    values[row] = value;
    validity.markPresent(row);
  }
  return makeData({
    type,
    length: rows.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.buffer(),
    // makeData's overloads cannot tell which typed array goes with which type from a union.
    data: values,
  } as never);
}

function booleanData(column: PartColumn, index: number, rows: readonly PartRow[]): Data<Bool> {
  const bits = new Uint8Array((rows.length + 7) >> 3);
  const validity = new Validity(rows.length);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row][index] ?? null;
    if (value === null) {
      validity.markNull();
      continue;
    }
    if (typeof value !== 'boolean') throw new UnexpectedValueError(column, value);
    if (value) bits[row >> 3] |= 1 << (row & 7);
    validity.markPresent(row);
  }
  return makeData({
    type: new Bool(),
    length: rows.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.buffer(),
    data: bits,
  });
}

/** Grows the UTF-8 buffer so that `needed` bytes fit, keeping the `used` bytes already written. */
function withRoomFor(bytes: Buffer, used: number, needed: number): Buffer {
  if (needed <= bytes.length) return bytes;
  if (needed > MAX_VARIABLE_BYTES)
    throw new RangeError('one batch of strings exceeds 2 GiB; use smaller batches');
  const grown = Buffer.allocUnsafe(Math.min(MAX_VARIABLE_BYTES, Math.max(needed, bytes.length * 2)));
  bytes.copy(grown, 0, 0, used);
  return grown;
}

/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

function utf8Data(column: PartColumn, index: number, rows: readonly PartRow[]): Data<Utf8> {
  const offsets = new Int32Array(rows.length + 1);
  const validity = new Validity(rows.length);
  let bytes: Buffer = Buffer.allocUnsafe(Math.max(64, rows.length * 16));
  let used = 0;
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row][index] ?? null;
    if (value === null) {
      validity.markNull();
    } else {
      if (typeof value !== 'string') throw new UnexpectedValueError(column, value);
      bytes = withRoomFor(bytes, used, used + value.length * MAX_UTF8_BYTES_PER_UNIT);
      used += bytes.write(value, used, 'utf8');
      validity.markPresent(row);
    }
    offsets[row + 1] = used;
  }
  return makeData({
    type: new Utf8(),
    length: rows.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.buffer(),
    valueOffsets: offsets,
    data: bytes.subarray(0, used),
  });
}

function binaryData(column: PartColumn, index: number, rows: readonly PartRow[]): Data<Binary> {
  const offsets = new Int32Array(rows.length + 1);
  const validity = new Validity(rows.length);
  let total = 0;
  for (const row of rows) {
    const value = row[index] ?? null;
    if (value === null) continue;
    if (!(value instanceof Uint8Array)) throw new UnexpectedValueError(column, value);
    total += value.length;
  }
  if (total > MAX_VARIABLE_BYTES)
    throw new RangeError('one batch of binaries exceeds 2 GiB; use smaller batches');
  const bytes = new Uint8Array(total);
  let used = 0;
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row][index] as Uint8Array | null;
    if (value === null || value === undefined) {
      validity.markNull();
    } else {
      bytes.set(value, used);
      used += value.length;
      validity.markPresent(row);
    }
    offsets[row + 1] = used;
  }
  return makeData({
    type: new Binary(),
    length: rows.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.buffer(),
    valueOffsets: offsets,
    data: bytes,
  });
}

/** Decimal128 values: each the unscaled integer as two little-endian 64-bit words, low word first. */
function decimalData(column: PartColumn, index: number, rows: readonly PartRow[]): Data<Decimal> {
  const shape = decimalShapeOf(column);
  const words = new BigInt64Array(rows.length * 2);
  const validity = new Validity(rows.length);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row][index] ?? null;
    if (value === null) {
      validity.markNull();
      continue;
    }
    const unscaled = typeof value === 'string' ? unscaledDecimal(value, shape) : null;
    if (unscaled === null) throw new UnexpectedValueError(column, value);
    words[2 * row] = BigInt.asIntN(64, unscaled);
    words[2 * row + 1] = BigInt.asIntN(64, unscaled >> 64n);
    validity.markPresent(row);
  }
  return makeData({
    type: decimalType(shape),
    length: rows.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.buffer(),
    data: new Uint32Array(words.buffer),
  });
}

/** FixedSizeBinary(16) values: a NULL's slot is left zero. */
function uuidData(column: PartColumn, values: readonly PartValue[]): Data<FixedSizeBinary> {
  const bytes = new Uint8Array(values.length * UUID_BYTES);
  const validity = new Validity(values.length);
  values.forEach((value, row) => {
    if (value === null) return validity.markNull();
    if (!(value instanceof Uint8Array) || value.length !== UUID_BYTES)
      throw new UnexpectedValueError(column, value);
    bytes.set(value, row * UUID_BYTES);
    validity.markPresent(row);
  });
  return makeData({
    type: new FixedSizeBinary(UUID_BYTES),
    length: values.length,
    nullCount: validity.nullCount,
    nullBitmap: validity.buffer(),
    data: bytes,
  });
}

/** A columnar batch's vector is not what its column's type calls for. */
export class UnexpectedVectorError extends TypeError {
  constructor(column: PartColumn, vector: ColumnVector) {
    super(
      `column ${JSON.stringify(column.name)} (${column.parquetType}) cannot take a ${vector.kind} vector` +
        (vector.kind === 'fixed' ? ` of ${vector.values.constructor.name}` : ''),
    );
    this.name = 'UnexpectedVectorError';
  }
}

type TypedArrayClass = abstract new (...args: never[]) => FixedWidthValues;

const FIXED_WIDTH_ARRAYS: Partial<Record<ParquetColumnType, TypedArrayClass>> = {
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FLOAT: Float32Array,
  DOUBLE: Float64Array,
  DATE: Int32Array,
  TIME_MICROS: BigInt64Array,
  TIMESTAMP_MICROS: BigInt64Array,
  TIMESTAMP_MICROS_LOCAL: BigInt64Array,
};

/** Types whose values a columnar batch carries as bytes, as their text or raw bytes. */
const BYTES_TYPES: ReadonlySet<ParquetColumnType> = new Set(['STRING', 'BINARY', 'JSON']);

function vectorData(column: PartColumn, vector: ColumnVector, length: number, type: DataType): Data {
  const nulls = {
    nullCount: vector.nullCount,
    nullBitmap: vector.nullCount > 0 ? vector.validity : undefined,
  };
  switch (vector.kind) {
    case 'fixed': {
      const expected = FIXED_WIDTH_ARRAYS[column.parquetType];
      if (!expected || !(vector.values instanceof expected)) throw new UnexpectedVectorError(column, vector);
      return makeData({ type, length, ...nulls, data: vector.values.subarray(0, length) } as never);
    }
    case 'boolean':
      if (column.parquetType !== 'BOOLEAN') throw new UnexpectedVectorError(column, vector);
      return makeData({ type: new Bool(), length, ...nulls, data: vector.bits });
    case 'decimal':
      if (column.parquetType !== 'DECIMAL') throw new UnexpectedVectorError(column, vector);
      return makeData({
        type,
        length,
        ...nulls,
        data: new Uint32Array(vector.words.buffer, vector.words.byteOffset, length * 4),
      } as never);
    case 'list': {
      if (column.parquetType !== 'LIST') throw new UnexpectedVectorError(column, vector);
      const child = vectorData(
        elementColumn(column),
        vector.elements,
        vector.elementCount,
        (type as List).valueType,
      );
      return makeData({
        type: type as List,
        length,
        ...nulls,
        valueOffsets: vector.offsets.subarray(0, length + 1),
        child,
      });
    }
    case 'bytes':
      // Decimals arrive as their text and UUIDs as their 16 bytes: each is taken value by value.
      if (column.parquetType === 'DECIMAL' || column.parquetType === 'UUID')
        return columnData(column, 0, valuesOfVector(vector, length, column.parquetType === 'DECIMAL'));
      if (!BYTES_TYPES.has(column.parquetType)) throw new UnexpectedVectorError(column, vector);
      return makeData({
        type,
        length,
        ...nulls,
        valueOffsets: vector.offsets.subarray(0, length + 1),
        data: vector.data,
      } as never);
  }
}

/** A bytes vector's values as one-value rows, text or Buffers. */
function valuesOfVector(vector: BytesVector, length: number, asText: boolean): PartRow[] {
  const rows: PartRow[] = [];
  for (let index = 0; index < length; index++) rows.push([valueAt(vector, index, asText)]);
  return rows;
}

/** One record batch over the columnar batch's own buffers: nothing is copied. */
export function recordBatchOfColumns(
  schema: Schema,
  columns: readonly PartColumn[],
  batch: ColumnarBatch,
): RecordBatch {
  if (batch.columns.length !== columns.length)
    throw new RangeError(`a batch of ${batch.columns.length} columns for a file of ${columns.length}`);
  const children = columns.map((column, index) =>
    vectorData(column, batch.columns[index], batch.length, schema.fields[index].type),
  );
  const struct = makeData({ type: new Struct(schema.fields), length: batch.length, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}
