import { isDeepStrictEqual } from 'node:util';
import { NO_READ_LIMITS, ReadLimits, RowTooLargeError, ValueTooLargeError } from '../engine';
import { BinaryCopyFormatError, BinaryCopyParser, CopyRowSink } from './binary-copy-parser';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

function header(extension: Buffer<ArrayBufferLike> = Buffer.alloc(0)): Buffer {
  return Buffer.concat([SIGNATURE, int32(0), int32(extension.length), extension]);
}

/** One tuple; null is a NULL field. */
function tuple(fields: (Buffer | null)[]): Buffer {
  const parts = fields.map((field) =>
    field === null ? int32(-1) : Buffer.concat([int32(field.length), field]),
  );
  return Buffer.concat([int16(fields.length), ...parts]);
}

const TRAILER = int16(-1);

function copyStream(rows: (Buffer | null)[][], extension?: Buffer<ArrayBufferLike>): Buffer {
  return Buffer.concat([header(extension), ...rows.map(tuple), TRAILER]);
}

const text = (value: string) => Buffer.from(value, 'utf8');

type Decode = (buffer: Buffer, start: number, end: number) => unknown;

/** A text, an int4 and a bytea field, as PostgreSQL sends them. */
const FIELDS: { name: string; decode: Decode }[] = [
  { name: 'label', decode: (buffer, start, end) => buffer.toString('utf8', start, end) },
  { name: 'n', decode: (buffer, start) => buffer.readInt32BE(start) },
  { name: 'payload', decode: (buffer, start, end) => Buffer.from(buffer.subarray(start, end)) },
];

/** Collects each row the parser completes as an array of decoded values. */
class Rows implements CopyRowSink {
  private current: unknown[] = [];
  readonly completed: unknown[][] = [];

  /** `stopEachRow` false lets the parser read every row the chunks hold in one go. */
  constructor(
    private readonly fields: readonly { decode: Decode }[],
    private readonly stopEachRow = true,
  ) {}

  value(field: number, buffer: Buffer, start: number, end: number): void {
    this.current[field] = this.fields[field].decode(buffer, start, end);
  }

  nullValue(field: number): void {
    this.current[field] = null;
  }

  endRow(): boolean {
    if (this.stopEachRow) return true;
    this.completed.push(this.take());
    return false;
  }

  /** The row the parser has just completed. */
  take(): unknown[] {
    const row = this.current;
    this.current = [];
    return row;
  }
}

/** A parser over FIELDS whose nextRow() gives the completed row, or undefined. */
function rowParser(limits: ReadLimits = NO_READ_LIMITS) {
  const rows = new Rows(FIELDS);
  const parser = new BinaryCopyParser(FIELDS, limits, rows);
  return {
    push: (chunk: Buffer) => parser.push(chunk),
    nextRow: () => (parser.readRows() ? rows.take() : undefined),
  };
}

const ROWS: (Buffer | null)[][] = [
  [text('ünï 😀'), int32(1), Buffer.from([0, 255])],
  [null, int32(-2), null],
  [text(''), null, Buffer.alloc(0)],
  [text('a'.repeat(40)), int32(2147483647), Buffer.alloc(100, 7)],
];

const EXPECTED = [
  ['ünï 😀', 1, Buffer.from([0, 255])],
  [null, -2, null],
  ['', null, Buffer.alloc(0)],
  ['a'.repeat(40), 2147483647, Buffer.alloc(100, 7)],
];

function parseChunks(chunks: Buffer[], limits: ReadLimits = NO_READ_LIMITS, fields = FIELDS): unknown[][] {
  const sink = new Rows(fields);
  const parser = new BinaryCopyParser(fields, limits, sink);
  const rows: unknown[][] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    while (parser.readRows()) rows.push(sink.take());
  }
  parser.finish();
  return rows;
}

/** Every row in one go per chunk, as the reader's batches take them. */
function parseChunksWhole(chunks: Buffer[]): unknown[][] {
  const sink = new Rows(FIELDS, false);
  const parser = new BinaryCopyParser(FIELDS, NO_READ_LIMITS, sink);
  for (const chunk of chunks) {
    parser.push(chunk);
    expect(parser.readRows()).toBe(false);
  }
  parser.finish();
  return sink.completed;
}

function splitAt(buffer: Buffer, ...offsets: number[]): Buffer[] {
  const bounds = [0, ...offsets, buffer.length];
  return bounds.slice(1).map((end, index) => buffer.subarray(bounds[index], end));
}

