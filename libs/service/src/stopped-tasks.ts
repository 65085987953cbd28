import { Injectable } from '@nestjs/common';

/**
 * Tasks this process has heard are canceling or over, so loops can stop at their next step.
 * Bounded: the oldest ids are forgotten first (a restarted process asks task-registry instead).
 */
@Injectable()
export class StoppedTasks {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  add(taskId: string): void {
    this.ids.delete(taskId);
    this.ids.add(taskId);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
  }

  has(taskId: string): boolean {
    return this.ids.has(taskId);
  }
}
