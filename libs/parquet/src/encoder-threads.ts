import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FromEncoderThread, ThreadBatch, ToEncoderThread, WasmFileSettings } from './parquet-wasm-protocol';
import { FooterEntries } from './part-encoder';

/** What a file hears from the thread that encodes it. */
export interface FileListener {
  taken(): void;
  chunk(bytes: Uint8Array): void;
  closed(): void;
  failed(error: Error): void;
}

/** The thread is gone: every file it was encoding fails with this. */
export class EncoderThreadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EncoderThreadError';
  }
}

/** An error the encoder thread reported, under its own name. */
function reportedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * The compiled worker next to this module when running from dist/; under ts-jest, which runs the
 * TypeScript sources, the worker loads its source through ts-node (transpile only).
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  const compiled = join(__dirname, 'parquet-wasm-worker.js');
  if (existsSync(compiled)) return { filename: compiled, execArgv: [] };
  return {
    filename: join(__dirname, 'parquet-wasm-worker.ts'),
    execArgv: ['--require', 'ts-node/register/transpile-only'],
  };
}

/** Young-generation size of an encoder thread's V8 heap. */
const YOUNG_GENERATION_MIB = 8;

class EncoderThread {
  readonly files = new Map<number, FileListener>();
  /** The thread's WebAssembly memory as it last reported it; it only grows. */
  wasmBytes = 0;
  private gone: Error | null = null;
  private readonly worker: Worker;

  constructor(
    private readonly onGone: (thread: EncoderThread, error: Error) => void,
    private readonly onFileClosed: () => void,
  ) {
    const entry = workerEntry();
    this.worker = new Worker(entry.filename, {
      execArgv: entry.execArgv,
      // V8's default young generation (up to ~48 MiB per isolate once busy) would hold the thread's
      // dropped batches and pages for long; they die young, so a small one collects them sooner.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB },
    });
    this.worker.on('message', (message: FromEncoderThread) => this.receive(message));
    this.worker.on('error', (error) =>
      this.stop(
        new EncoderThreadError(`the Parquet encoder thread failed: ${error.message}`, { cause: error }),
      ),
    );
    this.worker.on('exit', (code) =>
      this.stop(new EncoderThreadError(`the Parquet encoder thread exited with code ${code}`)),
    );
    // An idle thread must not keep the process alive.
    this.worker.unref();
  }

  get alive(): boolean {
    return this.gone === null;
  }

  attach(fileId: number, listener: FileListener, settings: WasmFileSettings): void {
    if (this.files.size === 0) this.worker.ref();
    this.files.set(fileId, listener);
    this.send({ kind: 'open', fileId, settings });
  }

  detach(fileId: number): void {
    if (!this.files.delete(fileId)) return;
    if (this.files.size === 0) this.worker.unref();
  }

  send(message: ToEncoderThread, transfer: ArrayBuffer[] = []): void {
    if (this.gone || !this.files.has(message.fileId)) return;
    this.worker.postMessage(message, transfer);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private receive(message: FromEncoderThread): void {
    if (message.kind === 'memory') {
      this.wasmBytes = message.wasmBytes;
      return;
    }
    const listener = this.files.get(message.fileId);
    if (!listener) return;
    switch (message.kind) {
      case 'taken':
        return listener.taken();
      case 'chunk':
        return listener.chunk(message.chunk);
      case 'closed':
        this.detach(message.fileId);
        this.onFileClosed();
        return listener.closed();
      case 'failed':
        this.detach(message.fileId);
        return listener.failed(reportedError(message.name, message.message));
    }
  }

  private stop(error: Error): void {
    if (this.gone) return;
    this.gone = error;
    this.onGone(this, error);
    const listeners = [...this.files.values()];
    this.files.clear();
    for (const listener of listeners) listener.failed(error);
  }
}

/** One file's line to the thread that encodes it. */
export interface FileChannel {
  /** Transfers the batch's buffers (`transfer`): they are unusable here afterwards. */
  batch(batch: ThreadBatch, transfer: ArrayBuffer[], endsRowGroup: boolean): void;
  chunkWritten(): void;
  /** No more batches: the thread writes the footer, holding `entries`. */
  close(entries: FooterEntries): void;
  /** Drops the file in its thread and stops listening to it. */
  abort(): void;
}

/**
 * A small pool of encoder threads shared by the files of one process. A file belongs to one thread
 * for its whole life (the writer's state lives in that thread's WebAssembly memory); a new file goes
 * to the thread with the fewest files, so concurrent partitions spread across cores and no thread
 * holds more than its share of row groups.
 */
export class EncoderThreads {
  private readonly threads: EncoderThread[] = [];
  private nextFileId = 1;
  private terminated = false;
  /** Why the last thread ended, until a file is written again after it. */
  private failure: Error | null = null;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError('the encoder pool needs at least one thread');
  }

  open(settings: WasmFileSettings, listener: FileListener): FileChannel {
    const thread = this.leastBusy();
    const fileId = this.nextFileId++;
    thread.attach(fileId, listener, settings);
    return {
      batch: (batch, transfer, endsRowGroup) =>
        thread.send({ kind: 'batch', fileId, batch, endsRowGroup }, transfer),
      chunkWritten: () => thread.send({ kind: 'chunk-written', fileId }),
      close: (entries) => thread.send({ kind: 'close', fileId, entries }),
      abort: () => {
        thread.send({ kind: 'abort', fileId });
        thread.detach(fileId);
      },
    };
  }

  /** How many files each started thread is encoding. */
  filesPerThread(): number[] {
    return this.threads.map((thread) => thread.files.size);
  }

  /** WebAssembly memory of every thread, as last reported. */
  wasmBytes(): number {
    return this.threads.reduce((sum, thread) => sum + thread.wasmBytes, 0);
  }

  /**
   * Whether files can be encoded: the pool is not shut down and no thread has failed since the last
   * file one wrote (threads that cannot start at all, or crash on every file, keep it unready).
   */
  readiness(): { ok: true } | { ok: false; reason: string } {
    if (this.terminated) return { ok: false, reason: 'the encoder threads are shut down' };
    if (this.failure) return { ok: false, reason: this.failure.message };
    return { ok: true };
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  private leastBusy(): EncoderThread {
    const idle = this.threads.find((thread) => thread.files.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.started();
    return this.threads.reduce((best, thread) => (thread.files.size < best.files.size ? thread : best));
  }

  private started(): EncoderThread {
    this.terminated = false;
    const thread = new EncoderThread(
      (gone, error) => {
        const index = this.threads.indexOf(gone);
        if (index >= 0) this.threads.splice(index, 1);
        if (!this.terminated) this.failure = error;
      },
      () => {
        this.failure = null;
      },
    );
    this.threads.push(thread);
    return thread;
  }
}