describe('BinaryCopyParser', () => {
  const stream = copyStream(ROWS);

  it('reads rows from one chunk, NULLs and empty values kept apart', () => {
    expect(parseChunks([stream])).toEqual(EXPECTED);
  });

  it('reads the same rows whichever byte a chunk boundary falls on', () => {
    const offsets = Array.from({ length: stream.length + 1 }, (_, offset) => offset);
    const wrong = offsets.filter(
      (offset) => !isDeepStrictEqual(parseChunks(splitAt(stream, offset)), EXPECTED),
    );
    expect(wrong).toEqual([]);
  });

  it('reads the same rows without stopping after each, whichever byte a chunk boundary falls on', () => {
    const offsets = Array.from({ length: stream.length + 1 }, (_, offset) => offset);
    const wrong = offsets.filter(
      (offset) => !isDeepStrictEqual(parseChunksWhole(splitAt(stream, offset)), EXPECTED),
    );
    expect(wrong).toEqual([]);
  });

  it('reads the same rows whichever two bytes two chunk boundaries fall on', () => {
    const wrong: string[] = [];
    for (let first = 1; first < stream.length; first++) {
      for (let second = first; second < stream.length; second++) {
        const rows = parseChunks(splitAt(stream, first, second));
        if (!isDeepStrictEqual(rows, EXPECTED)) wrong.push(`${first},${second}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads a stream that arrives one byte at a time', () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(parseChunks(bytes)).toEqual(EXPECTED);
  });

  it('copes with empty chunks', () => {
    expect(parseChunks([Buffer.alloc(0), ...splitAt(stream, 20), Buffer.alloc(0)])).toEqual(EXPECTED);
  });

  it('skips a header extension', () => {
    const extended = copyStream(ROWS, Buffer.from('future header data'));
    expect(parseChunks(splitAt(extended, 21))).toEqual(EXPECTED);
  });

  it('reads a table without rows', () => {
    expect(parseChunks([copyStream([])])).toEqual([]);
  });

  it('reads rows without columns', () => {
    expect(parseChunks([copyStream([[], []])], NO_READ_LIMITS, [])).toEqual([[], []]);
  });

  it('hands out each row as soon as it is complete', () => {
    const parser = rowParser();
    const firstRowEnd = header().length + tuple(ROWS[0]).length;
    parser.push(stream.subarray(0, firstRowEnd));
    expect(parser.nextRow()).toEqual(EXPECTED[0]);
    expect(parser.nextRow()).toBeUndefined();
    parser.push(stream.subarray(firstRowEnd));
    expect(parser.nextRow()).toEqual(EXPECTED[1]);
  });

  describe('size limits', () => {
    const limits = (maxValueBytes: number, maxRowBytes: number) => ({ maxValueBytes, maxRowBytes });

    it('refuses a value at the value limit from its length prefix, before its bytes arrive', () => {
      const parser = rowParser(limits(40, 1000));
      parser.push(Buffer.concat([header(), tuple(ROWS[0]), int16(3), int32(40)]));
      expect(parser.nextRow()).toEqual(EXPECTED[0]);
      const error = catching(() => parser.nextRow());
      expect(error).toBeInstanceOf(ValueTooLargeError);
      expect(error).toMatchObject({ column: 'label', valueBytes: 40, limit: 40 });
    });

    it('lets a value one byte under the limit through', () => {
      expect(parseChunks([stream], limits(101, 1000))).toEqual(EXPECTED);
    });

    it('refuses a row whose values add up to the row limit', () => {
      // The last row holds 40 + 4 + 100 bytes.
      const error = catching(() => parseChunks([stream], limits(1000, 144)));
      expect(error).toBeInstanceOf(RowTooLargeError);
      expect(error).toMatchObject({ rowBytes: 144, limit: 144 });
      expect(parseChunks([stream], limits(1000, 145))).toEqual(EXPECTED);
    });

    it('leaves NULLs out of the row size', () => {
      const rows = [[null, int32(1), null]];
      expect(parseChunks([copyStream(rows)], limits(5, 5))).toEqual([[null, 1, null]]);
    });
  });

  describe('malformed streams', () => {
    it('refuses a stream without the signature', () => {
      const broken = Buffer.from(stream);
      broken[0] = 'X'.charCodeAt(0);
      expect(() => parseChunks([broken])).toThrow(BinaryCopyFormatError);
    });

    it('refuses a tuple with another number of fields', () => {
      const wrong = Buffer.concat([header(), tuple([text('a')]), TRAILER]);
      expect(() => parseChunks([wrong])).toThrow(/a tuple of 1 fields where 3 were asked for/);
    });

    it('refuses a stream that ends before its trailer', () => {
      expect(() => parseChunks([stream.subarray(0, stream.length - 2)])).toThrow(/before its trailer/);
      expect(() => parseChunks([stream.subarray(0, stream.length - 5)])).toThrow(BinaryCopyFormatError);
    });

    it('refuses data after the trailer', () => {
      expect(() => parseChunks([stream, Buffer.from([0])])).toThrow(/after the trailer/);
    });
  });
});

function catching(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}
