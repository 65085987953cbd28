import { Provider } from '@nestjs/common';
import { snapshotStoreProvider } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { AutomatedSnapshotScheduler } from './automated-snapshot-scheduler';
import { CreateSnapshotUseCase } from './create-snapshot.use-case';
import { DeleteSnapshotUseCase } from './delete-snapshot.use-case';
import { DescribeSnapshotsUseCase } from './describe-snapshots.use-case';
import { RegisterSnapshotUseCase } from './register-snapshot.use-case';
import { SNAPSHOT_EVENTS, SnapshotEventsHandler } from './snapshot-events';
import { SnapshotExportSource } from './snapshot-export-source';
import { SNAPSHOT_RPCS, SnapshotRpcHandler } from './snapshot-rpc.handler';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotSweeper } from './snapshot-sweeper';

/** The snapshot catalogue's part of task-registry: what it serves, consumes and is made of. */
export const SnapshotCatalogue = {
  rpcs: SNAPSHOT_RPCS,
  events: SNAPSHOT_EVENTS,
  providers(config: SnapexConfig, logger: Logger): Provider[] {
    return [
      snapshotStoreProvider(config, logger),
      SnapshotRepository,
      SnapshotExportSource,
      SnapshotSweeper,
      CreateSnapshotUseCase,
      RegisterSnapshotUseCase,
      DescribeSnapshotsUseCase,
      DeleteSnapshotUseCase,
      AutomatedSnapshotScheduler,
      SnapshotEventsHandler,
      SnapshotRpcHandler,
    ];
  },
};
