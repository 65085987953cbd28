import { z } from 'zod';

/**
 * The RDS events an export raises, with RDS's ids. RDS files every one of them under the category
 * `notification` of the export's source: a DB snapshot, a DB cluster snapshot or a DB cluster.
 */
export const RDS_EXPORT_EVENTS = {
  'RDS-EVENT-0159': 'The export task failed.',
  'RDS-EVENT-0160': 'The export task was canceled.',
  'RDS-EVENT-0161': 'The export task completed.',
  'RDS-EVENT-0484': 'The export of a table failed; the table is left out of the export.',
  'RDS-EVENT-0486': 'A table has no key to partition it by and is exported by a single worker.',
  'RDS-EVENT-0487': 'A table is still being exported after an hour.',
  'RDS-EVENT-0488': 'The export task progressed.',
} as const;
export const RdsEventIdSchema = z.enum(
  Object.keys(RDS_EXPORT_EVENTS) as [keyof typeof RDS_EXPORT_EVENTS, ...(keyof typeof RDS_EXPORT_EVENTS)[]],
);
export type RdsEventId = z.infer<typeof RdsEventIdSchema>;

export const EXPORT_EVENT_CATEGORY = 'notification';

/** The RDS source types snapex's events come from, and the event categories RDS defines for each. */
export const EVENT_CATEGORIES_BY_SOURCE_TYPE = {
  'db-instance': [
    'availability',
    'backup',
    'configuration change',
    'creation',
    'deletion',
    'failover',
    'failure',
    'low storage',
    'maintenance',
    'notification',
    'read replica',
    'recovery',
    'restoration',
    'security',
    'security patching',
  ],
  'db-cluster': [
    'configuration change',
    'creation',
    'deletion',
    'failover',
    'failure',
    'global-failover',
    'maintenance',
    'notification',
    'serverless',
  ],
  'db-snapshot': ['creation', 'deletion', 'notification', 'restoration'],
  'db-cluster-snapshot': ['backup', 'notification'],
} as const;
export const EventSourceTypeSchema = z.enum([
  'db-instance',
  'db-cluster',
  'db-snapshot',
  'db-cluster-snapshot',
]);
export type EventSourceType = z.infer<typeof EventSourceTypeSchema>;

/** The RDS event source an export's SourceArn names: `...:cluster-snapshot:x` is `db-cluster-snapshot` x. */
export function eventSourceOf(sourceArn: string): { sourceType: EventSourceType; sourceIdentifier: string } {
  const match = /^arn:[^:]+:rds:[^:]*:[^:]*:(db|cluster|snapshot|cluster-snapshot):(.+)$/.exec(sourceArn);
  const kind = match?.[1] ?? 'cluster';
  const sourceType = (
    {
      db: 'db-instance',
      cluster: 'db-cluster',
      snapshot: 'db-snapshot',
      'cluster-snapshot': 'db-cluster-snapshot',
    } as const
  )[kind as 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot'];
  return { sourceType, sourceIdentifier: match?.[2] ?? sourceArn };
}

/** One RDS event as DescribeEvents reports it and subscriptions receive it. */
export const RdsEventSchema = z.object({
  /** Unique per event: the id of the lifecycle event it comes from. */
  eventId: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/),
  rdsEventId: RdsEventIdSchema,
  sourceIdentifier: z.string(),
  sourceType: EventSourceTypeSchema,
  sourceArn: z.string(),
  message: z.string(),
  eventCategories: z.array(z.string()),
  date: z.string().datetime(),
  exportTaskIdentifier: z.string(),
  taskId: z.string().uuid(),
});
export type RdsEvent = z.infer<typeof RdsEventSchema>;

/** Where a subscription delivers: an SNS topic, or an HTTP(S) webhook receiving CloudEvents. */
export const DeliveryTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sns'), topicArn: z.string() }),
  z.object({ kind: z.literal('webhook'), url: z.string().url() }),
]);
export type DeliveryTarget = z.infer<typeof DeliveryTargetSchema>;

/** RDS's subscription statuses. */
export const EventSubscriptionStatusSchema = z.enum([
  'creating',
  'modifying',
  'deleting',
  'active',
  'no-permission',
  'topic-not-exist',
]);
export type EventSubscriptionStatus = z.infer<typeof EventSubscriptionStatusSchema>;

/** An event subscription as the registry reports it; the gateway renders it as RDS's EventSubscription. */
export const EventSubscriptionViewSchema = z.object({
  accountId: z.string(),
  subscriptionName: z.string(),
  /** SnsTopicArn as the caller gave it: a topic ARN or a webhook URL. */
  snsTopicArn: z.string(),
  status: EventSubscriptionStatusSchema,
  subscriptionCreationTime: z.string().datetime(),
  sourceType: EventSourceTypeSchema.optional(),
  sourceIds: z.array(z.string()),
  eventCategories: z.array(z.string()),
  enabled: z.boolean(),
  arn: z.string(),
});
export type EventSubscriptionView = z.infer<typeof EventSubscriptionViewSchema>;

/** The outcome of one attempt to deliver an event to one subscription. */
export const DeliveryOutcomeSchema = z.enum(['delivered', 'failed', 'dead-lettered']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcomeSchema>;
