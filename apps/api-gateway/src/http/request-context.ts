import { IncomingMessage } from 'node:http';

/** The RDS Query protocol is served at `/`; everything else speaks JSON. */
export type ApiProtocol = 'query' | 'json';

/** What the gateway learns about one request as it passes through; logged when the response ends. */
export interface RequestContext {
  requestId: string;
  startedAt: bigint;
  protocol: ApiProtocol;
  accountId?: string;
  /** The access key id of a request signed with Signature Version 4, for the log. */
  accessKeyId?: string;
  action?: string;
}

export type GatewayRequest = IncomingMessage & {
  context?: RequestContext;
  rawBody?: Buffer;
  /** Express keeps the URL as received here; `url` is cut down to the part below a middleware's mount path. */
  originalUrl?: string;
};

export function urlOf(request: GatewayRequest): string {
  return request.originalUrl ?? request.url ?? '/';
}

export function contextOf(request: IncomingMessage): RequestContext | undefined {
  return (request as GatewayRequest).context;
}

export function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

export function protocolOf(url: string | undefined): ApiProtocol {
  return pathOf(url) === '/' ? 'query' : 'json';
}
