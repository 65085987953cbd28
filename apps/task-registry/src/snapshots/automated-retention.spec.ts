import { SnapshotStatus } from '@snapex/contracts';
import { automatedSnapshotDue, expiredAutomatedSnapshots } from './automated-retention';

const snapshot = (snapshotId: string, status: SnapshotStatus) => ({ snapshotId, status });

describe('automated snapshot retention', () => {
  it('deletes what lies beyond the newest ones kept', () => {
    const newestFirst = [
      snapshot('5', 'creating'),
      snapshot('4', 'available'),
      snapshot('3', 'deleting'),
      snapshot('2', 'failed'),
      snapshot('1', 'available'),
    ];
    expect(expiredAutomatedSnapshots(newestFirst, 2).map((s) => s.snapshotId)).toEqual(['2', '1']);
    expect(expiredAutomatedSnapshots(newestFirst, 4)).toEqual([]);
  });

  it('never deletes a snapshot still being created', () => {
    const newestFirst = [snapshot('2', 'available'), snapshot('1', 'creating')];
    expect(expiredAutomatedSnapshots(newestFirst, 1)).toEqual([]);
  });

  it('takes a snapshot when none exists or the interval has passed', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(automatedSnapshotDue(undefined, 60_000, now)).toBe(true);
    expect(automatedSnapshotDue({ requestedAt: new Date('2026-11-30T11:59:30Z') }, 60_000, now)).toBe(false);
    expect(automatedSnapshotDue({ requestedAt: new Date('2026-11-30T11:59:00Z') }, 60_000, now)).toBe(true);
  });
});
