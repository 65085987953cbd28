import { Data, DataType, Table, tableFromIPC, Type } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

/**
 * A value read back from an exported part, in the form the restore writes it: number, bigint
 * (INT64), boolean, string (text, and a decimal as its exact digits), Buffer (bytes), a timestamp
 * as microseconds since the epoch in a `Micros`, or null.
 */
export type RestoredValue = number | bigint | boolean | string | Buffer | Micros | null;

export class Micros {
  constructor(readonly value: bigint) {}
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
  const toMicros = UNIT_TO_MICROS[(data.type as unknown as { unit: number }).unit];
  return (row) => new Micros(toMicros(values[data.offset + row]));
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
]);
