import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { GatewayRequest } from './request-context';

/** Refuses a request before its body is read unless it carries a known API key. */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(@Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator) {}

  use(request: GatewayRequest, _response: ServerResponse, next: () => void): void {
    const accountId = this.authenticator.authenticate(request.headers);
    if (request.context) request.context.accountId = accountId;
    next();
  }
}

export function accountOf(request: GatewayRequest): string {
  const accountId = request.context?.accountId;
  if (!accountId) throw new Error('request reached a handler without an authenticated account');
  return accountId;
}
