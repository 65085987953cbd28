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
  private lastProgressAt = Date.now();
  private waitingOn: StalledOn = 'database';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
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
    const { signal } = this.controller;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    // Not Promise.race against one long-lived promise: every race would stay attached to it, and
    // with it every batch read, until the partition ends.
    return new Promise<T>((resolve, reject) => {
      const onStall = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onStall, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onStall);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onStall);
          reject(error as Error);
        },
      );
    });
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
