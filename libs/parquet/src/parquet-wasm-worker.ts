/**
 * Entry of an encoder thread (node:worker_threads): runs parquet-wasm's writer for the files the main
 * thread assigns to it. Arrow IPC batches arrive transferred; encoded Parquet bytes go back transferred,
 * one chunk at a time, the next only once the main thread has put the last one into the file's output.
 */
import { parentPort } from 'node:worker_threads';
import { wasmMemory } from 'parquet-wasm';
import { FromEncoderThread, ToEncoderThread, WasmFileSettings } from './parquet-wasm-protocol';
import { WasmFileWriter } from './parquet-wasm-writer';
import { FullCollections } from './garbage';

const port = parentPort!;
/**
 * After a row group has gone out, what outlived the young generation is garbage too; a full
 * collection at most once a second (every 100 ms cost ~15% of the extractor's CPU).
 */
const fullCollections = new FullCollections(1000);
const files = new Map<number, { writer: WasmFileWriter; chunkWritten: (() => void) | null }>();

function post(message: FromEncoderThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** The chunk's own buffer when it owns one whole; a copy when it is a view into a larger one. */
function transferable(chunk: Uint8Array): Uint8Array {
  const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
  // A copy of its own: Buffer's slice() is a view, and Node (22 on) refuses to transfer the buffers
  // it pools small allocations in.
  return whole && chunk.buffer instanceof ArrayBuffer ? chunk : new Uint8Array(chunk);
}

/** WebAssembly.RuntimeError: lib "dom" is not in this project's types, so it is recognised by name. */
function isWasmTrap(error: Error): boolean {
  return error.constructor.name === 'RuntimeError';
}

function open(fileId: number, settings: WasmFileSettings): void {
  const file = {
    chunkWritten: null as (() => void) | null,
    writer: new WasmFileWriter(settings, {
      chunk: (bytes) => {
        const chunk = transferable(bytes);
        return new Promise<void>((resolve) => {
          file.chunkWritten = resolve;
          post({ kind: 'chunk', fileId, chunk }, [chunk.buffer as ArrayBuffer]);
        }).then(() => fullCollections.run());
      },
      taken: () => post({ kind: 'taken', fileId }),
      failed: (error) => {
        files.delete(fileId);
        post({ kind: 'failed', fileId, name: error.name, message: error.message });
        // A trapped WebAssembly instance may be left inconsistent: the thread goes, a new one replaces it.
        if (isWasmTrap(error)) process.exit(1);
      },
    }),
  };
  files.set(fileId, file);
  // A file that fails or is abandoned says so through `failed`, and `done` never resolves.
  void file.writer.done.then(() => {
    files.delete(fileId);
    post({ kind: 'closed', fileId });
    post({ kind: 'memory', wasmBytes: wasmMemory().buffer.byteLength });
  });
}

port.on('message', (message: ToEncoderThread) => {
  if (message.kind === 'open') return open(message.fileId, message.settings);
  const file = files.get(message.fileId);
  if (!file) return;
  switch (message.kind) {
    case 'batch':
      return file.writer.add(message.batch, message.endsRowGroup);
    case 'chunk-written': {
      const written = file.chunkWritten;
      file.chunkWritten = null;
      return written?.();
    }
    case 'close':
      return file.writer.end(message.entries);
    case 'abort':
      files.delete(message.fileId);
      file.writer.fail(new Error('the file was abandoned'));
      // A chunk the main thread will never write must not hold the writer, and its row group, forever.
      return file.chunkWritten?.();
  }
});
