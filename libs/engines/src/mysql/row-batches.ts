import { Readable } from 'node:stream';

/**
 * The rows of an object-mode stream in arrays of up to `size`, taken with read() as they arrive:
 * one wait per batch rather than one per row as `for await` over the stream does. The stream is
 * destroyed when the consumer stops early.
 */
export async function* rowBatches<T>(stream: Readable, size: number): AsyncGenerator<T[]> {
  let ended = false;
  let failure: unknown = null;
  let wake: () => void = () => undefined;
  const notify = () => wake();
  stream.on('readable', notify);
  stream.once('end', () => {
    ended = true;
    notify();
  });
  stream.once('error', (error) => {
    failure = error;
    notify();
  });
  try {
    let batch: T[] = [];
    for (;;) {
      let row: T | null;
      while ((row = stream.read() as T | null) !== null) {
        batch.push(row);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (batch.length > 0) yield batch;
  } finally {
    stream.off('readable', notify);
    if (!ended) stream.destroy();
  }
}
