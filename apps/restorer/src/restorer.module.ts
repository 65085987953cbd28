import { DynamicModule } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import {
  CancelRequested,
  CredentialsValidated,
  TaskCanceled,
  TaskCompleted,
  TaskFailed,
} from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { ServiceModule, StoppedTasks } from '@snapex/service';
import { PlanExport } from './plan-export.use-case';
import { ReadPointHolder } from './read-point-holder';
import { RestorerHandlers } from './restorer.handlers';
import { SnapshotDumps } from './snapshots/snapshot-dumps';

export const RestorerModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    return ServiceModule.create({
      config,
      logger,
      failureStage: 'PLANNING',
      bus: {
        service: 'restorer',
        consumes: [CredentialsValidated, ...SnapshotDumps.events],
        listens: [CancelRequested, TaskFailed, TaskCompleted, TaskCanceled],
        tuning: { concurrency: 2 },
      },
      providers: [
        { provide: StoppedTasks, useValue: new StoppedTasks() },
        ReadPointHolder,
        PlanExport,
        RestorerHandlers,
        ...SnapshotDumps.providers(config, logger),
      ],
    });
  },
};
