import { Fault } from '@snapex/contracts';
import { AwsClients, SnapshotStore } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { Provider } from '@nestjs/common';

/** The snapshot store, or null where snapshotStore is not configured (snapshots are then refused). */
export const SNAPSHOT_STORE = Symbol('snapex:snapshot-store');

export function snapshotStoreProvider(config: SnapexConfig, logger: Logger): Provider {
  return {
    provide: SNAPSHOT_STORE,
    useValue: config.snapshotStore ? new SnapshotStore(config, new AwsClients(config, logger)) : null,
  };
}

export function requireStore(store: SnapshotStore | null): SnapshotStore {
  if (!store) {
    throw new Fault(
      'ServiceUnavailable',
      'Snapshots are not available: this deployment has no snapshot store (snapshotStore) configured.',
    );
  }
  return store;
}
