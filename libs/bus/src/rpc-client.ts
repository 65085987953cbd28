import { Inject, Injectable } from '@nestjs/common';
import { Fault, replyOf, RpcContract, RpcRequest, RpcResponse } from '@snapex/contracts';
import { inSpan, SpanKind } from '@snapex/telemetry';
import { ErrorCode, NatsError } from 'nats';
import { BUS_OPTIONS, BusOptions } from './bus.options';
import { RetryableError } from './errors';
import { NatsConnectionHolder } from './nats-connection';
import { messageAttributes, traceHeaders } from './trace-headers';

/** Calls another service over NATS request/reply; faults come back as Fault, outages as RetryableError. */
@Injectable()
export class RpcClient {
  constructor(
    @Inject(NatsConnectionHolder) private readonly nats: NatsConnectionHolder,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
  ) {}

  async call<C extends RpcContract>(contract: C, request: RpcRequest<C>): Promise<RpcResponse<C>> {
    const attributes = messageAttributes(contract.subject, request);
    return inSpan(`call ${contract.subject}`, { kind: SpanKind.CLIENT, attributes }, () =>
      this.send(contract, request),
    );
  }

  private async send<C extends RpcContract>(contract: C, request: RpcRequest<C>): Promise<RpcResponse<C>> {
    const body = contract.request.parse(request);
    let raw: string;
    try {
      const reply = await this.nats.connection.request(contract.subject, JSON.stringify(body), {
        timeout: this.options.rpcTimeoutMs ?? 10_000,
        headers: traceHeaders(),
      });
      raw = reply.string();
    } catch (error) {
      const code = (error as NatsError).code;
      const reason = code === ErrorCode.NoResponders ? 'no service answers' : (error as Error).message;
      throw new RetryableError(`${contract.subject}: ${reason}`, 1000, { cause: error });
    }
    const reply = replyOf(contract.response).parse(JSON.parse(raw));
    if (!reply.ok) throw Fault.fromBody(reply.fault);
    return reply.result as RpcResponse<C>;
  }
}
