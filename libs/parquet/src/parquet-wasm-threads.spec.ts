import { PassThrough, Writable } from 'node:stream';
import { EncoderThreadError, EncoderThreads } from './encoder-threads';
import {
  FOOTER_PROBE_BYTES,
  footerLength,
  footerRowCount,
  ParquetFooterError,
  readFooter,
  TailBytes,
} from './parquet-footer';
import { DEFAULT_PARQUET_WASM_TUNING, parquetWasmEncoder } from './parquet-wasm-part-encoder';
import { PartColumn, PartRow } from './part-encoder';

const COLUMNS: PartColumn[] = [
  { name: 'id', parquetType: 'INT64' },
  { name: 'label', parquetType: 'STRING' },
];

function rows(count: number, from = 0): PartRow[] {
  return Array.from({ length: count }, (_, index) => [BigInt(from + index), `row ${from + index}`]);
}

/** Collects what is written, like a local file would. */
class Collected extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

describe('parquet-wasm on encoder threads', () => {
  let threads: EncoderThreads;

  beforeEach(() => {
    threads = new EncoderThreads(2);
  });

  afterEach(async () => {
    await threads.terminate();
  });

  it('gives concurrent files to different threads', async () => {
    const open = parquetWasmEncoder(threads, { ...DEFAULT_PARQUET_WASM_TUNING, threads: 2 });
    const first = await open(COLUMNS, new Collected(), { rowGroupRows: 100 });
    const second = await open(COLUMNS, new Collected(), { rowGroupRows: 100 });
    await Promise.all([first.write(rows(10)), second.write(rows(10))]);
    expect(threads.filesPerThread()).toEqual([1, 1]);
    await Promise.all([first.close(), second.close()]);
    expect(threads.filesPerThread()).toEqual([0, 0]);
  });

  it('cuts the rows of one write into batches of about maxBatchBytes and keeps them in order', async () => {
    const output = new Collected();
    const open = parquetWasmEncoder(threads, { ...DEFAULT_PARQUET_WASM_TUNING, maxBatchBytes: 4096 });
    const encoder = await open(COLUMNS, output, { rowGroupRows: 1_000_000 });
    await encoder.write(rows(5_000));
    await encoder.write(rows(5_000, 5_000));
    expect(await encoder.close()).toEqual({ rows: 10_000, bytes: output.bytes().length });
    expect(footerRowCount(output.bytes())).toBe(10_000);
  });

  it('fails the files of a thread that dies, with a clear error, instead of waiting forever', async () => {
    const open = parquetWasmEncoder(threads);
    const encoder = await open(COLUMNS, new PassThrough(), { rowGroupRows: 100 });
    await encoder.write(rows(10));
    await threads.terminate();
    await expect(encoder.close()).rejects.toBeInstanceOf(EncoderThreadError);
    await expect(encoder.write(rows(1))).rejects.toThrow('the Parquet encoder thread exited');
  });

  it('starts a new thread for files opened after one died', async () => {
    const open = parquetWasmEncoder(threads);
    await open(COLUMNS, new PassThrough(), { rowGroupRows: 100 });
    await threads.terminate();
    const output = new Collected();
    const encoder = await open(COLUMNS, output, { rowGroupRows: 100 });
    await encoder.write(rows(3));
    await encoder.close();
    expect(footerRowCount(output.bytes())).toBe(3);
  });

  it('is unready after a thread died, until a file is written again', async () => {
    const open = parquetWasmEncoder(threads);
    expect(threads.readiness()).toEqual({ ok: true });
    await open(COLUMNS, new PassThrough(), { rowGroupRows: 100 });
    // A thread ending on its own, not through the pool: what a crash looks like from here.
    const [thread] = (threads as unknown as { threads: { terminate(): Promise<void> }[] }).threads;
    await thread.terminate();
    expect(threads.readiness()).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the Parquet encoder thread exited with code \d+$/),
    });
    const encoder = await open(COLUMNS, new Collected(), { rowGroupRows: 100 });
    await encoder.write(rows(3));
    await encoder.close();
    expect(threads.readiness()).toEqual({ ok: true });
  });

  it('is unready once shut down', async () => {
    await threads.terminate();
    expect(threads.readiness()).toEqual({ ok: false, reason: 'the encoder threads are shut down' });
  });
});

describe('the Parquet footer', () => {
  let file: Buffer;

  beforeAll(async () => {
    const threads = new EncoderThreads(1);
    const output = new Collected();
    const encoder = await parquetWasmEncoder(threads)(COLUMNS, output, { rowGroupRows: 7 });
    await encoder.write(rows(50));
    await encoder.close();
    await threads.terminate();
    file = output.bytes();
  });

  it('gives the row count the writer declared', () => {
    expect(footerRowCount(file)).toBe(50);
  });

  it('is read from the tail kept of the bytes that went by, whatever their chunks', () => {
    const tail = new TailBytes(footerLength(file) + 8);
    for (let start = 0; start < file.length; start += 13) tail.push(file.subarray(start, start + 13));
    const kept = Buffer.from(tail.bytes());
    expect(kept.length).toBeLessThan(footerLength(file) + 8 + 13);
    expect(kept.subarray(kept.length - footerLength(file) - 8)).toEqual(
      file.subarray(file.length - footerLength(file) - 8),
    );
    expect(footerRowCount(tail.bytes())).toBe(50);
    // A footer longer than the capacity arrives in one chunk, which is kept whole.
    const small = new TailBytes(16);
    small.push(file.subarray(0, 100));
    small.push(file.subarray(100));
    expect(Buffer.from(small.bytes())).toEqual(file.subarray(100));
    expect(footerRowCount(small.bytes())).toBe(50);
  });

  it('refuses a file that does not end with a footer, or whose footer was not kept whole', () => {
    expect(() => footerRowCount(file.subarray(0, file.length - 1))).toThrow(ParquetFooterError);
    expect(() => footerRowCount(file.subarray(file.length - 20))).toThrow(/more than the 12 kept/);
    const damaged = Buffer.from(file);
    damaged.fill(0xff, damaged.length - 8 - footerLength(file), damaged.length - 8);
    expect(() => footerRowCount(damaged)).toThrow(ParquetFooterError);
  });

  it('is read from the end of a stored file: one read, or two when it is longer than the first', async () => {
    const long = new Collected();
    const threads = new EncoderThreads(1);
    const encoder = await parquetWasmEncoder(threads)(COLUMNS, long, { rowGroupRows: 7 });
    await encoder.write(rows(20));
    await encoder.close({ 'snapex.test.long': 'x'.repeat(FOOTER_PROBE_BYTES) });
    await threads.terminate();
    for (const [stored, expectedReads, expectedRows] of [
      [file, [FOOTER_PROBE_BYTES], 50],
      [long.bytes(), [FOOTER_PROBE_BYTES, footerLength(long.bytes()) + 8], 20],
    ] as const) {
      const reads: number[] = [];
      const footer = await readFooter(async (bytes) => {
        reads.push(bytes);
        return stored.subarray(Math.max(0, stored.length - bytes));
      });
      expect(reads).toEqual(expectedReads);
      expect(footer.rows).toBe(expectedRows);
    }
    await expect(readFooter(async () => file.subarray(0, 12))).rejects.toBeInstanceOf(ParquetFooterError);
  });
});
