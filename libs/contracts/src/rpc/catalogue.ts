import * as subscriptions from './event-subscriptions.v1';
import * as plans from './plans.v1';
import * as registry from './registry.v1';
import { RpcContract } from './rpc-contract';
import * as snapshots from './snapshots.v1';

function isRpc(value: unknown): value is RpcContract {
  return (
    typeof value === 'object' &&
    value !== null &&
    'subject' in value &&
    'request' in value &&
    'response' in value
  );
}

/** Every request/reply subject, by its exported name (StartExportTaskRpc, …). */
export const ALL_RPCS: Readonly<Record<string, RpcContract>> = Object.fromEntries(
  Object.entries<unknown>({ ...registry, ...snapshots, ...plans, ...subscriptions }).filter(
    (entry): entry is [string, RpcContract] => isRpc(entry[1]),
  ),
);
