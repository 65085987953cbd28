import { Data, DataType, Table, tableFromIPC, Type } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

/**
 * A value read back from an exported part, in the form the restore writes it: number, bigint
 * (INT64), boolean, string (text, a decimal as its exact digits, a UUID in its 36-character form),
 * Buffer (bytes), a timestamp as microseconds since the epoch in a `Micros`, a DATE's days in a
 * `CalendarDate`, a TIME's microseconds in a `TimeOfDay`, a list as an array of its elements, or null.
 */
export type RestoredValue = ScalarValue | ScalarValue[];
export type ScalarValue =
  number | bigint | boolean | string | Buffer | Micros | CalendarDate | TimeOfDay | null;

/** Microseconds since 1970-01-01 00:00: an instant of UTC, or (instant false) a wall clock's reading. */
export class Micros {
  constructor(
    readonly value: bigint,
    readonly instant = true,
  ) {}
}

/** Days since 1970-01-01 (Parquet DATE). */
export class CalendarDate {
  constructor(readonly days: number) {}
}

/** Microseconds since midnight (Parquet TIME(MICROS)); a whole day is PostgreSQL's 24:00:00. */
export class TimeOfDay {
  constructor(readonly micros: bigint) {}
}

export class UnreadableColumnError extends Error {
  constructor(column: string, type: string) {
    super(`column ${JSON.stringify(column)} has Arrow type ${type}, which the restore does not read`);
    this.name = 'UnreadableColumnError';
  }
}

/** The columns of a Parquet file, in file order, each as an array of values. */
export interface PartColumns {
  names: string[];
  rows: number;
  values: RestoredValue[][];
}

export function readPart(bytes: Uint8Array): PartColumns {
  const wasmTable = readParquet(bytes);
  const table: Table = tableFromIPC(wasmTable.intoIPCStream());
  const names = table.schema.fields.map((field) => field.name);
  const values = table.schema.fields.map((field, index) => {
    const column: RestoredValue[] = [];
    for (const data of table.getChildAt(index)!.data) column.push(...valuesOf(field.name, data));
    return column;
  });
  return { names, rows: table.numRows, values };
}

function valuesOf(name: string, data: Data<DataType>): RestoredValue[] {
  const read = readerFor(name, data);
  const values: RestoredValue[] = new Array(data.length);
  for (let row = 0; row < data.length; row++) values[row] = data.getValid(row) ? read(row) : null;
  return values;
}

/** Reads raw buffers: Arrow's own getters turn INT64 and timestamps into lossy numbers. */
function readerFor(name: string, data: Data<DataType>): (row: number) => RestoredValue {
  const read = READERS.get(data.typeId);
  if (!read) throw new UnreadableColumnError(name, String(data.type));
  return read(data);
}

function boolReader(data: Data<DataType>): (row: number) => RestoredValue {
  const bits = data.values as Uint8Array;
  const offset = data.offset;
  return (row) => ((bits[(offset + row) >> 3] >> ((offset + row) & 7)) & 1) === 1;
}

function numberReader(data: Data<DataType>): (row: number) => RestoredValue {
  const values = data.values as ArrayLike<number | bigint>;
  return (row) => values[data.offset + row];
}

function bytesReader(text: boolean) {
  return (data: Data<DataType>): ((row: number) => RestoredValue) => {
    const offsets = data.valueOffsets as ArrayLike<number | bigint>;
    const bytes = data.values as Uint8Array;
    return (row) => {
      const start = Number(offsets[data.offset + row]);
      const slice = Buffer.from(
        bytes.buffer,
        bytes.byteOffset + start,
        Number(offsets[data.offset + row + 1]) - start,
      );
      return text ? slice.toString('utf8') : Buffer.from(slice);
    };
  };
}

const UNIT_TO_MICROS = [
  (value: bigint) => value * 1_000_000n,
  (value: bigint) => value * 1_000n,
  (value: bigint) => value,
  (value: bigint) => value / 1_000n,
];

