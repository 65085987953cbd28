import { ColumnPlan, NulledValueReason } from '@snapex/contracts';
import { ColumnVector, unscaledDecimal } from '@snapex/parquet';
import { ReadLimits, RowTooLargeError, ValueTooLargeError } from '../engine';
import { BytesBuilder, ColumnarBatchBuilder, ColumnBuilder } from '../columnar-builders';
import { MySqlDecoder } from './my-types';
import {
  dateDaysAt,
  datetimeAt,
  timeMicros,
  UnexpectedMySqlValueError,
  UnknownMySqlDecoderError,
  uuidBytes,
} from './my-values';

/** What a column that turned the value of column `index` into NULL tells. */
export type OnNulled = (index: number, reason: NulledValueReason) => void;

/** Below 2^53 a double holds every integer: 15 decimal digits always fit. */
const SAFE_DIGITS = 15;
const TWO_TO_32 = 4294967296;
const MINUS = 45;
const DOT = 46;

/** One column of the batch, taking each value as the bytes of the server's text. */
interface TextColumn extends Omit<ColumnBuilder, 'value'> {
  /** Stores the value of `row`: the bytes it counts for the size limits, or -1 when it became NULL. */
  text(row: number, bytes: Buffer): number;
}

function latin1(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** An optionally signed decimal integer of up to 15 digits, or NaN when the text is anything else. */
function smallInteger(bytes: Buffer): number {
  const negative = bytes[0] === MINUS;
  const first = negative ? 1 : 0;
  const length = bytes.length;
  if (length === first || length - first > SAFE_DIGITS) return NaN;
  let value = 0;
  for (let index = first; index < length; index++) {
    const digit = bytes[index] - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** Writes a safe integer into slot `row` of an int64 array seen as 32-bit words (little-endian). */
function setInt64(words: Int32Array, row: number, value: number): void {
  words[2 * row] = value >>> 0;
  words[2 * row + 1] = Math.floor(value / TWO_TO_32);
}

/** Numbers of one typed array, a slot per row. */
abstract class NumberColumn<A extends Int16Array | Int32Array | Float64Array> implements TextColumn {
  protected values: A;

  constructor(
    private readonly capacity: number,
    private readonly create: (length: number) => A,
  ) {
    this.values = create(capacity);
  }

  abstract text(row: number, bytes: Buffer): number;

  nullValue(): void {}

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const values = this.values;
    this.values = this.create(this.capacity);
    return { kind: 'fixed', validity, nullCount, values: values.subarray(0, length) };
  }
}

/** INT32 or INT16: the server prints the integer, which fits. */
class IntegerColumn extends NumberColumn<Int32Array | Int16Array> {
  constructor(
    capacity: number,
    create: (length: number) => Int32Array | Int16Array,
    private readonly decoder: MySqlDecoder,
  ) {
    super(capacity, create);
  }

  text(row: number, bytes: Buffer): number {
    const value = smallInteger(bytes);
    if (Number.isNaN(value)) throw new UnexpectedMySqlValueError(this.decoder, latin1(bytes));
    this.values[row] = value;
    return 8;
  }
}

/** INT64 from any integer the server prints: up to 15 digits without a BigInt. */
class Int64Column implements TextColumn {
  protected values: BigInt64Array;
  protected words: Int32Array;

  constructor(
    private readonly capacity: number,
    private readonly decoder: MySqlDecoder,
  ) {
    this.values = new BigInt64Array(capacity);
    this.words = new Int32Array(this.values.buffer);
  }

  text(row: number, bytes: Buffer): number {
    const value = smallInteger(bytes);
    if (!Number.isNaN(value)) setInt64(this.words, row, value);
    else if (/^-?\d+$/.test(latin1(bytes))) this.values[row] = BigInt.asIntN(64, BigInt(latin1(bytes)));
    else throw new UnexpectedMySqlValueError(this.decoder, latin1(bytes));
    return 8;
  }

  nullValue(): void {}

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const values = this.values;
    this.values = new BigInt64Array(this.capacity);
    this.words = new Int32Array(this.values.buffer);
    return { kind: 'fixed', validity, nullCount, values: values.subarray(0, length) };
  }
}

/** DATETIME and TIMESTAMP as microseconds since the epoch; a value with no instant becomes NULL. */
class DatetimeColumn extends Int64Column {
  private readonly parts = new Float64Array(2);

  override text(row: number, bytes: Buffer): number {
    const { parts } = this;
    if (!datetimeAt(bytes, 0, bytes.length, parts)) return -1;
    const micros = parts[0] * 1e6 + parts[1];
    if (Number.isSafeInteger(micros)) setInt64(this.words, row, micros);
    else this.values[row] = BigInt(parts[0]) * 1_000_000n + BigInt(parts[1]);
    return 8;
  }
}

/** A DATE as days since the epoch; a date that names no day becomes NULL. */
class DateColumn extends NumberColumn<Int32Array> {
  constructor(capacity: number) {
    super(capacity, (length) => new Int32Array(length));
  }

  text(row: number, bytes: Buffer): number {
    const days = dateDaysAt(bytes, 0, bytes.length);
    if (days === null) return -1;
    this.values[row] = days;
    return 8;
  }
}

/** A TIME as microseconds since midnight; a duration that is no time of day becomes NULL. */
class TimeColumn extends Int64Column {
  override text(row: number, bytes: Buffer): number {
    const micros = timeMicros(latin1(bytes));
    if (micros === null) return -1;
    this.values[row] = micros;
    return 8;
  }
}

/** MariaDB's UUID text as its 16 bytes. */
class UuidColumn extends BytesBuilder implements TextColumn {
  text(row: number, bytes: Buffer): number {
    const uuid = uuidBytes(latin1(bytes));
    this.value(row, uuid, 0, uuid.length);
    return uuid.length;
  }
}

/** A DOUBLE (or a FLOAT selected as the DOUBLE that holds it) from its shortest exact text. */
class DoubleColumn extends NumberColumn<Float64Array> {
  constructor(capacity: number) {
    super(capacity, (length) => new Float64Array(length));
  }

  text(row: number, bytes: Buffer): number {
    const value = Number(latin1(bytes));
    if (Number.isNaN(value)) throw new UnexpectedMySqlValueError('double', latin1(bytes));
    this.values[row] = value;
    return 8;
  }
}

/**
 * A DECIMAL's exact text as Decimal128 words: up to 15 digits at the column's own scale (what the
 * server prints) straight from the digits, anything else through the exact decimal parser.
 */
class DecimalColumn implements TextColumn {
  private words: BigInt64Array;
  private halves: Int32Array;

  constructor(
    private readonly capacity: number,
    private readonly column: ColumnPlan,
  ) {
    this.words = new BigInt64Array(2 * capacity);
    this.halves = new Int32Array(this.words.buffer);
  }

  text(row: number, bytes: Buffer): number {
    const unscaled = this.digitsAtScale(bytes);
    if (!Number.isNaN(unscaled)) {
      const halves = this.halves;
      halves[4 * row] = unscaled >>> 0;
      const high = Math.floor(unscaled / TWO_TO_32);
      halves[4 * row + 1] = high;
      // The upper word is the sign's extension.
      halves[4 * row + 2] = halves[4 * row + 3] = high < 0 ? -1 : 0;
    } else {
      const exact = unscaledDecimal(latin1(bytes), this.column.decimal!);
      if (exact === null) throw new UnexpectedMySqlValueError('decimal', latin1(bytes));
      this.words[2 * row] = BigInt.asIntN(64, exact);
      this.words[2 * row + 1] = BigInt.asIntN(64, exact >> 64n);
    }
    return bytes.length;
  }

  /** The unscaled value of `[-]digits[.digits]` with exactly the column's scale and at most 15 digits, else NaN. */
  private digitsAtScale(bytes: Buffer): number {
    const { precision, scale } = this.column.decimal!;
    const negative = bytes[0] === MINUS;
    const length = bytes.length;
    const dot = scale === 0 ? length : length - scale - 1;
    const first = negative ? 1 : 0;
    if (dot <= first || (scale > 0 && bytes[dot] !== DOT)) return NaN;
    const digits = dot - first + scale;
    if (digits > SAFE_DIGITS || dot - first > precision - scale) return NaN;
    let value = 0;
    for (let index = first; index < length; index++) {
      if (index === dot) continue;
      const digit = bytes[index] - 48;
      if (digit < 0 || digit > 9) return NaN;
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  nullValue(): void {}

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const words = this.words;
    this.words = new BigInt64Array(2 * this.capacity);
    this.halves = new Int32Array(this.words.buffer);
    return {
      kind: 'decimal',
      validity,
      nullCount,
      words: words.subarray(0, 2 * length),
      scale: this.column.decimal!.scale,
    };
  }
}

/** Text and binary values, and decimals too wide for DECIMAL, copied as the server sent their bytes. */
class RawBytesColumn extends BytesBuilder implements TextColumn {
  text(row: number, bytes: Buffer): number {
    this.value(row, bytes, 0, bytes.length);
    return bytes.length;
  }
}

function columnFor(column: ColumnPlan, capacity: number): TextColumn {
  const decoder = column.decoder as MySqlDecoder;
  switch (decoder) {
    case 'int':
      return column.parquetType === 'INT16'
        ? new IntegerColumn(capacity, (length) => new Int16Array(length), decoder)
        : new IntegerColumn(capacity, (length) => new Int32Array(length), decoder);
    case 'int-to-bigint':
    case 'bigint':
      return new Int64Column(capacity, decoder);
    case 'datetime':
      return new DatetimeColumn(capacity, decoder);
    case 'date':
      return new DateColumn(capacity);
    case 'time':
      return new TimeColumn(capacity, decoder);
    case 'uuid':
      return new UuidColumn(capacity, column.name);
    case 'float':
    case 'double':
      return new DoubleColumn(capacity);
    case 'decimal':
      return column.parquetType === 'DECIMAL'
        ? new DecimalColumn(capacity, column)
        : new RawBytesColumn(capacity, column.name);
    case 'bytes':
    case 'geometry':
    case 'text-to-bytes':
    case 'text':
      return new RawBytesColumn(capacity, column.name);
    default:
      throw new UnknownMySqlDecoderError(column.decoder);
  }
}

/** Why a column turns a value into NULL; only these decoders ever do. */
const NULLING_REASONS: Partial<Record<MySqlDecoder, NulledValueReason>> = {
  datetime: 'NO_INSTANT',
  date: 'NO_INSTANT',
  time: 'NOT_REPRESENTABLE',
};

/**
 * Rows of MySQL's text protocol gathered column by column into a ColumnarBatch, each value read
 * from the bytes the server sent (as mysql2 hands them over with typeCast off): integers, dates and
 * decimals digit by digit, text and binaries copied once, no JavaScript value per field. The seed's
 * size rules are checked on every row as it is added. A batch is full at maxRows rows, or earlier
 * once its values reach maxBytes. A value a column cannot keep (a DATETIME with no instant, a TIME
 * that is no time of day) becomes NULL and is told to onNulled with its reason.
 */
export class MySqlBatchBuilder extends ColumnarBatchBuilder<TextColumn> {
  private readonly checkLimits: boolean;

  constructor(
    private readonly plan: readonly ColumnPlan[],
    private readonly limits: ReadLimits,
    maxRows: number,
    maxBytes: number,
    onNulled: OnNulled = () => undefined,
  ) {
    const reasons = plan.map((column) => NULLING_REASONS[column.decoder as MySqlDecoder]);
    super(
      plan.map((column) => columnFor(column, maxRows)),
      maxRows,
      maxBytes,
      (field) => onNulled(field, reasons[field]!),
    );
    this.checkLimits = Number.isFinite(limits.maxRowBytes) || Number.isFinite(limits.maxValueBytes);
  }

  /** Adds one row of values (null for NULL); true once the batch is full. */
  add(values: readonly (Buffer | null)[]): boolean {
    const row = this.rows;
    let rowBytes = 0;
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      if (value === null) {
        this.absent(index);
        continue;
      }
      const counted = this.columns[index].text(row, value);
      if (counted < 0) {
        this.notRepresentable(index);
        continue;
      }
      this.present(index);
      if (this.checkLimits && counted >= this.limits.maxValueBytes)
        throw new ValueTooLargeError(this.plan[index].name, counted, this.limits.maxValueBytes);
      rowBytes += counted;
    }
    if (this.checkLimits && rowBytes >= this.limits.maxRowBytes)
      throw new RowTooLargeError(rowBytes, this.limits.maxRowBytes);
    this.bytes += rowBytes;
    this.rows++;
    return this.full;
  }
}
