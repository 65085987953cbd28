import { SnapshotStore } from '@snapex/aws';
import { Fault } from '@snapex/contracts';

export function requireStore(store: SnapshotStore | null): SnapshotStore {
  if (!store) {
    throw new Fault(
      'ServiceUnavailable',
      'Snapshots are not available: this deployment has no snapshot store (snapshotStore) configured.',
    );
  }
  return store;
}
