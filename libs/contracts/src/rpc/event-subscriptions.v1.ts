import { z } from 'zod';
import { InputText } from '../input-text';
import {
  DeliveryOutcomeSchema,
  DeliveryTargetSchema,
  EventSubscriptionViewSchema,
  RdsEventIdSchema,
  RdsEventSchema,
} from '../model/rds-events';
import { DescribeFilterSchema } from './registry.v1';
import { defineRpc } from './rpc-contract';

const AccountId = z.string().regex(/^\d{12}$/);

export const CreateEventSubscriptionInputSchema = z.object({
  SubscriptionName: InputText,
  SnsTopicArn: InputText,
  SourceType: InputText.optional(),
  EventCategories: z.array(InputText).optional(),
  SourceIds: z.array(InputText).optional(),
  Enabled: z.boolean().optional(),
});
export type CreateEventSubscriptionInput = z.infer<typeof CreateEventSubscriptionInputSchema>;

export const CreateEventSubscriptionRpc = defineRpc(
  'snapex.rpc.registry.create-event-subscription.v1',
  z.object({ accountId: AccountId, input: CreateEventSubscriptionInputSchema }),
  EventSubscriptionViewSchema,
);

export const ModifyEventSubscriptionInputSchema = CreateEventSubscriptionInputSchema.omit({
  SourceIds: true,
}).extend({ SnsTopicArn: InputText.optional() });
export type ModifyEventSubscriptionInput = z.infer<typeof ModifyEventSubscriptionInputSchema>;

export const ModifyEventSubscriptionRpc = defineRpc(
  'snapex.rpc.registry.modify-event-subscription.v1',
  z.object({ accountId: AccountId, input: ModifyEventSubscriptionInputSchema }),
  EventSubscriptionViewSchema,
);

export const DeleteEventSubscriptionRpc = defineRpc(
  'snapex.rpc.registry.delete-event-subscription.v1',
  z.object({ accountId: AccountId, input: z.object({ SubscriptionName: InputText }) }),
  EventSubscriptionViewSchema,
);

export const DescribeEventSubscriptionsInputSchema = z.object({
  SubscriptionName: InputText.optional(),
  Filters: z.array(DescribeFilterSchema).optional(),
  Marker: InputText.optional(),
  MaxRecords: z.number().int().optional(),
});
export type DescribeEventSubscriptionsInput = z.infer<typeof DescribeEventSubscriptionsInputSchema>;

export const DescribeEventSubscriptionsRpc = defineRpc(
  'snapex.rpc.registry.describe-event-subscriptions.v1',
  z.object({ accountId: AccountId, input: DescribeEventSubscriptionsInputSchema }),
  z.object({ subscriptions: z.array(EventSubscriptionViewSchema), marker: z.string().optional() }),
);

export const DescribeEventsInputSchema = z.object({
  SourceIdentifier: InputText.optional(),
  SourceType: InputText.optional(),
  StartTime: z.string().datetime({ offset: true }).optional(),
  EndTime: z.string().datetime({ offset: true }).optional(),
  /** Minutes back from now, when StartTime is not given (RDS's default: 60). */
  Duration: z.number().int().optional(),
  EventCategories: z.array(InputText).optional(),
  Filters: z.array(DescribeFilterSchema).optional(),
  Marker: InputText.optional(),
  MaxRecords: z.number().int().optional(),
});
export type DescribeEventsInput = z.infer<typeof DescribeEventsInputSchema>;

export const DescribeEventsRpc = defineRpc(
  'snapex.rpc.registry.describe-events.v1',
  z.object({ accountId: AccountId, input: DescribeEventsInputSchema }),
  z.object({ events: z.array(RdsEventSchema), marker: z.string().optional() }),
);

/** One subscription an event is to be delivered to. */
export const DeliveryOrderSchema = z.object({
  subscriptionName: z.string(),
  target: DeliveryTargetSchema,
});
export type DeliveryOrder = z.infer<typeof DeliveryOrderSchema>;

/**
 * notifier records an RDS event of a task (once: the same eventId again changes nothing) and learns
 * the enabled subscriptions of the task's account that take it.
 */
export const RecordRdsEventRpc = defineRpc(
  'snapex.rpc.registry.record-rds-event.v1',
  z.object({
    eventId: z.string().min(1),
    taskId: z.string().uuid(),
    rdsEventId: RdsEventIdSchema,
    message: z.string(),
    date: z.string().datetime(),
  }),
  z.object({ event: RdsEventSchema, deliveries: z.array(DeliveryOrderSchema) }),
);

/**
 * Asked before each delivery attempt: a subscription deleted, disabled or pointed elsewhere since the
 * event was queued gets nothing more, as on RDS.
 */
export const DeliveryWantedRpc = defineRpc(
  'snapex.rpc.registry.delivery-wanted.v1',
  z.object({ accountId: AccountId, subscriptionName: z.string(), target: DeliveryTargetSchema }),
  z.object({ wanted: z.boolean() }),
);

/** The delivery log: one row per attempt; a dead-lettered delivery keeps its event for a replay. */
export const RecordDeliveryAttemptRpc = defineRpc(
  'snapex.rpc.registry.record-delivery-attempt.v1',
  z.object({
    deliveryId: z.string().min(1),
    accountId: AccountId,
    subscriptionName: z.string(),
    target: DeliveryTargetSchema,
    event: RdsEventSchema,
    attempt: z.number().int().positive(),
    outcome: DeliveryOutcomeSchema,
    httpStatus: z.number().int().optional(),
    error: z.string().optional(),
    durationMs: z.number().int().nonnegative(),
    /** What the failure says of the subscription's target, as RDS shows it in the subscription's Status. */
    targetStatus: z.enum(['active', 'no-permission', 'topic-not-exist']).optional(),
  }),
  z.object({}),
);

export const EventDeliverySchema = z.object({
  DeliveryId: z.string(),
  SubscriptionName: z.string(),
  EventId: z.string(),
  RdsEventId: z.string(),
  SourceIdentifier: z.string(),
  Target: z.string(),
  Status: DeliveryOutcomeSchema,
  Attempts: z.number().int(),
  LastAttemptTime: z.string().datetime(),
  LastHttpStatus: z.number().int().optional(),
  LastError: z.string().optional(),
});
export type EventDelivery = z.infer<typeof EventDeliverySchema>;

/** snapex's own action: the delivery log of the account's subscriptions, newest first. */
export const DescribeEventDeliveriesRpc = defineRpc(
  'snapex.rpc.registry.describe-event-deliveries.v1',
  z.object({
    accountId: AccountId,
    input: z.object({
      SubscriptionName: InputText.optional(),
      Status: DeliveryOutcomeSchema.optional(),
      Marker: InputText.optional(),
      MaxRecords: z.number().int().optional(),
    }),
  }),
  z.object({ EventDeliveries: z.array(EventDeliverySchema), Marker: z.string().optional() }),
);