function timestampReader(data: Data<DataType>): (row: number) => RestoredValue {
  const values = data.values as BigInt64Array;
  const { unit, timezone } = data.type as unknown as { unit: number; timezone: string | null };
  const toMicros = UNIT_TO_MICROS[unit];
  // isAdjustedToUTC=true arrives with a time zone; a wall clock (isAdjustedToUTC=false) without one.
  const instant = timezone !== null && timezone !== undefined;
  return (row) => new Micros(toMicros(values[data.offset + row]), instant);
}

export const MILLIS_PER_DAY = 86_400_000;

function dateReader(data: Data<DataType>): (row: number) => RestoredValue {
  const { unit } = data.type as unknown as { unit: number };
  const values = data.values as Int32Array | BigInt64Array;
  // DateUnit.DAY is 0; DateUnit.MILLISECOND counts milliseconds.
  return unit === 0
    ? (row) => new CalendarDate(Number(values[data.offset + row]))
    : (row) => new CalendarDate(Math.floor(Number(values[data.offset + row]) / MILLIS_PER_DAY));
}

function timeReader(data: Data<DataType>): (row: number) => RestoredValue {
  const { unit } = data.type as unknown as { unit: number };
  const values = data.values as Int32Array | BigInt64Array;
  const toMicros = UNIT_TO_MICROS[unit];
  return (row) => new TimeOfDay(toMicros(BigInt(values[data.offset + row])));
}

/** snapex writes UUIDs, and only UUIDs, as 16-byte fixed-length values (decimals arrive as Decimal). */
function fixedBytesReader(data: Data<DataType>): (row: number) => RestoredValue {
  const width = (data.type as unknown as { byteWidth: number }).byteWidth;
  const bytes = data.values as Uint8Array;
  return (row) => {
    const start = bytes.byteOffset + (data.offset + row) * width;
    const value = Buffer.from(bytes.buffer, start, width);
    return width === 16 ? uuidText(value) : Buffer.from(value);
  };
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function listReader(data: Data<DataType>): (row: number) => RestoredValue {
  const offsets = data.valueOffsets as Int32Array;
  const [element] = (data.type as unknown as { children: { name: string }[] }).children;
  const elements = valuesOf(element.name, data.children[0]);
  return (row) => elements.slice(offsets[data.offset + row], offsets[data.offset + row + 1]) as ScalarValue[];
}

/** A decimal's unscaled value is a little-endian two's complement of bitWidth bits. */
function decimalReader(data: Data<DataType>): (row: number) => RestoredValue {
  const { scale, bitWidth } = data.type as unknown as { scale: number; bitWidth: number };
  const words = bitWidth / 64;
  const raw = data.values as unknown as Uint32Array;
  const view = new BigUint64Array(raw.buffer, raw.byteOffset, (raw.length / 2) | 0);
  const modulus = 1n << BigInt(bitWidth);
  return (row) => {
    let unscaled = 0n;
    for (let word = words - 1; word >= 0; word--)
      unscaled = (unscaled << 64n) | view[(data.offset + row) * words + word];
    if (unscaled >= modulus / 2n) unscaled -= modulus;
    return decimalText(unscaled, scale);
  };
}

export function decimalText(unscaled: bigint, scale: number): string {
  const sign = unscaled < 0n ? '-' : '';
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  if (scale === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const READERS: ReadonlyMap<Type, (data: Data<DataType>) => (row: number) => RestoredValue> = new Map([
  [Type.Bool, boolReader],
  [Type.Int, numberReader],
  [Type.Float, numberReader],
  [Type.Utf8, bytesReader(true)],
  [Type.LargeUtf8, bytesReader(true)],
  [Type.Binary, bytesReader(false)],
  [Type.LargeBinary, bytesReader(false)],
  [Type.Timestamp, timestampReader],
  [Type.Decimal, decimalReader],
  [Type.Date, dateReader],
  [Type.Time, timeReader],
  [Type.FixedSizeBinary, fixedBytesReader],
  [Type.List, listReader],
]);
