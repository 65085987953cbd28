import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Fault } from '@snapex/contracts';
import { GatewayRequest } from './request-context';

export const MAX_BODY_BYTES = Symbol('snapex:gateway-max-body-bytes');

/** Reads the JSON body, refusing one larger than the configured limit before reading all of it. */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  constructor(@Inject(MAX_BODY_BYTES) private readonly maxBytes: number) {}

  async use(request: GatewayRequest, _response: ServerResponse, next: () => void): Promise<void> {
    if (request.readableEnded) return next();
    if (Number(request.headers['content-length'] ?? 0) > this.maxBytes) throw this.tooLarge(request);
    const text = await this.readBody(request);
    request.body = parseJsonObject(text);
    next();
  }

  private readBody(request: GatewayRequest): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = (outcome: () => void) => {
        request.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
        outcome();
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBytes) settle(() => reject(this.tooLarge(request)));
        else chunks.push(chunk);
      };
      const onEnd = () => settle(() => resolve(Buffer.concat(chunks).toString('utf8')));
      const onError = () =>
        settle(() =>
          reject(new Fault('InvalidParameterValue', 'The request body was not received completely.')),
        );
      request.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
    });
  }

  /** The rest of the body is drained unread, so the error response can still be delivered. */
  private tooLarge(request: GatewayRequest): Fault {
    request.resume();
    return new Fault('PayloadTooLarge', `The request body must not be larger than ${this.maxBytes} bytes.`);
  }
}

/** An empty body stands for an action without parameters. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim().length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Fault('InvalidParameterValue', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Fault('InvalidParameterValue', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
