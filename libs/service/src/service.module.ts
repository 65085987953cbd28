import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { BusModule, BusOptions, FailureStage } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { HealthChecks } from '@snapex/telemetry';
import { ServiceOperations } from './service-health';
import { CONFIG, LOGGER } from './tokens';

export interface ServiceModuleOptions {
  config: SnapexConfig;
  logger: Logger;
  bus: Omit<BusOptions, 'nats' | 'streamReplicas' | 'rpcTimeoutMs'>;
  /** Stage reported in TaskFailed when this service gives up on a task's message; null for none. */
  failureStage: FailureStage | null;
  providers: Provider[];
  controllers?: Type[];
  imports?: DynamicModule[];
}

/**
 * Root module every service uses: configuration, logger, the bus and its health, plus the service's
 * own parts (which add their readiness checks to HealthChecks).
 */
@Module({})
export class ServiceModule {
  static create(options: ServiceModuleOptions): DynamicModule {
    const { config, logger } = options;
    return {
      module: ServiceModule,
      imports: [
        BusModule.forService(
          {
            ...options.bus,
            nats: config.nats,
            streamReplicas: config.nats.streamReplicas,
            rpcTimeoutMs: config.nats.rpcTimeoutMs,
            tuning: {
              ackWaitSeconds: config.nats.ackWaitSeconds,
              maxDeliver: config.nats.maxDeliver,
              ...options.bus.tuning,
            },
          },
          logger,
          options.failureStage,
        ),
        ...(options.imports ?? []),
      ],
      controllers: options.controllers ?? [],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        HealthChecks,
        ServiceOperations,
        ...options.providers,
      ],
    };
  }
}
