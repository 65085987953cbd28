import {
  DeliveryTarget,
  EVENT_CATEGORIES_BY_SOURCE_TYPE,
  EventSourceType,
  EventSourceTypeSchema,
  Fault,
} from '@snapex/contracts';
import { WebhookDestinations } from '@snapex/config';

/** RDS's rule for subscription names: a letter first, letters, digits and hyphens, no double or trailing hyphen. */
const SUBSCRIPTION_NAME = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

export function checkSubscriptionName(name: string): string {
  if (name.length > 255 || !SUBSCRIPTION_NAME.test(name)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter SubscriptionName is not a valid identifier: ${name}. Identifiers must begin with a letter; ` +
        'must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
  return name;
}

/**
 * Where SnsTopicArn delivers: an SNS topic of this region (`arn:aws:sns:<region>:<account>:<topic>`), or,
 * snapex's addition, an http(s) URL that receives each event as a signed CloudEvent.
 */
export function deliveryTargetOf(
  snsTopicArn: string,
  region: string,
  webhookAllowed: boolean,
  destinations: WebhookDestinations,
): DeliveryTarget {
  if (/^https?:\/\//i.test(snsTopicArn)) {
    if (!URL.canParse(snsTopicArn)) {
      throw new Fault('SNSInvalidTopic', `The webhook URL ${snsTopicArn} is not a valid URL.`);
    }
    if (!webhookAllowed) {
      throw new Fault(
        'SNSInvalidTopic',
        `The account has no webhook signing key, so events cannot be delivered to ${snsTopicArn}. Subscribe an SNS topic, or ask the operator for a key.`,
      );
    }
    // A host given as an address is judged now; a name is judged by the notifier, each time it resolves.
    const refusal = destinations.refusalOfLiteralHost(new URL(snsTopicArn));
    if (refusal)
      throw new Fault('SNSInvalidTopic', `The webhook URL ${snsTopicArn} cannot be used: ${refusal}.`);
    return { kind: 'webhook', url: snsTopicArn };
  }
  const arn = /^arn:aws[\w-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/.exec(snsTopicArn);
  if (!arn) throw new Fault('SNSInvalidTopic', `The SNS topic ARN ${snsTopicArn} is invalid.`);
  if (arn[1] !== region) {
    throw new Fault(
      'SNSInvalidTopic',
      `The SNS topic ${snsTopicArn} is not in the region ${region} of this service.`,
    );
  }
  return { kind: 'sns', topicArn: snsTopicArn };
}

/** The target of a subscription already recorded, whose SnsTopicArn was checked when it was made. */
export function recordedTargetOf(snsTopicArn: string): DeliveryTarget {
  return /^https?:\/\//i.test(snsTopicArn)
    ? { kind: 'webhook', url: snsTopicArn }
    : { kind: 'sns', topicArn: snsTopicArn };
}

export function sourceTypeOf(sourceType: string | undefined): EventSourceType | undefined {
  if (sourceType === undefined) return undefined;
  const parsed = EventSourceTypeSchema.safeParse(sourceType);
  if (!parsed.success) {
    throw new Fault(
      'InvalidParameterValue',
      `Invalid source type: ${sourceType}. Valid source types: ${EventSourceTypeSchema.options.join(', ')}.`,
    );
  }
  return parsed.data;
}

/** Event categories in lower case, as RDS keeps them; each must exist for the source type (or for any). */
export function eventCategoriesOf(categories: string[], sourceType: EventSourceType | undefined): string[] {
  const known = new Set<string>(
    sourceType
      ? EVENT_CATEGORIES_BY_SOURCE_TYPE[sourceType]
      : Object.values(EVENT_CATEGORIES_BY_SOURCE_TYPE).flat(),
  );
  const normalized = [...new Set(categories.map((category) => category.toLowerCase()))];
  const unknown = normalized.filter((category) => !known.has(category));
  if (unknown.length > 0) {
    throw new Fault(
      'SubscriptionCategoryNotFound',
      `Event categories ${unknown.join(', ')} do not exist${sourceType ? ` for source type ${sourceType}` : ''}.`,
    );
  }
  return normalized;
}

export function subscriptionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:rds:${region}:${accountId}:es:${name}`;
}

export function subscriptionNotFound(name: string): Fault {
  return new Fault('SubscriptionNotFound', `Subscription ${name} not found.`);
}
