import { DynamicModule, Inject, Injectable } from '@nestjs/common';
import { awsClientsProvider } from '@snapex/aws';
import { OnEvent } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import { EventPayload, ExtractionCompleted } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { GlueCatalog } from './glue-catalog';
import { MetadataRepository } from './metadata.repository';
import { WriteExportMetadata } from './write-export-metadata.use-case';

@Injectable()
export class ExtractionCompletedHandler {
  constructor(@Inject(WriteExportMetadata) private readonly writeMetadata: WriteExportMetadata) {}

  @OnEvent(ExtractionCompleted)
  async handle(event: EventPayload<typeof ExtractionCompleted>): Promise<void> {
    await this.writeMetadata.execute(event.spec);
  }
}

export const MetadataWriterModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    return ServiceModule.create({
      config,
      logger,
      failureStage: 'METADATA',
      bus: { service: 'metadata-writer', consumes: [ExtractionCompleted], tuning: { concurrency: 2 } },
      providers: [
        awsClientsProvider(config),
        MetadataRepository,
        GlueCatalog,
        WriteExportMetadata,
        ExtractionCompletedHandler,
      ],
    });
  },
};
