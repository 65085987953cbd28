import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { apiErrorOf, errorResponse } from './error-response';
import { contextOf, GatewayRequest } from './request-context';

/** The one place errors become responses, wherever they were thrown: middleware, guard or handler. */
@Catch()
export class FaultFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<GatewayRequest>();
    const response = http.getResponse<ServerResponse>();
    const requestId = contextOf(request)?.requestId ?? randomUUID();
    const error = apiErrorOf(exception, { method: request.method, path: pathOf(request.url) });
    if (error.unexpected) this.logger.error({ err: exception, requestId }, 'request failed unexpectedly');
    if (response.headersSent) return void response.end();
    response.statusCode = error.status;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(errorResponse(error, requestId)));
  }
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
