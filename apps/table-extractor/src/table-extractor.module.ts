import { DynamicModule } from '@nestjs/common';
import { awsClientsProvider } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { CancelRequested, PartitionRequested, TaskFailed } from '@snapex/contracts';
import { engineFor } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { partEncoderNamed } from '@snapex/parquet';
import { ServiceModule, StoppedTasks } from '@snapex/service';
import { ExportPartition } from './export-partition.use-case';
import { S3PartStorage } from './part-upload';
import { TableExtractorHandlers } from './table-extractor.handlers';
import { ENGINES, PART_ENCODER, PART_STORAGE } from './tokens';

export const TableExtractorModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    return ServiceModule.create({
      config,
      logger,
      failureStage: 'EXTRACTION',
      bus: {
        service: 'table-extractor',
        consumes: [PartitionRequested],
        listens: [CancelRequested, TaskFailed],
        tuning: {
          perSubject: { [PartitionRequested.subject]: { concurrency: config.extractor.concurrency } },
        },
      },
      providers: [
        awsClientsProvider(config),
        { provide: StoppedTasks, useValue: new StoppedTasks() },
        { provide: ENGINES, useValue: engineFor },
        { provide: PART_ENCODER, useValue: partEncoderNamed(config.extractor.encoder) },
        { provide: PART_STORAGE, useClass: S3PartStorage },
        ExportPartition,
        TableExtractorHandlers,
      ],
    });
  },
};
