import { z } from 'zod';
import { DeliveryTargetSchema, RdsEventSchema } from '../model/rds-events';
import { defineEvent, EventBaseSchema } from './event-contract';

/**
 * One RDS event to deliver to one subscription; sits on the work queue until delivered or
 * dead-lettered. eventId is the delivery's id: `<event id>:<subscription name>`.
 */
export const DeliveryRequested = defineEvent(
  'DeliveryRequested',
  'snapex.work.delivery.requested.v1',
  'work',
  EventBaseSchema.extend({
    subscriptionName: z.string(),
    target: DeliveryTargetSchema,
    event: RdsEventSchema,
  }),
);
