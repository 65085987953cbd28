import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

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

/** Background work of a service: a RepeatingPass started with the service and stopped before it ends. */
export abstract class RepeatingWork implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly passes: RepeatingPass;

  protected constructor(intervalMs: number) {
    this.passes = new RepeatingPass(() => this.pass(), intervalMs);
  }

  protected abstract pass(): Promise<void>;

  onApplicationBootstrap(): void {
    this.passes.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.passes.stop();
  }

  /** Starts a pass now, or asks the pass in flight to go round once more. */
  kick(): void {
    this.passes.kick();
  }
}
