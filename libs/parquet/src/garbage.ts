import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type: 'minor' }) => void;

let collect: Collect | null = null;

/**
 * Frees the ArrayBuffers this thread has dropped (Arrow IPC bytes handed to parquet-wasm, Parquet
 * chunks handed to the upload) with a young-generation collection. V8 otherwise collects them only
 * once about 64 MiB of such memory has piled up in each thread, which alone would break the
 * extractor's memory bound; a young-generation pass takes about a millisecond.
 */
export function freeDroppedBuffers(type: 'minor' | 'major' = 'minor'): void {
  collect ??= exposedCollector();
  // Node 20's V8 runs only a young-generation pass for { type: 'major' }; no options is a full collection.
  if (type === 'major') collect();
  else collect({ type });
}

function exposedCollector(): Collect {
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Collect;
}

/**
 * Frees the dropped bytes now, once nothing will read them again, with one collection: their buffer may have been kept long enough to
 * reach V8's old generation, which only a full collection would free. Moving the memory to a buffer
 * that dies at once lets the young-generation pass free it.
 */
export function release(...dropped: Uint8Array[]): void {
  for (const bytes of dropped) {
    // A view into a larger buffer (Node's pool of small Buffers, say) must leave that buffer alone.
    const ownsBuffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    if (ownsBuffer && bytes.buffer instanceof ArrayBuffer && !isDetached(bytes.buffer)) {
      structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    }
  }
  freeDroppedBuffers();
}

function isDetached(buffer: ArrayBuffer): boolean {
  return buffer.byteLength === 0;
}

/** A full collection at most once per interval: each costs a few milliseconds per 10 MiB of heap. */
export class FullCollections {
  private lastAt = 0;

  constructor(
    private readonly minIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  run(): void {
    const at = this.now();
    if (at - this.lastAt < this.minIntervalMs) return;
    this.lastAt = at;
    freeDroppedBuffers('major');
  }
}

/**
 * A young-generation collection once `thresholdBytes` of buffers have been dropped since the last:
 * often enough to keep them from piling up, rarely enough not to cost more than they hold.
 */
export class DroppedBytes {
  private dropped = 0;

  constructor(private readonly thresholdBytes: number) {}

  add(bytes: number): void {
    this.dropped += bytes;
    if (this.dropped < this.thresholdBytes) return;
    this.dropped = 0;
    freeDroppedBuffers();
  }
}
