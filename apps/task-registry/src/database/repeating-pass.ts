/**
 * A pass of background work run on a timer and on demand, never two at once: a kick while a pass runs
 * asks for one more pass after it, so work that arrived meanwhile is not left for the next tick.
 */
export class RepeatingPass {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private runAgain = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Starts a pass, or asks the pass in flight to go round once more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.runAgain) {
        this.runAgain = false;
        this.kick();
      }
    });
  }
}
