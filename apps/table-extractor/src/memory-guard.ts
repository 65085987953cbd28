import { readFileSync } from 'node:fs';
import { FullCollections } from '@snapex/parquet';

/** Resident memory above this share of the limit starts a full collection. */
const COLLECT_ABOVE = 0.8;
const MIN_COLLECTION_INTERVAL_MS = 250;
/** Below the mark, the resident memory is read again once batches of this share of the limit went by. */
const RECHECK_SHARE = 1 / 64;

/**
 * Keeps the process under extractor.memoryLimitBytes where V8 alone would not: it grows its heap and
 * lets dropped buffers pile up long before collecting them. Checked after batches: after every one
 * while above COLLECT_ABOVE, and below it once batches of 1/64 of the limit went by since the last
 * reading, so the headroom above COLLECT_ABOVE is what those bytes, and one batch of every partition
 * in flight, may add. Reading the resident size from /proc costs about 2 ms of CPU while an encoder
 * thread is busy: after every batch, that was a tenth of the extractor's CPU.
 */
export class MemoryGuard {
  private readonly collections = new FullCollections(MIN_COLLECTION_INTERVAL_MS);
  private readonly recheckBytes: number;
  private sinceReading = Number.POSITIVE_INFINITY;
  private high = false;

  constructor(
    private readonly limitBytes: number,
    private readonly residentBytes: () => number = () => process.memoryUsage.rss(),
  ) {
    this.recheckBytes = limitBytes * RECHECK_SHARE;
  }

  /** After a batch of `batchBytes` (Infinity when unknown) was written. */
  check(batchBytes: number): void {
    this.sinceReading += batchBytes;
    if (!this.high && this.sinceReading < this.recheckBytes) return;
    this.sinceReading = 0;
    this.high = this.residentBytes() > this.limitBytes * COLLECT_ABOVE;
    if (this.high) this.collections.run();
  }
}

/** The peak resident memory (VmHWM) a `/proc/<pid>/status` text gives, in bytes; null without one. */
export function peakResidentBytesIn(status: string): number | null {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * The process's peak resident memory so far, as the kernel counts it: VmHWM where /proc has it.
 * getrusage's maxRSS is not used there because Linux carries it over fork and exec, so a service
 * started by a large parent would report the parent's peak as its own.
 */
export function peakResidentBytes(
  status: () => string = () => readFileSync('/proc/self/status', 'utf8'),
): number {
  try {
    const peak = peakResidentBytesIn(status());
    if (peak !== null) return peak;
  } catch {
    // No /proc: not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}
