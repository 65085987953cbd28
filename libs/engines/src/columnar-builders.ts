import { ColumnarBatch, ColumnVector } from '@snapex/parquet';

/** Values up to this long are copied byte by byte: cheaper than a call into Buffer.copy. */
const SHORT_VALUE_BYTES = 48;
/** Larger than the pool Buffer.allocUnsafe hands small buffers out of: each batch owns its bytes. */
const MIN_BYTES_BUFFER = 64 * 1024;

/** Arrow's 32-bit offsets address at most this many bytes of one column in one batch. */
const MAX_COLUMN_BYTES = 2 ** 31 - 1;

/** One column of the batch being built; the batch keeps its validity. */
export interface ColumnBuilder {
  /** Takes the row's value; false when its Parquet type cannot hold it, and the row gets NULL instead. */
  value(row: number, buffer: Buffer, start: number, end: number): boolean | void;
  nullValue(row: number): void;
  /** The values of rows [0, length), and a fresh start for the next batch. */
  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector;
}

/**
 * Values copied as they come (binary values' bytes, text as the session's UTF-8) into one growing
 * buffer, with an offset per row.
 */
export class BytesBuilder implements ColumnBuilder {
  private offsets: Int32Array;
  private data: Uint8Array = Buffer.allocUnsafe(MIN_BYTES_BUFFER);
  private used = 0;

  constructor(
    private readonly capacity: number,
    private readonly column: string,
  ) {
    this.offsets = new Int32Array(capacity + 1);
  }

  value(row: number, buffer: Buffer, start: number, end: number): void {
    const needed = this.used + end - start;
    if (needed > this.data.length) this.grow(needed);
    const data = this.data;
    if (end - start > SHORT_VALUE_BYTES) buffer.copy(data, this.used, start, end);
    else for (let from = start, to = this.used; from < end;) data[to++] = buffer[from++];
    this.used = needed;
    this.offsets[row + 1] = needed;
  }

  nullValue(row: number): void {
    this.offsets[row + 1] = this.used;
  }

  take(length: number, validity: Uint8Array, nullCount: number): ColumnVector {
    const vector: ColumnVector = {
      kind: 'bytes',
      validity,
      nullCount,
      offsets: this.offsets.subarray(0, length + 1),
      data: this.data.subarray(0, this.used),
    };
    this.offsets = new Int32Array(this.capacity + 1);
    this.data = Buffer.allocUnsafe(Math.max(MIN_BYTES_BUFFER, Math.min(this.data.length, 2 * this.used)));
    this.used = 0;
    return vector;
  }

  private grow(needed: number): void {
    if (needed > MAX_COLUMN_BYTES)
      throw new RangeError(
        `column ${this.column} holds more than 2 GiB in one batch; lower extractor.batchRows`,
      );
    const grown = Buffer.allocUnsafe(Math.min(MAX_COLUMN_BYTES, Math.max(needed, this.data.length * 2)));
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }
}

/** What a batch needs of each of its columns. */
export type BatchColumn = Pick<ColumnBuilder, 'nullValue' | 'take'>;

/**
 * Rows gathered column by column into a ColumnarBatch: the batch's row count, byte count, validity
 * bitmaps and NULL counts, around columns that hold the values. Full at maxRows rows, or earlier
 * once its values reach maxBytes. A value its column's Parquet type cannot hold becomes NULL, and
 * onNotRepresentable is told of it.
 */
export abstract class ColumnarBatchBuilder<C extends BatchColumn> {
  protected rows = 0;
  protected bytes = 0;
  private validity: Uint8Array[];
  private nullCounts: number[];

  constructor(
    protected readonly columns: readonly C[],
    private readonly maxRows: number,
    private readonly maxBytes: number,
    private readonly onNotRepresentable: (field: number) => void = () => undefined,
  ) {
    this.validity = this.freshValidity();
    this.nullCounts = columns.map(() => 0);
  }

  get length(): number {
    return this.rows;
  }

  get full(): boolean {
    return this.rows >= this.maxRows || this.bytes >= this.maxBytes;
  }

  /** Column `field` of the current row has a value. */
  protected present(field: number): void {
    const row = this.rows;
    this.validity[field][row >> 3] |= 1 << (row & 7);
  }

  /** Column `field` of the current row is NULL. */
  protected absent(field: number): void {
    this.columns[field].nullValue(this.rows);
    this.nullCounts[field]++;
  }

  /** Column `field` of the current row had a value its Parquet type cannot hold: it is NULL. */
  protected notRepresentable(field: number): void {
    this.absent(field);
    this.onNotRepresentable(field);
  }

  take(): ColumnarBatch {
    const vectors = this.columns.map((column, index) =>
      column.take(this.rows, this.validity[index], this.nullCounts[index]),
    );
    const batch = new ColumnarBatch(this.rows, vectors);
    this.rows = 0;
    this.bytes = 0;
    this.validity = this.freshValidity();
    this.nullCounts = this.columns.map(() => 0);
    return batch;
  }

  private freshValidity(): Uint8Array[] {
    return this.columns.map(() => new Uint8Array((this.maxRows + 7) >> 3));
  }
}
