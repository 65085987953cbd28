/**
 * Arrow IPC stream framing: every message is a continuation marker (0xFFFFFFFF), the length of its
 * metadata (int32, little endian), the metadata and then its body; a stream is its schema message,
 * its record batches and an end-of-stream marker (0xFFFFFFFF, 0). A schema message has no body.
 */
const CONTINUATION = 0xffffffff;
const PREFIX_BYTES = 8;
const END_OF_STREAM = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

export class IpcStreamError extends Error {
  constructor(detail: string) {
    super(`not an Arrow IPC stream of one schema and its record batches: ${detail}`);
    this.name = 'IpcStreamError';
  }
}

function viewOf(stream: Uint8Array): Buffer {
  return Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
}

/** Where the record batches of `stream` start and end: after its schema message, before its end marker. */
function batchesOf(stream: Uint8Array): { start: number; end: number } {
  const bytes = viewOf(stream);
  if (bytes.length < 2 * PREFIX_BYTES || bytes.readUInt32LE(0) !== CONTINUATION)
    throw new IpcStreamError('it does not start with a framed message');
  const end = bytes.length - PREFIX_BYTES;
  if (!bytes.subarray(end).equals(END_OF_STREAM))
    throw new IpcStreamError('it does not end with its end marker');
  const start = PREFIX_BYTES + bytes.readInt32LE(4);
  if (start > end) throw new IpcStreamError('its schema message runs past its end');
  return { start, end };
}

/**
 * One stream holding the record batches of several streams written with the same schema, in order:
 * the first stream's schema, every stream's batches, one end marker. Dictionary-encoded columns are
 * not supported (their dictionaries would need merging); the encoder writes none.
 */
export function joinIpcStreams(streams: readonly Uint8Array[]): Buffer {
  if (streams.length === 0) throw new IpcStreamError('there is no stream to join');
  const pieces: Buffer[] = [];
  streams.forEach((stream, index) => {
    const { start, end } = batchesOf(stream);
    pieces.push(viewOf(stream).subarray(index === 0 ? 0 : start, end));
  });
  pieces.push(END_OF_STREAM);
  return Buffer.concat(pieces);
}
