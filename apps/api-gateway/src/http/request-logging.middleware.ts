import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { GatewayRequest, pathOf, protocolOf, urlOf } from './request-context';

export const REQUEST_ID_HEADER = 'x-amzn-requestid';

/** Gives every request an id (echoed in a header and in error bodies) and logs it once it is answered. */
@Injectable()
export class RequestLoggingMiddleware implements NestMiddleware {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  use(request: GatewayRequest, response: ServerResponse, next: () => void): void {
    const context = {
      requestId: randomUUID(),
      startedAt: process.hrtime.bigint(),
      protocol: protocolOf(urlOf(request)),
    };
    request.context = context;
    response.setHeader(REQUEST_ID_HEADER, context.requestId);
    response.on('finish', () => {
      this.logger.info(
        {
          requestId: context.requestId,
          account: request.context?.accountId,
          accessKeyId: request.context?.accessKeyId,
          protocol: context.protocol,
          action: request.context?.action ?? `${request.method} ${pathOf(urlOf(request))}`,
          status: response.statusCode,
          durationMs: Number(process.hrtime.bigint() - context.startedAt) / 1e6,
        },
        'request',
      );
    });
    next();
  }
}
