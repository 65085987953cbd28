/**
 * Parquet's Thrift structures (the format's own IDL, as generated for and shipped with @dsnp/parquetjs)
 * read and written with the thrift library's compact protocol, the encoding every Parquet footer and
 * page header uses.
 */
import { Int64, TBufferedTransport, TCompactProtocol, TFramedTransport, Thrift } from 'thrift';
import * as format from '@dsnp/parquetjs/dist/gen-nodejs/parquet_types';

export { format };

/** The generated structures read and write themselves under these symbols. */
const READ = Symbol.for('read');
const WRITE = Symbol.for('write');

interface ThriftStruct {
  [READ]?: (protocol: TCompactProtocol) => void;
  [WRITE]?: (protocol: TCompactProtocol) => void;
}

/** The Thrift bytes at `offset` are not the structure they should be. */
export class ParquetThriftError extends Error {
  constructor(what: string, cause: unknown) {
    super(`cannot read the Parquet ${what}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'ParquetThriftError';
  }
}

/** TFramedTransport reads from `readPos`, which its type declarations leave out. */
type PositionedTransport = TFramedTransport & { readPos: number };

/**
 * A copy of bytes[offset, offset + length). Binary fields and 64-bit integers read by thrift are views
 * of the bytes they were read from: structures kept longer than those bytes are read from a copy.
 */
export function copyOf(bytes: Buffer, offset: number, length: number): Buffer {
  if (offset < 0 || offset + length > bytes.length)
    throw new ParquetThriftError('file', new Error(`a structure at ${offset} runs past its end`));
  return Buffer.from(bytes.subarray(offset, offset + length));
}

/** Reads one structure into `into` from bytes[offset]; returns how many bytes it took. */
export function readThrift<T extends object>(into: T, bytes: Buffer, offset: number, what: string): number {
  const transport = new TFramedTransport(bytes) as PositionedTransport;
  transport.readPos = offset;
  try {
    (into as ThriftStruct)[READ]!(new TCompactProtocol(transport));
  } catch (error) {
    throw new ParquetThriftError(what, error);
  }
  return transport.readPos - offset;
}

/** FileMetaData's num_rows: field 3, after the version and the schema. */
const NUM_ROWS_FIELD = 3;

/**
 * num_rows of the FileMetaData at bytes[offset], or null when it has none. Only the fields before it
 * are read, and skipped: not the row groups, whose column chunks make up most of a footer.
 */
export function readFileRowCount(bytes: Buffer, offset: number): number | null {
  const transport = new TFramedTransport(bytes) as PositionedTransport;
  transport.readPos = offset;
  try {
    const protocol = new TCompactProtocol(transport);
    protocol.readStructBegin();
    for (;;) {
      const { ftype, fid } = protocol.readFieldBegin();
      if (ftype === Thrift.Type.STOP) return null;
      if (fid === NUM_ROWS_FIELD && ftype === Thrift.Type.I64) return numberOf(protocol.readI64());
      protocol.skip(ftype);
      protocol.readFieldEnd();
    }
  } catch (error) {
    throw new ParquetThriftError('footer', error);
  }
}

export function writeThrift(struct: object): Buffer {
  const pieces: Buffer[] = [];
  const transport = new TBufferedTransport(undefined, (piece) => {
    if (piece) pieces.push(piece);
  });
  (struct as ThriftStruct)[WRITE]!(new TCompactProtocol(transport));
  transport.flush();
  return Buffer.concat(pieces);
}

/** Thrift's 64-bit integers; file offsets and counts here stay far below 2^53. */
export function int64(value: number): Int64 {
  return new Int64(value);
}

export function numberOf(value: Int64 | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber(true);
}

const MAGIC = 'PAR1';

/** The FileMetaData of a whole Parquet file held in memory. */
export function fileMetaDataOf(file: Buffer): format.FileMetaData {
  if (file.length < 12 || file.toString('latin1', file.length - 4) !== MAGIC)
    throw new ParquetThriftError('file', new Error('it does not end with PAR1'));
  const length = file.readUInt32LE(file.length - 8);
  const metadata = new format.FileMetaData();
  readThrift(metadata, copyOf(file, file.length - 8 - length, length), 0, 'footer');
  return metadata;
}

/** The footer that ends a file: FileMetaData, its length (4 bytes, little endian), PAR1. */
export function footerBytes(metadata: format.FileMetaData): Buffer {
  const encoded = writeThrift(metadata);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(encoded.length, 0);
  trailer.write(MAGIC, 4, 'latin1');
  return Buffer.concat([encoded, trailer]);
}

export const PARQUET_MAGIC = Buffer.from(MAGIC, 'latin1');

/**
 * The schema elements of a file's top-level columns, in order. Element 0 is the root; a nested
 * column's element is followed by all of its descendants (depth first), which are skipped.
 */
export function topLevelElements(schema: readonly format.SchemaElement[]): format.SchemaElement[] {
  const columns: format.SchemaElement[] = [];
  let index = 1;
  while (index < schema.length) {
    columns.push(schema[index]);
    let unvisitedChildren = schema[index].num_children ?? 0;
    index += 1;
    while (unvisitedChildren > 0) {
      unvisitedChildren += (schema[index].num_children ?? 0) - 1;
      index += 1;
    }
  }
  return columns;
}
