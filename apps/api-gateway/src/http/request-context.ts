import { IncomingMessage } from 'node:http';

/** What the gateway learns about one request as it passes through; logged when the response ends. */
export interface RequestContext {
  requestId: string;
  startedAt: bigint;
  accountId?: string;
  action?: string;
}

export type GatewayRequest = IncomingMessage & { context?: RequestContext; body?: unknown };

export function contextOf(request: IncomingMessage): RequestContext | undefined {
  return (request as GatewayRequest).context;
}
