import { z } from 'zod';
import { RdsEvent, RdsEventIdSchema, EventSourceTypeSchema } from './model/rds-events';

/**
 * What a webhook subscription receives: one RDS event as a CloudEvents 1.0 structured JSON body
 * (`content-type: application/cloudevents+json`). `id` is the event's, the same on every retry, so a
 * receiver can drop repeats.
 */
export const WebhookCloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string(),
  /** The export's source: the snapshot or cluster ARN. */
  source: z.string(),
  type: z.literal('snapex.rds.event.v1'),
  subject: z.string(),
  time: z.string().datetime(),
  datacontenttype: z.literal('application/json'),
  /** CloudEvents extension attribute: the RDS event id, e.g. RDS-EVENT-0161. */
  rdseventid: RdsEventIdSchema,
  data: z.object({
    EventId: RdsEventIdSchema,
    SourceIdentifier: z.string(),
    SourceType: EventSourceTypeSchema,
    SourceArn: z.string(),
    Message: z.string(),
    EventCategories: z.array(z.string()),
    Date: z.string().datetime(),
    ExportTaskIdentifier: z.string(),
    SubscriptionName: z.string(),
  }),
});
export type WebhookCloudEvent = z.infer<typeof WebhookCloudEventSchema>;

/**
 * Headers of a webhook delivery. The signature is `t=<unix seconds>,v1=<hex HMAC-SHA256>` of
 * `<t>.<body>` keyed with the account's `webhookSecret`; a receiver recomputes it and refuses an old `t`.
 */
export const WebhookHeadersSchema = z.object({
  'content-type': z.literal('application/cloudevents+json'),
  'x-snapex-signature': z.string().regex(/^t=\d+,v1=[0-9a-f]{64}$/),
  'x-snapex-delivery': z.string(),
  'x-snapex-attempt': z.string().regex(/^\d+$/),
});
export const WEBHOOK_SIGNATURE_HEADER = 'x-snapex-signature';

/** What an SNS topic subscription receives as the Message of each notification, in RDS's words and keys. */
export const SnsEventMessageSchema = z.object({
  'Event Source': EventSourceTypeSchema,
  'Event Time': z.string(),
  'Identifier Link': z.string(),
  'Source ID': z.string(),
  'Source ARN': z.string(),
  'Event ID': z.string(),
  'Event Message': z.string(),
});
export type SnsEventMessage = z.infer<typeof SnsEventMessageSchema>;
export const SNS_EVENT_SUBJECT = 'RDS Notification Message';

export function webhookCloudEventOf(event: RdsEvent, subscriptionName: string): WebhookCloudEvent {
  return WebhookCloudEventSchema.parse({
    specversion: '1.0',
    id: event.eventId,
    source: event.sourceArn,
    type: 'snapex.rds.event.v1',
    subject: event.sourceIdentifier,
    time: event.date,
    datacontenttype: 'application/json',
    rdseventid: event.rdsEventId,
    data: {
      EventId: event.rdsEventId,
      SourceIdentifier: event.sourceIdentifier,
      SourceType: event.sourceType,
      SourceArn: event.sourceArn,
      Message: event.message,
      EventCategories: event.eventCategories,
      Date: event.date,
      ExportTaskIdentifier: event.exportTaskIdentifier,
      SubscriptionName: subscriptionName,
    },
  });
}

/** RDS writes the event time as `2026-12-04 02:16:50.123` and links the event id to its documentation. */
export function snsEventMessageOf(event: RdsEvent, region: string): SnsEventMessage {
  return SnsEventMessageSchema.parse({
    'Event Source': event.sourceType,
    'Event Time': event.date.replace('T', ' ').replace('Z', ''),
    'Identifier Link': `https://console.aws.amazon.com/rds/home?region=${region}#snapshot-exports:`,
    'Source ID': event.sourceIdentifier,
    'Source ARN': event.sourceArn,
    'Event ID': `http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#${event.rdsEventId}`,
    'Event Message': event.message,
  });
}
