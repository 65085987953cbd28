import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Logger } from '@snapex/logging';
import { BUS_OPTIONS, BusOptions } from './bus.options';
import { BusRuntime } from './bus-runtime';
import { NatsConnectionHolder } from './nats-connection';
import { EventPublisher } from './publisher';
import { RpcClient } from './rpc-client';
import { BUS_LOGGER, FAILURE_STAGE, FailureStage } from './tokens';

@Module({})
export class BusModule {
  static forService(options: BusOptions, logger: Logger, failureStage: FailureStage | null): DynamicModule {
    return {
      module: BusModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: BUS_OPTIONS, useValue: options },
        { provide: BUS_LOGGER, useValue: logger },
        { provide: FAILURE_STAGE, useValue: failureStage },
        {
          provide: NatsConnectionHolder,
          useFactory: () => NatsConnectionHolder.open(options.nats, options.service),
        },
        EventPublisher,
        RpcClient,
        BusRuntime,
      ],
      exports: [EventPublisher, RpcClient, NatsConnectionHolder, BUS_OPTIONS],
    };
  }
}
