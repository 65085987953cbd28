import { EventContract } from './event-contract';
import * as delivery from './delivery.v1';
import * as lifecycle from './lifecycle.v1';
import * as snapshots from './snapshot.v1';
import * as work from './work.v1';

function isContract(value: unknown): value is EventContract {
  return typeof value === 'object' && value !== null && 'subject' in value && 'schema' in value;
}

export const ALL_EVENTS: readonly EventContract[] = (
  [
    ...Object.values(lifecycle),
    ...Object.values(work),
    ...Object.values(snapshots),
    ...Object.values(delivery),
  ] as unknown[]
).filter(isContract);
