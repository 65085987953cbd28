import { NulledValueCount, NulledValueReason } from '@snapex/contracts';

/**
 * Values the source holds that an export writes as NULL, counted by column and reason as a partition
 * is read, so the export can say how many it could not keep instead of dropping them silently.
 */
export class NulledValues {
  private readonly counts = new Map<string, NulledValueCount>();

  add(column: string, reason: NulledValueReason): void {
    const key = JSON.stringify([column, reason]);
    const counted = this.counts.get(key);
    if (counted) counted.count++;
    else this.counts.set(key, { column, reason, count: 1 });
  }

  /** Each column and reason once, in the order first seen. */
  list(): NulledValueCount[] {
    return [...this.counts.values()].map((counted) => ({ ...counted }));
  }
}
