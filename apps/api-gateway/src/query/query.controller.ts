import { Controller, Get, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { accountOf, rawBodyOf } from '../http/authentication.middleware';
import { GatewayRequest, urlOf } from '../http/request-context';
import { QueryActions } from './query-actions';
import { queryRequestOf } from './query-request';
import { actionResponseXml, XML_CONTENT_TYPE } from './query-xml';

/** The RDS Query protocol, as the AWS CLI and SDKs speak it: `POST /` form-encoded, or `GET /?Action=…`. */
@Controller()
export class QueryController {
  constructor(@Inject(QueryActions) private readonly actions: QueryActions) {}

  @Post()
  @HttpCode(200)
  @Header('content-type', XML_CONTENT_TYPE)
  post(@Req() request: GatewayRequest): Promise<string> {
    return this.answer(request);
  }

  @Get()
  @Header('content-type', XML_CONTENT_TYPE)
  get(@Req() request: GatewayRequest): Promise<string> {
    return this.answer(request);
  }

  private async answer(request: GatewayRequest): Promise<string> {
    const query = queryRequestOf({
      method: request.method ?? 'GET',
      url: urlOf(request),
      contentType: request.headers['content-type'],
      body: rawBodyOf(request),
    });
    if (request.context) request.context.action = query.action;
    const result = await this.actions.run(accountOf(request), query);
    return actionResponseXml(query.action, result, request.context?.requestId ?? '');
  }
}
