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

/** The process's peak resident memory so far, as the kernel counts it. */
export function peakResidentBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
