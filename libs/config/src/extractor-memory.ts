const MiB = 1024 * 1024;

/**
 * Measured on Node 24 (linux x64) while a partition is exported: the extractor's own resident memory
 * (binary, NestJS, the AWS SDK, pg, nats, prom-client, its live heap and the garbage between two
 * collections, whose young generation V8 13 lets grow to twice Node 20's); idle it holds ~125 MiB.
 * With 120 MiB (the Node 20 figure) an extractor bounded to 256 MiB peaked at 299 MiB where the plan
 * counted 230.
 */
export const EXTRACTOR_PROCESS_BYTES = 190 * MiB;
/**
 * One encoder thread whatever its row groups: its V8 isolate (~18 MiB), parquet-wasm's compiled module
 * and first memory, zlib's and thrift's working memory. An extractor bounded to 256 MiB with one thread
 * peaked 40 MiB above what 24 MiB a thread predicted once pages were compressed in the thread.
 */
export const ENCODER_THREAD_BYTES = 64 * MiB;
/** The tail of each file kept to check its footer (parquet-wasm's FOOTER_TAIL_BYTES). */
const FOOTER_TAIL_BYTES = 2 * MiB;
/** Row groups smaller than this cost more in per-group overhead (footer, headers) than they save. */
export const MIN_ROW_GROUP_BYTES = 2 * MiB;
const MAX_ROW_GROUP_BYTES = 128 * MiB;
const MIN_BATCH_BYTES = 256 * 1024;
const MAX_BATCH_BYTES = 8 * MiB;

/**
 * What one open file adds per byte of row group R (Arrow bytes): measured with parquet-wasm 0.8.0 and
 * page-by-page gzip on ~2 KB text rows, one encoder thread, peak RSS grew by 12 MiB per MiB of R
 * (212 MiB at R = 3.6 MiB, 256 MiB at R = 7 MiB). The main thread may have sent two row groups the
 * thread has not encoded (2 R); the thread joins a row group's batches into one IPC stream (R), copies
 * it into WebAssembly memory (R), encodes it there uncompressed into pages and a file buffer that grows
 * by doubling (~3 R; WebAssembly memory never shrinks), copies the file out (R) and compresses it; then
 * come the chunk on its way to the upload, its copies into upload parts, and the garbage all of these
 * leave between two collections.
 */
const FILE_BYTES_PER_ROW_GROUP_BYTE = 12;
/** The share of the limit planned for; the rest absorbs what the measurements above did not see. */
const PLANNED_SHARE = 0.9;

export interface ExtractorMemorySettings {
  memoryLimitBytes: number;
  concurrency: number;
  encoderThreads: number;
  uploadPartBytes: number;
  uploadQueueSize: number;
}

export interface ExtractorMemoryPlan {
  /** Threads that can be busy at once: no more than the files open at once. */
  encoderThreads: number;
  maxRowGroupBytes: number;
  maxBatchBytes: number;
  /** Two row groups: the one being encoded and the next, being built meanwhile. */
  maxBytesInFlight: number;
  /** The process, its threads and the upload buffers, whatever the data. */
  fixedBytes: number;
}

export type ExtractorMemoryVerdict = { plan: ExtractorMemoryPlan } | { problem: string };

function mib(bytes: number): string {
  return `${Math.round((bytes / MiB) * 10) / 10} MiB`;
}

/**
 * Splits extractor.memoryLimitBytes between the fixed costs and the files being written. A file lives
 * in one thread and a new one goes to the thread with the fewest, so a thread holds at most
 * ceil(concurrency / threads) files at once; WebAssembly memory never shrinks, so each thread keeps
 * room for that many files for good.
 */
export function extractorMemoryPlan(settings: ExtractorMemorySettings): ExtractorMemoryVerdict {
  const threads = Math.min(settings.encoderThreads, settings.concurrency);
  const fileSlots = threads * Math.ceil(settings.concurrency / threads);
  // lib-storage sends uploadQueueSize parts at once while it cuts the next out of a concatenation of
  // the chunks that arrived, whose remainder keeps that concatenation alive: two more parts.
  const uploadBytes = settings.concurrency * (settings.uploadQueueSize + 2) * settings.uploadPartBytes;
  const fixedBytes = EXTRACTOR_PROCESS_BYTES + threads * ENCODER_THREAD_BYTES + uploadBytes;
  const perFile = (settings.memoryLimitBytes * PLANNED_SHARE - fixedBytes) / fileSlots - FOOTER_TAIL_BYTES;
  const rowGroupBytes = Math.floor(perFile / FILE_BYTES_PER_ROW_GROUP_BYTE);
  if (rowGroupBytes < MIN_ROW_GROUP_BYTES) {
    const planned =
      fixedBytes + fileSlots * (MIN_ROW_GROUP_BYTES * FILE_BYTES_PER_ROW_GROUP_BYTE + FOOTER_TAIL_BYTES);
    const needed = planned / PLANNED_SHARE;
    return {
      problem:
        `${mib(settings.memoryLimitBytes)} cannot hold the extractor: the process ${mib(EXTRACTOR_PROCESS_BYTES)}` +
        ` + ${threads} encoder thread(s) × ${mib(ENCODER_THREAD_BYTES)}` +
        ` + uploads ${settings.concurrency} × (uploadQueueSize ${settings.uploadQueueSize} + 2) × uploadPartBytes ${mib(settings.uploadPartBytes)}` +
        ` + ${fileSlots} file(s) × ${mib(MIN_ROW_GROUP_BYTES * FILE_BYTES_PER_ROW_GROUP_BYTE + FOOTER_TAIL_BYTES)}` +
        ` need at least ${mib(needed)} (planning for ${PLANNED_SHARE * 100}% of it); raise it, or lower extractor.concurrency, encoderThreads,` +
        ` uploadQueueSize or uploadPartBytes`,
    };
  }
  const maxRowGroupBytes = Math.min(MAX_ROW_GROUP_BYTES, rowGroupBytes);
  return {
    plan: {
      encoderThreads: threads,
      maxRowGroupBytes,
      maxBatchBytes: Math.max(MIN_BATCH_BYTES, Math.min(MAX_BATCH_BYTES, Math.floor(maxRowGroupBytes / 4))),
      maxBytesInFlight: 2 * maxRowGroupBytes,
      fixedBytes,
    },
  };
}
