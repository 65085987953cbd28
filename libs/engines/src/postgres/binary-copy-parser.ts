import { ReadLimits, RowTooLargeError, ValueTooLargeError } from '../engine';

/**
 * Where the parser puts each field as it reads it. The bytes passed to value() are only valid during
 * the call: the chunk they lie in is reused.
 */
export interface CopyRowSink {
  /** Field `field` of the current row is not NULL: its bytes are buffer[start, end). */
  value(field: number, buffer: Buffer, start: number, end: number): void;
  nullValue(field: number): void;
  /** The row whose fields were handed over is complete; true asks the parser to stop for now. */
  endRow(): boolean;
}

export interface BinaryCopyField {
  name: string;
}

export class BinaryCopyFormatError extends Error {
  constructor(detail: string) {
    super(`malformed binary COPY stream: ${detail}`);
    this.name = 'BinaryCopyFormatError';
  }
}

/** `PGCOPY\n\377\r\n\0`, then a 32-bit flags field and a 32-bit header extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;
const TRAILER = -1;
const NULL_FIELD = -1;
/** Fixed-size reads (header, counts, lengths, fixed-width values) that straddle two chunks land here. */
const SCRATCH_BYTES = 32;

enum State {
  Header,
  HeaderExtension,
  TupleStart,
  FieldLength,
  FieldData,
  Trailer,
}

/**
 * Incremental parser of PostgreSQL's binary COPY format (header, tuples of length-prefixed fields,
 * trailer). It hands each field to its sink straight from the chunk it lies in; only a field cut by a
 * chunk boundary is copied first, into a buffer of exactly its length, so its pieces are joined once.
 * Size limits are decided from the length prefixes, before a value's bytes are waited for.
 */
export class BinaryCopyParser {
  private chunk: Buffer = Buffer.alloc(0);
  private offset = 0;
  private state = State.Header;
  /** Bytes of a straddling read gathered so far, in `carry`. */
  private carried = 0;
  private carry: Buffer = Buffer.allocUnsafe(SCRATCH_BYTES);
  private readonly scratch = this.carry;
  /** Where the last completed read sits: `view[at, at + n)`. */
  private view: Buffer = this.chunk;
  private at = 0;
  private extensionBytesLeft = 0;
  private field = 0;
  private rowBytes = 0;
  private fieldBytes = 0;

  constructor(
    private readonly fields: readonly BinaryCopyField[],
    private readonly limits: ReadLimits,
    private readonly sink: CopyRowSink,
  ) {}

  /** Hands over the next chunk; the previous one must have been read to its end (readRows() false). */
  push(chunk: Buffer): void {
    if (this.offset < this.chunk.length) throw new Error('the previous chunk has not been read yet');
    if (this.state === State.Trailer && chunk.length > 0)
      throw new BinaryCopyFormatError('data after the trailer');
    this.chunk = chunk;
    this.offset = 0;
  }

  /**
   * Hands rows to the sink until it asks to stop (true), or until the chunks so far hold no further
   * complete row (false).
   */
  readRows(): boolean {
    for (;;) {
      if (this.carried === 0 && this.readRowsInChunk()) return true;
      switch (this.state) {
        case State.FieldLength:
          if (this.field === this.fields.length) {
            this.state = State.TupleStart;
            if (this.sink.endRow()) return true;
            break;
          }
          if (!this.read(4)) return false;
          this.startField(this.view.readInt32BE(this.at));
          break;
        case State.FieldData:
          if (!this.read(this.fieldBytes)) return false;
          this.decodeField(this.view, this.at);
          break;
        case State.TupleStart:
          if (!this.read(2)) return false;
          this.startTuple(this.view.readInt16BE(this.at));
          break;
        case State.Header:
          if (!this.read(HEADER_BYTES)) return false;
          this.readHeader();
          break;
        case State.HeaderExtension:
          if (!this.skipExtension()) return false;
          break;
        case State.Trailer:
          if (this.offset < this.chunk.length) throw new BinaryCopyFormatError('data after the trailer');
          return false;
      }
    }
  }

  /** Checks that the stream ended where the format allows it to, after its trailer. */
  finish(): void {
    if (this.state !== State.Trailer) throw new BinaryCopyFormatError('the stream ended before its trailer');
  }

  private readHeader(): void {
    if (!this.view.subarray(this.at, this.at + SIGNATURE.length).equals(SIGNATURE)) {
      throw new BinaryCopyFormatError('no PGCOPY signature');
    }
    this.extensionBytesLeft = this.view.readUInt32BE(this.at + SIGNATURE.length + 4);
    this.state = State.HeaderExtension;
  }

