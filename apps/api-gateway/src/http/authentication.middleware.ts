import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { readBody } from './body-reader';
import { RequestAuthenticator } from './request-authenticator';
import { GatewayRequest, protocolOf, urlOf } from './request-context';

export const MAX_BODY_BYTES = Symbol('snapex:gateway-max-body-bytes');

/**
 * Identifies the caller from the headers, reads the body only then (up to the configured size) and
 * checks the signature over it. Handlers find the account and the raw body on the request.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(
    @Inject(RequestAuthenticator) private readonly authenticator: RequestAuthenticator,
    @Inject(MAX_BODY_BYTES) private readonly maxBodyBytes: number,
  ) {}

  async use(request: GatewayRequest, _response: ServerResponse, next: () => void): Promise<void> {
    const caller = this.authenticator.identify(
      request,
      request.context?.protocol ?? protocolOf(urlOf(request)),
    );
    const body = await readBody(request, this.maxBodyBytes);
    await caller.verify(body);
    if (request.context) {
      request.context.accountId = caller.accountId;
      request.context.accessKeyId = caller.accessKeyId;
    }
    request.rawBody = body;
    next();
  }
}

export function accountOf(request: GatewayRequest): string {
  const accountId = request.context?.accountId;
  if (!accountId) throw new Error('request reached a handler without an authenticated account');
  return accountId;
}

export function rawBodyOf(request: GatewayRequest): Buffer {
  return request.rawBody ?? Buffer.alloc(0);
}
