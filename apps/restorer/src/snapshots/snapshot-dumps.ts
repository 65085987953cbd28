import { Provider } from '@nestjs/common';
import { snapshotStoreProvider } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { SnapshotRequested } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { SnapshotDumpHandler } from './snapshot-dump.handler';
import { TakeSnapshotUseCase } from './take-snapshot.use-case';

/** The restorer's part in taking snapshots: the work item it takes and what handles it. */
export const SnapshotDumps = {
  events: [SnapshotRequested],
  providers(config: SnapexConfig, logger: Logger): Provider[] {
    return [snapshotStoreProvider(config, logger), TakeSnapshotUseCase, SnapshotDumpHandler];
  },
};
