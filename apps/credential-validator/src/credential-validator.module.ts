import { DynamicModule } from '@nestjs/common';
import { awsClientsProvider } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { TaskStarted } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { AccessProbeRepository } from './access-probe.repository';
import { TaskStartedHandler } from './task-started.handler';
import { ValidateExportAccess } from './validate-export-access.use-case';

export const CredentialValidatorModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    return ServiceModule.create({
      config,
      logger,
      failureStage: 'VALIDATION',
      bus: { service: 'credential-validator', consumes: [TaskStarted], tuning: { concurrency: 4 } },
      providers: [
        awsClientsProvider(config),
        AccessProbeRepository,
        ValidateExportAccess,
        TaskStartedHandler,
      ],
    });
  },
};
