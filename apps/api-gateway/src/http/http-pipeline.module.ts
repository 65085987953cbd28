import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthenticationMiddleware } from './authentication.middleware';
import { JsonBodyMiddleware, MAX_BODY_BYTES } from './json-body.middleware';
import { RequestLoggingMiddleware } from './request-logging.middleware';

export interface HttpPipelineOptions {
  logger: Logger;
  authenticator: ApiKeyAuthenticator;
  maxBodyBytes: number;
}

/** Order matters: every request is logged, then authenticated, and only then is its body read. */
@Module({})
export class HttpPipelineModule implements NestModule {
  static register(options: HttpPipelineOptions): DynamicModule {
    return {
      module: HttpPipelineModule,
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: ApiKeyAuthenticator, useValue: options.authenticator },
        { provide: MAX_BODY_BYTES, useValue: options.maxBodyBytes },
        RequestLoggingMiddleware,
        AuthenticationMiddleware,
        JsonBodyMiddleware,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggingMiddleware).forRoutes('*');
    consumer
      .apply(AuthenticationMiddleware, JsonBodyMiddleware)
      .exclude({ path: 'healthz', method: RequestMethod.GET })
      .forRoutes('*');
  }
}
