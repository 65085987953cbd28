import { z } from 'zod';

export interface RpcContract<
  TSubject extends string = string,
  TRequest extends z.ZodTypeAny = z.ZodTypeAny,
  TResponse extends z.ZodTypeAny = z.ZodTypeAny,
> {
  readonly subject: TSubject;
  readonly request: TRequest;
  readonly response: TResponse;
}

export type RpcRequest<C extends RpcContract> = z.infer<C['request']>;
export type RpcResponse<C extends RpcContract> = z.infer<C['response']>;

export function defineRpc<
  TSubject extends string,
  TRequest extends z.ZodTypeAny,
  TResponse extends z.ZodTypeAny,
>(subject: TSubject, request: TRequest, response: TResponse): RpcContract<TSubject, TRequest, TResponse> {
  return { subject, request, response };
}

/** A fault as RDS reports it: the code on the wire, the HTTP status and a message for the caller. */
export const FaultSchema = z.object({
  code: z.string(),
  message: z.string(),
  httpStatus: z.number().int(),
});
export type FaultBody = z.infer<typeof FaultSchema>;

/** The envelope of every reply: a result, or a fault the caller should see. */
export function replyOf<T extends z.ZodTypeAny>(result: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), result }),
    z.object({ ok: z.literal(false), fault: FaultSchema }),
  ]);
}
