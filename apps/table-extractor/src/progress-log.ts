import { Logger } from '@snapex/logging';
import type { PartStats } from '@snapex/parquet';

/** Logs how far a long partition has got, at most once per interval. */
export class ProgressLog {
  private lastReportAt: number;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastReportAt = now();
  }

  report(progress: PartStats): void {
    const at = this.now();
    if (at - this.lastReportAt < this.intervalMs) return;
    this.lastReportAt = at;
    this.log.info({ rows: progress.rows, bytes: progress.bytes }, 'partition in progress');
  }
}
