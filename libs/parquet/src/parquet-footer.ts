/**
 * Reads the row count a finished Parquet file declares in its footer, from the last bytes written,
 * so that a writer which lost rows without saying so is caught before the file is kept.
 *
 * The footer is FileMetaData in Thrift's compact protocol, followed by its length (4 bytes, little
 * endian) and the magic `PAR1`; num_rows is field 3, after the version and the schema.
 */

const MAGIC = 'PAR1';
const NUM_ROWS_FIELD = 3;

/** The file's footer cannot be read: it is missing, cut short or malformed. */
export class ParquetFooterError extends Error {
  constructor(message: string) {
    super(`the Parquet footer is unreadable: ${message}`);
    this.name = 'ParquetFooterError';
  }
}

enum CompactType {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

/** Just enough of Thrift's compact protocol to walk a struct and skip what it does not need. */
class CompactReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.position >= this.bytes.length) throw new ParquetFooterError('it ends inside a value');
    return this.bytes[this.position++];
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new ParquetFooterError('a variable-length integer is too long');
  }

  zigzag(): bigint {
    const raw = this.varint();
    return (raw >> 1n) ^ -(raw & 1n);
  }

  skipBytes(count: number): void {
    if (this.position + count > this.bytes.length) throw new ParquetFooterError('it ends inside a value');
    this.position += count;
  }

  /** Reads a field header; null at the struct's end. */
  fieldHeader(previousId: number): { id: number; type: number } | null {
    const header = this.byte();
    const type = header & 0x0f;
    if (type === CompactType.Stop) return null;
    const delta = header >> 4;
    const id = delta === 0 ? Number(this.zigzag()) : previousId + delta;
    return { id, type };
  }

  skip(type: number): void {
    switch (type) {
      case CompactType.True:
      case CompactType.False:
        return;
      case CompactType.Byte:
        return this.skipBytes(1);
      case CompactType.I16:
      case CompactType.I32:
      case CompactType.I64:
        this.varint();
        return;
      case CompactType.Double:
        return this.skipBytes(8);
      case CompactType.Binary:
        return this.skipBytes(Number(this.varint()));
      case CompactType.List:
      case CompactType.Set:
        return this.skipList();
      case CompactType.Map:
        return this.skipMap();
      case CompactType.Struct:
        return this.skipStruct();
      default:
        throw new ParquetFooterError(`unknown Thrift type ${type}`);
    }
  }

  private skipList(): void {
    const header = this.byte();
    const size = header >> 4 === 0x0f ? Number(this.varint()) : header >> 4;
    const elementType = header & 0x0f;
    for (let index = 0; index < size; index++) {
      // Booleans inside a collection take a byte each.
      if (elementType === CompactType.True || elementType === CompactType.False) this.skipBytes(1);
      else this.skip(elementType);
    }
  }

  private skipMap(): void {
    const size = Number(this.varint());
    if (size === 0) return;
    const types = this.byte();
    for (let index = 0; index < size; index++) {
      this.skip(types >> 4);
      this.skip(types & 0x0f);
    }
  }

  private skipStruct(): void {
    for (let field = this.fieldHeader(0); field; field = this.fieldHeader(field.id)) this.skip(field.type);
  }
}

/** The footer's length as the file's last 8 bytes give it. */
export function footerLength(tail: Uint8Array): number {
  if (tail.length < 8) throw new ParquetFooterError(`the file is only ${tail.length} bytes long`);
  const end = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  if (end.toString('latin1', end.length - 4) !== MAGIC)
    throw new ParquetFooterError('the file does not end with PAR1');
  return end.readUInt32LE(end.length - 8);
}

/** num_rows of the FileMetaData that ends `tail`, the last bytes of a Parquet file. */
export function footerRowCount(tail: Uint8Array): number {
  const length = footerLength(tail);
  if (length + 8 > tail.length)
    throw new ParquetFooterError(`the footer is ${length} bytes, more than the ${tail.length - 8} kept`);
  const reader = new CompactReader(tail.subarray(tail.length - 8 - length, tail.length - 8));
  for (let field = reader.fieldHeader(0); field; field = reader.fieldHeader(field.id)) {
    if (field.id === NUM_ROWS_FIELD && field.type === CompactType.I64) return Number(reader.zigzag());
    reader.skip(field.type);
  }
  throw new ParquetFooterError('it has no row count');
}

/**
 * The last chunks that went by, at least `capacity` bytes of them when there were that many: the
 * writer writes its footer in one piece, so a footer longer than `capacity` is still held whole in the
 * last chunk. Chunks are held, not copied; all but the last few are let go.
 */
export class TailBytes {
  private readonly chunks: Uint8Array[] = [];
  private held = 0;

  constructor(private readonly capacity: number) {}

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.held += chunk.byteLength;
    while (this.chunks.length > 1 && this.held - this.chunks[0].byteLength >= this.capacity) {
      this.held -= this.chunks.shift()!.byteLength;
    }
  }

  bytes(): Uint8Array {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }
}
