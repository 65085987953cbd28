import { IncomingMessage } from 'node:http';
import { Fault } from '@snapex/contracts';

/** Reads the whole body, refusing one larger than the limit before reading all of it. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (request.readableEnded) return Buffer.alloc(0);
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) throw tooLarge(request, maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) settle(() => reject(tooLarge(request, maxBytes)));
      else chunks.push(chunk);
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks)));
    const onError = () =>
      settle(() =>
        reject(new Fault('InvalidParameterValue', 'The request body was not received completely.')),
      );
    request.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}

/** The rest of the body is drained unread, so the error response can still be delivered. */
function tooLarge(request: IncomingMessage, maxBytes: number): Fault {
  request.resume();
  return new Fault('PayloadTooLarge', `The request body must not be larger than ${maxBytes} bytes.`);
}
