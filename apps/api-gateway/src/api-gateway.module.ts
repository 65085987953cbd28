import { DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { awsClientsProvider } from '@snapex/aws';
import { ActionInterceptor } from './api/action';
import { ExportRestores } from './api/export-restores';
import { ExportTasksController } from './api/export-tasks.controller';
import { HealthController } from './api/health.controller';
import { RegistryClient } from './api/registry.client';
import { SnapshotsController } from './api/snapshots.controller';
import { FaultFilter } from './http/fault.filter';
import { HttpPipelineModule } from './http/http-pipeline.module';
import { RequestAuthenticator } from './http/request-authenticator';
import { OpenApiController } from './openapi/openapi.controller';
import { QueryActions } from './query/query-actions';
import { QueryController } from './query/query.controller';

export const API_GATEWAY = 'api-gateway';

export interface ApiGatewayOptions {
  serviceName?: string;
}

export function apiGatewayModule(
  config: SnapexConfig,
  logger: Logger,
  options: ApiGatewayOptions = {},
): DynamicModule {
  return ServiceModule.create({
    config,
    logger,
    bus: { service: options.serviceName ?? API_GATEWAY, consumes: [], serves: [] },
    failureStage: null,
    imports: [
      HttpPipelineModule.register({
        logger,
        authenticator: RequestAuthenticator.fromConfig(config),
        maxBodyBytes: config.gateway.maxBodyBytes,
      }),
    ],
    controllers: [
      ExportTasksController,
      SnapshotsController,
      QueryController,
      HealthController,
      OpenApiController,
    ],
    providers: [
      { provide: APP_FILTER, useClass: FaultFilter },
      { provide: APP_INTERCEPTOR, useClass: ActionInterceptor },
      RegistryClient,
      QueryActions,
      awsClientsProvider(config),
      ExportRestores,
    ],
  });
}
