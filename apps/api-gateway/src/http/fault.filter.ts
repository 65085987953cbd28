import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { Logger } from '@snapex/logging';
import { LOGGER } from '@snapex/service';
import { errorResponseXml, XML_CONTENT_TYPE } from '../query/query-xml';
import { ApiError, apiErrorOf, errorResponse } from './error-response';
import { ApiProtocol, contextOf, GatewayRequest, pathOf, protocolOf, urlOf } from './request-context';

/**
 * The one place errors become responses, wherever they were thrown: middleware, guard or handler.
 * Query-protocol callers get RDS's XML ErrorResponse, JSON callers the same fields as JSON.
 */
@Catch()
export class FaultFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<GatewayRequest>();
    const response = http.getResponse<ServerResponse>();
    const context = contextOf(request);
    const requestId = context?.requestId ?? randomUUID();
    const error = apiErrorOf(exception, { method: request.method, path: pathOf(urlOf(request)) });
    if (error.unexpected) this.logger.error({ err: exception, requestId }, 'request failed unexpectedly');
    if (response.headersSent) return void response.end();
    const [contentType, body] = rendered(context?.protocol ?? protocolOf(urlOf(request)), error, requestId);
    response.statusCode = error.status;
    response.setHeader('content-type', contentType);
    response.end(body);
  }
}

function rendered(protocol: ApiProtocol, error: ApiError, requestId: string): [string, string] {
  switch (protocol) {
    case 'query':
      return [XML_CONTENT_TYPE, errorResponseXml(error, requestId)];
    case 'json':
      return ['application/json', JSON.stringify(errorResponse(error, requestId))];
  }
}
