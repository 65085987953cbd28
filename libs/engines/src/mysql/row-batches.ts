import { Readable } from 'node:stream';

/** Where rows go as they are read: a batch being built. */
export interface RowSink<R, B> {
  /** Takes one row; true once the batch is full. */
  add(row: R): boolean;
  /** The batch so far, and a fresh start. */
  take(): B;
  readonly length: number;
}

/**
 * The rows of an object-mode stream put into `sink` as they arrive, taken with read(): one wait per
 * batch rather than one per row as `for await` over the stream does. Yields each full batch, then the
 * last one. The stream is destroyed when the consumer stops early.
 */
export async function* rowBatches<R, B>(stream: Readable, sink: RowSink<R, B>): AsyncGenerator<B> {
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
    for (;;) {
      let row: R | null;
      while ((row = stream.read() as R | null) !== null) if (sink.add(row)) yield sink.take();
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (sink.length > 0) yield sink.take();
  } finally {
    stream.off('readable', notify);
    if (!ended) stream.destroy();
  }
}