  private skipExtension(): boolean {
    const skipped = Math.min(this.extensionBytesLeft, this.chunk.length - this.offset);
    this.offset += skipped;
    this.extensionBytesLeft -= skipped;
    if (this.extensionBytesLeft > 0) return false;
    this.state = State.TupleStart;
    return true;
  }

  private startTuple(fieldCount: number): void {
    if (fieldCount === TRAILER) {
      this.state = State.Trailer;
      return;
    }
    if (fieldCount !== this.fields.length) {
      throw new BinaryCopyFormatError(
        `a tuple of ${fieldCount} fields where ${this.fields.length} were asked for`,
      );
    }
    this.field = 0;
    this.rowBytes = 0;
    this.state = State.FieldLength;
  }

  private startField(length: number): void {
    if (length === NULL_FIELD) {
      this.sink.nullValue(this.field++);
      return;
    }
    if (length < 0) throw new BinaryCopyFormatError(`a field length of ${length}`);
    this.checkLimits(length);
    this.fieldBytes = length;
    this.state = State.FieldData;
  }

  /**
   * The common case, without the state machine: whole rows read straight from the chunk for as long
   * as they lie in it. Anything else (a field cut by the chunk's end, the trailer, a malformed tuple,
   * a value over a limit) is left, unread, to the general path, which reads it again and knows what
   * it means. True when the sink asked to stop.
   */
  private readRowsInChunk(): boolean {
    if (this.state !== State.TupleStart && this.state !== State.FieldLength) return false;
    const { chunk, sink } = this;
    const end = chunk.length;
    const count = this.fields.length;
    const { maxValueBytes, maxRowBytes } = this.limits;
    let inRow = this.state === State.FieldLength;
    let offset = this.offset;
    let field = this.field;
    let rowBytes = this.rowBytes;
    let stopped = false;
    rows: for (;;) {
      if (!inRow) {
        if (offset + 2 > end || chunk.readInt16BE(offset) !== count) break;
        offset += 2;
        field = 0;
        rowBytes = 0;
        inRow = true;
      }
      while (field < count) {
        if (offset + 4 > end) break rows;
        const length = chunk.readInt32BE(offset);
        if (length === NULL_FIELD) {
          sink.nullValue(field++);
          offset += 4;
          continue;
        }
        const last = offset + 4 + length;
        if (length < 0 || length >= maxValueBytes || rowBytes + length >= maxRowBytes || last > end)
          break rows;
        rowBytes += length;
        sink.value(field++, chunk, offset + 4, last);
        offset = last;
      }
      inRow = false;
      if (sink.endRow()) {
        stopped = true;
        break;
      }
    }
    this.offset = offset;
    this.field = field;
    this.rowBytes = rowBytes;
    this.state = inRow ? State.FieldLength : State.TupleStart;
    return stopped;
  }

  /** Hands over the current field, whose fieldBytes bytes are at buffer[start]. */
  private decodeField(buffer: Buffer, start: number): void {
    this.sink.value(this.field, buffer, start, start + this.fieldBytes);
    this.field++;
    this.state = State.FieldLength;
  }

  private checkLimits(length: number): void {
    const { maxValueBytes, maxRowBytes } = this.limits;
    if (length >= maxValueBytes)
      throw new ValueTooLargeError(this.fields[this.field].name, length, maxValueBytes);
    this.rowBytes += length;
    if (this.rowBytes >= maxRowBytes) throw new RowTooLargeError(this.rowBytes, maxRowBytes);
  }

  /**
   * Makes `length` bytes available at view[at]: straight from the chunk when they are all in it,
   * otherwise gathered into `carry` across chunks. False until they are all there.
   */
  private read(length: number): boolean {
    const available = this.chunk.length - this.offset;
    if (this.carried === 0 && available >= length) {
      this.view = this.chunk;
      this.at = this.offset;
      this.offset += length;
      return true;
    }
    if (this.carried === 0) this.carry = length <= SCRATCH_BYTES ? this.scratch : Buffer.allocUnsafe(length);
    const taken = Math.min(length - this.carried, available);
    this.chunk.copy(this.carry, this.carried, this.offset, this.offset + taken);
    this.carried += taken;
    this.offset += taken;
    if (this.carried < length) return false;
    this.view = this.carry;
    this.at = 0;
    this.carried = 0;
    return true;
  }
}
