import { DynamicModule } from '@nestjs/common';
import { awsClientsProvider } from '@snapex/aws';
import { ConfigError, extractorMemoryPlan, SnapexConfig } from '@snapex/config';
import { CancelRequested, PartitionRequested, TaskFailed } from '@snapex/contracts';
import { engineFor } from '@snapex/engines';
import { Logger } from '@snapex/logging';
import { EncoderThreads, parquetWasmEncoder, partEncoderNamed, ParquetWasmTuning } from '@snapex/parquet';
import { ServiceModule, StoppedTasks } from '@snapex/service';
import { ExportPartition } from './export-partition.use-case';
import { S3PartStorage } from './part-upload';
import { TableExtractorHandlers } from './table-extractor.handlers';
import { ExtractorOperations } from './extractor-operations';
import { ENCODER_THREADS, ENGINES, PART_ENCODER, PART_STORAGE } from './tokens';

/** The encoder's share of extractor.memoryLimitBytes (the configuration was refused if it has none). */
function encoderTuning(config: SnapexConfig): ParquetWasmTuning {
  const memory = extractorMemoryPlan(config.extractor);
  if ('problem' in memory) throw new ConfigError(`config: extractor.memoryLimitBytes: ${memory.problem}`);
  const { encoderThreads, maxRowGroupBytes, maxBatchBytes, maxBytesInFlight } = memory.plan;
  return {
    threads: encoderThreads,
    maxRowGroupBytes,
    maxBatchBytes,
    maxBytesInFlight,
    gzipLevel: config.extractor.gzipLevel,
    zstdLevel: config.extractor.zstdLevel,
    pages: config.extractor.pageWriter,
  };
}

export const TableExtractorModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    const tuning = encoderTuning(config);
    // parquet-wasm's threads are the extractor's own, so that its readiness can ask them.
    const threads = config.extractor.encoder === 'parquet-wasm' ? new EncoderThreads(tuning.threads) : null;
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
        { provide: ENCODER_THREADS, useValue: threads },
        {
          provide: PART_ENCODER,
          useValue: threads
            ? parquetWasmEncoder(threads, tuning)
            : partEncoderNamed(config.extractor.encoder, tuning),
        },
        { provide: PART_STORAGE, useClass: S3PartStorage },
        ExportPartition,
        TableExtractorHandlers,
        ExtractorOperations,
      ],
    });
  },
};
