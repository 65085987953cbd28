import { SnapshotRecord } from './snapshot-record';

type Automated = Pick<SnapshotRecord, 'snapshotId' | 'status'>;

/**
 * The automated snapshots past the newest `retain` (newest first in, those to delete out). One still
 * being created counts towards the number kept but is never deleted itself; one already being deleted
 * counts for nothing.
 */
export function expiredAutomatedSnapshots<T extends Automated>(newestFirst: T[], retain: number): T[] {
  const live = newestFirst.filter((snapshot) => snapshot.status !== 'deleting');
  return live
    .slice(retain)
    .filter((snapshot) => snapshot.status === 'available' || snapshot.status === 'failed');
}

/** Whether a new automated snapshot is due: none yet, or the newest was asked for an interval ago. */
export function automatedSnapshotDue(
  newest: Pick<SnapshotRecord, 'requestedAt'> | undefined,
  intervalMs: number,
  now: Date,
): boolean {
  return !newest || now.getTime() - newest.requestedAt.getTime() >= intervalMs;
}
