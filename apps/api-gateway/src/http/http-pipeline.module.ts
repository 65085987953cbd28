import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { AuthenticationMiddleware, MAX_BODY_BYTES } from './authentication.middleware';
import { RequestAuthenticator } from './request-authenticator';
import { RequestLoggingMiddleware } from './request-logging.middleware';

export interface HttpPipelineOptions {
  logger: Logger;
  authenticator: RequestAuthenticator;
  maxBodyBytes: number;
}

/** Routes anyone may read: liveness, the API's own description and the console's files. */
export const PUBLIC_ROUTES = [
  { path: 'healthz', method: RequestMethod.GET },
  { path: 'openapi.json', method: RequestMethod.GET },
  { path: 'console', method: RequestMethod.GET },
  { path: 'console/*path', method: RequestMethod.GET },
  { path: 'asyncapi.json', method: RequestMethod.GET },
];

/** Order matters: every request is logged, then its caller identified, and only then is its body read. */
@Module({})
export class HttpPipelineModule implements NestModule {
  static register(options: HttpPipelineOptions): DynamicModule {
    return {
      module: HttpPipelineModule,
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: RequestAuthenticator, useValue: options.authenticator },
        { provide: MAX_BODY_BYTES, useValue: options.maxBodyBytes },
        RequestLoggingMiddleware,
        AuthenticationMiddleware,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggingMiddleware).forRoutes('*');
    consumer
      .apply(AuthenticationMiddleware)
      .exclude(...PUBLIC_ROUTES)
      .forRoutes('*');
  }
}
