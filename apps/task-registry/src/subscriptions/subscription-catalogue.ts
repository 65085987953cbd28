import { Provider } from '@nestjs/common';
import { EventSubscriptionRepository } from './event-subscription.repository';
import { EventSubscriptionsUseCase } from './event-subscriptions.use-case';
import { RdsEventRepository } from './rds-event.repository';
import { RdsEventsUseCase } from './rds-events.use-case';
import { SUBSCRIPTION_RPCS, SubscriptionRpcHandler } from './subscription-rpc.handler';

/** Event subscriptions, the RDS events of exports and their delivery log: task-registry's part. */
export const SubscriptionCatalogue = {
  rpcs: SUBSCRIPTION_RPCS,
  providers: [
    EventSubscriptionRepository,
    RdsEventRepository,
    EventSubscriptionsUseCase,
    RdsEventsUseCase,
    SubscriptionRpcHandler,
  ] as Provider[],
};
