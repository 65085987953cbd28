import {
  CreateEventSubscriptionInputSchema,
  DeleteEventSubscriptionRpc,
  DescribeEventDeliveriesRpc,
  DescribeEventsInputSchema,
  DescribeEventSubscriptionsInputSchema,
  DescribeFilterSchema,
  EventSubscriptionView,
  InputText,
  ModifyEventSubscriptionInputSchema,
  RdsEvent,
} from '@snapex/contracts';
import { z } from 'zod';
import { EventShapes } from '../query/query-shapes';
import { parseInput } from './parse-input';
import { RegistryClient } from './registry.client';
import { ServedAction, withoutAbsent } from './served-action';

const Filters = z.array(DescribeFilterSchema.strict()).optional();
const Tags = z.array(z.object({ Key: InputText, Value: InputText.optional() }).strict()).optional();

const CreateBody = CreateEventSubscriptionInputSchema.extend({ Tags }).strict();
const ModifyBody = ModifyEventSubscriptionInputSchema.strict();
const DeleteBody = DeleteEventSubscriptionRpc.request.shape.input.strict();
const DescribeSubscriptionsBody = DescribeEventSubscriptionsInputSchema.extend({ Filters }).strict();
const DescribeEventsBody = DescribeEventsInputSchema.extend({ Filters }).strict();
const DescribeDeliveriesBody = DescribeEventDeliveriesRpc.request.shape.input.strict();

/** RDS's EventSubscription; lists are plain arrays in JSON. */
export function eventSubscriptionOf(view: EventSubscriptionView): Record<string, unknown> {
  return withoutAbsent({
    CustomerAwsId: view.accountId,
    CustSubscriptionId: view.subscriptionName,
    SnsTopicArn: view.snsTopicArn,
    Status: view.status,
    SubscriptionCreationTime: view.subscriptionCreationTime,
    SourceType: view.sourceType,
    SourceIdsList: view.sourceIds,
    EventCategoriesList: view.eventCategories,
    Enabled: view.enabled,
    EventSubscriptionArn: view.arn,
  });
}

function eventSubscriptionXml(subscription: Record<string, unknown>): Record<string, unknown> {
  return {
    ...subscription,
    SourceIdsList: { SourceId: subscription.SourceIdsList },
    EventCategoriesList: { EventCategory: subscription.EventCategoriesList },
  };
}

/** RDS's Event. */
export function eventOf(event: RdsEvent): Record<string, unknown> {
  return {
    SourceIdentifier: event.sourceIdentifier,
    SourceType: event.sourceType,
    Message: `${event.message} (${event.rdsEventId})`,
    EventCategories: event.eventCategories,
    Date: event.date,
    SourceArn: event.sourceArn,
  };
}

/** An action whose result is one subscription. */
function single(
  shape: ServedAction['shape'],
  call: (registry: RegistryClient, accountId: string, body: unknown) => Promise<EventSubscriptionView>,
): ServedAction {
  return {
    shape,
    run: async (registry, accountId, body) => ({
      EventSubscription: eventSubscriptionOf(await call(registry, accountId, body)),
    }),
    xml: (result) => ({
      EventSubscription: eventSubscriptionXml(result.EventSubscription as Record<string, unknown>),
    }),
  };
}

/** The RDS event subscription actions, DescribeEvents, and snapex's DescribeEventDeliveries, by name. */
export const EVENT_ACTIONS: Record<string, ServedAction> = {
  CreateEventSubscription: single(EventShapes.create, (registry, accountId, body) => {
    // Tags are accepted, as RDS takes them, and not kept.
    const input = CreateEventSubscriptionInputSchema.parse(parseInput(CreateBody, body));
    return registry.createEventSubscription({ accountId, input });
  }),
  ModifyEventSubscription: single(EventShapes.modify, (registry, accountId, body) =>
    registry.modifyEventSubscription({ accountId, input: parseInput(ModifyBody, body) }),
  ),
  DeleteEventSubscription: single(EventShapes.delete, (registry, accountId, body) =>
    registry.deleteEventSubscription({ accountId, input: parseInput(DeleteBody, body) }),
  ),
  DescribeEventSubscriptions: {
    shape: EventShapes.describeSubscriptions,
    async run(registry, accountId, body) {
      const input = parseInput(DescribeSubscriptionsBody, body);
      const result = await registry.describeEventSubscriptions({ accountId, input });
      return withoutAbsent({
        EventSubscriptionsList: result.subscriptions.map(eventSubscriptionOf),
        Marker: result.marker,
      });
    },
    xml: (result) =>
      withoutAbsent({
        EventSubscriptionsList: {
          EventSubscription: (result.EventSubscriptionsList as Record<string, unknown>[]).map(
            eventSubscriptionXml,
          ),
        },
        Marker: result.Marker,
      }),
  },
  DescribeEvents: {
    shape: EventShapes.describeEvents,
    async run(registry, accountId, body) {
      const input = parseInput(DescribeEventsBody, body);
      const result = await registry.describeEvents({ accountId, input });
      return withoutAbsent({ Events: result.events.map(eventOf), Marker: result.marker });
    },
    xml: (result) =>
      withoutAbsent({
        Events: {
          Event: (result.Events as Record<string, unknown>[]).map((event) => ({
            ...event,
            EventCategories: { EventCategory: event.EventCategories },
          })),
        },
        Marker: result.Marker,
      }),
  },
  DescribeEventDeliveries: {
    shape: EventShapes.describeDeliveries,
    async run(registry, accountId, body) {
      const input = parseInput(DescribeDeliveriesBody, body);
      return registry.describeEventDeliveries({ accountId, input });
    },
    xml: (result) =>
      withoutAbsent({ EventDeliveries: { EventDelivery: result.EventDeliveries }, Marker: result.Marker }),
  },
};
