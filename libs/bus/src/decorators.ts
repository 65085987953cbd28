import 'reflect-metadata';
import { EventContract, RpcContract } from '@snapex/contracts';

export const EVENT_HANDLER = Symbol('snapex:event-handler');
export const RPC_HANDLER = Symbol('snapex:rpc-handler');
export const SIGNAL_HANDLER = Symbol('snapex:signal-handler');

function tag(key: symbol, contract: EventContract | RpcContract): MethodDecorator {
  return (target, propertyKey) => {
    Reflect.defineMetadata(key, contract, target, propertyKey);
  };
}

/** Durable handler: every message of the subject is delivered (at least once) to one replica. */
export const OnEvent = (contract: EventContract): MethodDecorator => tag(EVENT_HANDLER, contract);

/** Request/reply handler, shared by the replicas of a service through a queue group. */
export const OnRpc = (contract: RpcContract): MethodDecorator => tag(RPC_HANDLER, contract);

/**
 * Broadcast handler: every live replica sees the message, none after a restart. For signals
 * that only matter to work in flight (cancel a running partition, release a held snapshot).
 */
export const OnSignal = (contract: EventContract): MethodDecorator => tag(SIGNAL_HANDLER, contract);

export interface MessageContext {
  subject: string;
  /** 1 on first delivery. */
  attempt: number;
}
