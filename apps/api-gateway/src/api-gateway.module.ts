import { DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { awsClientsProvider } from '@snapex/aws';
import { ActionInterceptor } from './api/action';
import { ClustersController } from './api/clusters.controller';
import { EventsController } from './api/events.controller';
import { ExportRestores } from './api/export-restores';
import { ExportTasksController } from './api/export-tasks.controller';
import { HealthController } from './api/health.controller';
import { RegistryClient } from './api/registry.client';
import { SnapshotsController } from './api/snapshots.controller';
import { ConsoleBundle } from './console/console-bundle';
import { ConsoleController } from './console/console.controller';
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
  const consoleBundle = ConsoleBundle.load();
  if (!consoleBundle.built) {
    logger.warn({ directory: consoleBundle.directory }, 'the console is not built: /console answers 404');
  }
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
      ClustersController,
      EventsController,
      QueryController,
      HealthController,
      OpenApiController,
      ConsoleController,
    ],
    providers: [
      { provide: APP_FILTER, useClass: FaultFilter },
      { provide: APP_INTERCEPTOR, useClass: ActionInterceptor },
      RegistryClient,
      QueryActions,
      { provide: ConsoleBundle, useValue: consoleBundle },
      awsClientsProvider(config),
      ExportRestores,
    ],
  });
}
