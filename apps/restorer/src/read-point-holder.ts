import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import { PinnedReadPoint } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER } from '@snapex/service';

/**
 * Keeps each export's consistent read points open for as long as extractors may need them: until
 * the task ends or is canceled, or, should that news never come, for at most maxSnapshotHoldSeconds.
 */
@Injectable()
export class ReadPointHolder implements OnApplicationShutdown {
  private readonly held = new Map<string, { points: PinnedReadPoint[]; timer: NodeJS.Timeout }>();

  constructor(
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  hold(taskId: string, point: PinnedReadPoint): void {
    const entry = this.held.get(taskId);
    if (entry) {
      entry.points.push(point);
      return;
    }
    const timer = setTimeout(() => {
      this.logger.warn({ taskId }, 'releasing read points held past maxSnapshotHoldSeconds');
      void this.release(taskId);
    }, this.config.restorer.maxSnapshotHoldSeconds * 1000);
    timer.unref();
    this.held.set(taskId, { points: [point], timer });
  }

  async release(taskId: string): Promise<void> {
    const entry = this.held.get(taskId);
    if (!entry) return;
    this.held.delete(taskId);
    clearTimeout(entry.timer);
    await Promise.allSettled(entry.points.map((point) => point.release()));
    this.logger.info({ taskId, readPoints: entry.points.length }, 'released read points');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.held.keys()].map((taskId) => this.release(taskId)));
  }
}
