import { DynamicModule } from '@nestjs/common';
import { awsClientsProvider } from '@snapex/aws';
import { ScratchServerCatalogue, SnapexConfig } from '@snapex/config';
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
import { PlanRecording } from './plan-recording';
import { ReadPointHolder } from './read-point-holder';
import { ReadTargets } from './read-targets';
import { ScratchCopies } from './restore/scratch-copies';
import { ScratchDatabaseNames } from './restore/scratch-database-names';
import { SCRATCH_ENGINES, scratchEngines } from './restore/scratch-engines';
import { ScratchJanitor } from './restore/scratch-janitor';
import { S3SnapshotStore, SNAPSHOT_STORE } from './restore/snapshot-store';
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
        awsClientsProvider(config),
        { provide: SCRATCH_ENGINES, useValue: scratchEngines(config) },
        { provide: ScratchServerCatalogue, useValue: new ScratchServerCatalogue(config) },
        { provide: ScratchDatabaseNames, useValue: new ScratchDatabaseNames(config.scratch.databasePrefix) },
        { provide: SNAPSHOT_STORE, useClass: S3SnapshotStore },
        ReadPointHolder,
        ScratchCopies,
        ScratchJanitor,
        ReadTargets,
        PlanExport,
        PlanRecording,
        RestorerHandlers,
        ...SnapshotDumps.providers(config, logger),
      ],
    });
  },
};
