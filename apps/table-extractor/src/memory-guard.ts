import { readFileSync } from 'node:fs';
import { FullCollections } from '@snapex/parquet';

/** Resident memory above this share of the limit starts a full collection. */
const COLLECT_ABOVE = 0.8;
const MIN_COLLECTION_INTERVAL_MS = 250;

/**
 * Keeps the process under extractor.memoryLimitBytes where V8 alone would not: it grows its heap and
 * lets dropped buffers pile up long before collecting them. Checked after every batch, so the
 * headroom above COLLECT_ABOVE is what one batch of every partition in flight may add.
 */
export class MemoryGuard {
  private readonly collections = new FullCollections(MIN_COLLECTION_INTERVAL_MS);

  constructor(
    private readonly limitBytes: number,
    private readonly residentBytes: () => number = () => process.memoryUsage.rss(),
  ) {}

  check(): void {
    if (this.residentBytes() > this.limitBytes * COLLECT_ABOVE) this.collections.run();
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
