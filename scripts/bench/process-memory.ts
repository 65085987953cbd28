import { readFileSync } from 'node:fs';

/** A process's peak resident set (VmHWM) in MiB, or null once it has exited. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Polls a short-lived process's peak RSS, since /proc forgets it the moment the process exits. */
export class PeakRssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number | undefined,
    intervalMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return this.peak;
  }

  private sample(): void {
    this.peak = Math.max(this.peak, peakRssMiB(this.pid) ?? 0);
  }
}
