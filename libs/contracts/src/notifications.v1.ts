import { z } from 'zod';

/**
 * What subscribers outside snapex receive, on `snapex.notifications.<accountId>.<category>.v1`
 * (stream SNAPEX_NOTIFICATIONS). `rdsEventId` is set where RDS defines an event for the change.
 */
export const NotificationSchema = z.object({
  notificationId: z.string(),
  accountId: z.string(),
  sourceArn: z.string().optional(),
  exportTaskIdentifier: z.string(),
  category: z.enum([
    'started',
    'progress',
    'table-single-threaded',
    'table-skipped',
    'table-in-progress',
    'completed',
    'failed',
    'canceling',
    'canceled',
  ]),
  rdsEventId: z.string().optional(),
  message: z.string(),
  status: z.string().optional(),
  percentProgress: z.number().int().optional(),
  occurredAt: z.string(),
  detail: z.record(z.unknown()).optional(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export function notificationSubject(accountId: string, category: Notification['category']): string {
  return `snapex.notifications.${accountId}.${category}.v1`;
}
