/** What a stalled partition was waiting for: the next rows, or the bucket taking the ones it has. */
export type StalledOn = 'database' | 'storage';

/** The partition made no progress for the whole stall timeout; another attempt may get through. */
export class PartitionStalledError extends Error {
  constructor(
    readonly stalledOn: StalledOn,
    readonly seconds: number,
  ) {
    super(`no progress for ${seconds} s while waiting for the ${stalledOn}`);
    this.name = 'PartitionStalledError';
  }
}

/**
 * Watches one partition: rows read and parts uploaded are progress. After `timeoutMs` without any,
 * it aborts its signal (the uploads listen to it) and every guarded wait fails with
 * PartitionStalledError, even a read whose driver never returns.
 */
export class StallWatchdog {
  private readonly controller = new AbortController();
  private readonly stalled: Promise<never>;
  private lastProgressAt = Date.now();
  private waitingOn: StalledOn = 'database';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    this.stalled = new Promise<never>((_resolve, reject) =>
      this.controller.signal.addEventListener('abort', () => reject(this.controller.signal.reason as Error)),
    );
    this.stalled.catch(() => undefined);
    this.timer = setInterval(() => this.check(), Math.min(1000, timeoutMs / 4));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  progressed(): void {
    this.lastProgressAt = Date.now();
  }

  /** The work's result, or PartitionStalledError naming what was awaited once the partition stalls. */
  guard<T>(on: StalledOn, work: Promise<T>): Promise<T> {
    this.waitingOn = on;
    return Promise.race([work, this.stalled]);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    if (Date.now() - this.lastProgressAt < this.timeoutMs) return;
    this.stop();
    this.controller.abort(new PartitionStalledError(this.waitingOn, Math.round(this.timeoutMs / 1000)));
  }
}
