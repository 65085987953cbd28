/**
 * Reads a Parquet file's footer from its last bytes: the row count a file just written declares, so
 * that a writer which lost rows without saying so is caught before the file is kept, and the entries
 * a stored file was closed with. The footer is FileMetaData in Thrift's compact protocol, followed by
 * its length (4 bytes, little endian) and the magic `PAR1`.
 */
import { format, numberOf, readFileRowCount, readThrift } from './parquet-thrift';

const MAGIC = 'PAR1';

/** The file's footer cannot be read: it is missing, cut short or malformed. */
export class ParquetFooterError extends Error {
  constructor(message: string) {
    super(`the Parquet footer is unreadable: ${message}`);
    this.name = 'ParquetFooterError';
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

/** What a stored file's footer says about it. */
export interface ParquetFooter {
  /** num_rows */
  rows: number;
  /** key_value_metadata, the writer's own entries and any the file was closed with. */
  entries: ReadonlyMap<string, string>;
}

/** The footer's bytes in `tail` and where in them it starts. */
function footerIn(tail: Uint8Array): { bytes: Buffer; start: number } {
  const length = footerLength(tail);
  if (length + 8 > tail.length)
    throw new ParquetFooterError(`the footer is ${length} bytes, more than the ${tail.length - 8} kept`);
  return {
    bytes: Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength),
    start: tail.length - 8 - length,
  };
}

/** The FileMetaData that ends `tail`, the last bytes of a Parquet file. */
export function footerOf(tail: Uint8Array): ParquetFooter {
  const { bytes, start } = footerIn(tail);
  const metadata = new format.FileMetaData();
  try {
    readThrift(metadata, bytes, start, 'footer');
  } catch (error) {
    throw new ParquetFooterError((error as Error).message);
  }
  if (metadata.num_rows === null || metadata.num_rows === undefined)
    throw new ParquetFooterError('it has no row count');
  const entries = (metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value ?? ''] as const);
  return { rows: numberOf(metadata.num_rows), entries: new Map(entries) };
}

/**
 * num_rows of the FileMetaData that ends `tail`, the last bytes of a Parquet file, read without
 * decoding the rest of the footer (its row groups): this runs for every file written.
 */
export function footerRowCount(tail: Uint8Array): number {
  const { bytes, start } = footerIn(tail);
  let rows: number | null;
  try {
    rows = readFileRowCount(bytes, start);
  } catch (error) {
    throw new ParquetFooterError((error as Error).message);
  }
  if (rows === null) throw new ParquetFooterError('it has no row count');
  return rows;
}

/** Bytes read first from the end of a stored file: most footers fit, longer ones take a second read. */
export const FOOTER_PROBE_BYTES = 64 * 1024;

/**
 * The footer of a stored file, read from its end with as few reads as it takes: `readLast(n)` gives
 * the file's last n bytes, or the whole file when it is shorter.
 */
export async function readFooter(readLast: (bytes: number) => Promise<Uint8Array>): Promise<ParquetFooter> {
  const probe = await readLast(FOOTER_PROBE_BYTES);
  const length = footerLength(probe);
  if (length + 8 <= probe.length || probe.length < FOOTER_PROBE_BYTES) return footerOf(probe);
  return footerOf(await readLast(length + 8));
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
