import {
  ALL_EVENTS,
  ALL_RPCS,
  EventContract,
  NotificationSchema,
  RpcContract,
  SnsEventMessageSchema,
  STREAMS,
  WebhookCloudEventSchema,
  WebhookHeadersSchema,
} from '@snapex/contracts';
import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

type Json = Record<string, unknown>;

const toJsonSchema = zodToJsonSchema as unknown as (schema: z.ZodTypeAny, options: object) => Json;

/** JSON Schema draft 7, which AsyncAPI's default schema format extends; every type written out in place. */
function schemaOf(schema: z.ZodTypeAny): Json {
  const converted = toJsonSchema(schema, { target: 'jsonSchema7', $refStrategy: 'none' });
  delete converted.$schema;
  return converted;
}

/** `snapex.rpc.registry.start-export-task.v1` → `StartExportTask`. */
function rpcName(exportName: string): string {
  return exportName.replace(/Rpc$/, '');
}

function channelId(address: string): string {
  return address.replace(/[^A-Za-z0-9]+/g, '-');
}

interface Builder {
  channels: Json;
  operations: Json;
  messages: Json;
  schemas: Json;
}

function addMessage(builder: Builder, name: string, schema: z.ZodTypeAny, extra: Json = {}): Json {
  builder.schemas[name] = schemaOf(schema);
  builder.messages[name] = { name, payload: { $ref: `#/components/schemas/${name}` }, ...extra };
  return { $ref: `#/components/messages/${name}` };
}

function addEvent(builder: Builder, contract: EventContract): void {
  const id = channelId(contract.subject);
  const stream = STREAMS[contract.stream].name;
  builder.channels[id] = {
    address: contract.subject,
    description: `JetStream stream ${stream}${contract.stream === 'work' ? ' (work queue: each message taken by one replica)' : ''}.`,
    messages: { [contract.name]: addMessage(builder, contract.name, contract.schema) },
  };
  builder.operations[`publish${contract.name}`] = {
    action: 'send',
    channel: { $ref: `#/channels/${id}` },
    messages: [{ $ref: `#/channels/${id}/messages/${contract.name}` }],
  };
}

function addRpc(builder: Builder, exportName: string, contract: RpcContract): void {
  const name = rpcName(exportName);
  const id = channelId(contract.subject);
  const replyId = `${id}-reply`;
  builder.channels[id] = {
    address: contract.subject,
    description: 'NATS request/reply; answered by one replica of the serving service (queue group).',
    messages: { [`${name}Request`]: addMessage(builder, `${name}Request`, contract.request) },
  };
  builder.channels[replyId] = {
    address: null,
    description: "The requester's inbox.",
    messages: {
      [`${name}Reply`]: addMessage(
        builder,
        `${name}Reply`,
        z.discriminatedUnion('ok', [
          z.object({ ok: z.literal(true), result: contract.response }),
          z.object({
            ok: z.literal(false),
            fault: z.object({ code: z.string(), message: z.string(), httpStatus: z.number().int() }),
          }),
        ]),
      ),
    },
  };
  builder.operations[`answer${name}`] = {
    action: 'receive',
    channel: { $ref: `#/channels/${id}` },
    messages: [{ $ref: `#/channels/${id}/messages/${name}Request` }],
    reply: {
      address: { location: '$message.header#/reply_to' },
      channel: { $ref: `#/channels/${replyId}` },
      messages: [{ $ref: `#/channels/${replyId}/messages/${name}Reply` }],
    },
  };
}

function addNotifications(builder: Builder): void {
  builder.channels.notifications = {
    address: 'snapex.notifications.{accountId}.{category}.v1',
    description: `Per-account notifications for subscribers outside snapex (JetStream stream ${STREAMS.notifications.name}).`,
    parameters: {
      accountId: { description: 'The 12-digit account the export belongs to.' },
      category: { enum: NotificationSchema.shape.category.options },
    },
    messages: { Notification: addMessage(builder, 'Notification', NotificationSchema) },
  };
  builder.operations.publishNotification = {
    action: 'send',
    channel: { $ref: '#/channels/notifications' },
    messages: [{ $ref: '#/channels/notifications/messages/Notification' }],
  };
  builder.channels.webhook = {
    address: null,
    servers: [{ $ref: '#/servers/webhook' }],
    description:
      "An event subscription's webhook URL (its SnsTopicArn): each RDS event POSTed as a signed CloudEvent, retried with exponential backoff and jitter, dead-lettered after notifier.maxAttempts.",
    messages: {
      RdsEventCloudEvent: addMessage(builder, 'RdsEventCloudEvent', WebhookCloudEventSchema, {
        contentType: 'application/cloudevents+json',
        headers: schemaOf(WebhookHeadersSchema),
      }),
    },
  };
  builder.operations.deliverWebhook = {
    action: 'send',
    channel: { $ref: '#/channels/webhook' },
    messages: [{ $ref: '#/channels/webhook/messages/RdsEventCloudEvent' }],
  };
  builder.channels.snsTopic = {
    address: '{topicArn}',
    servers: [{ $ref: '#/servers/sns' }],
    parameters: { topicArn: { description: "An event subscription's SnsTopicArn." } },
    description: `Each RDS event Published to the topic with Subject "RDS Notification Message", as RDS does.`,
    messages: { RdsEventSnsMessage: addMessage(builder, 'RdsEventSnsMessage', SnsEventMessageSchema) },
  };
  builder.operations.publishSnsTopic = {
    action: 'send',
    channel: { $ref: '#/channels/snsTopic' },
    messages: [{ $ref: '#/channels/snsTopic/messages/RdsEventSnsMessage' }],
  };
}

/** The AsyncAPI 3.0 document of every subject and notification, built from the contracts' schemas. */
export function asyncApiDocument(): Json {
  const builder: Builder = { channels: {}, operations: {}, messages: {}, schemas: {} };
  for (const contract of ALL_EVENTS) addEvent(builder, contract);
  for (const [name, contract] of Object.entries(ALL_RPCS)) addRpc(builder, name, contract);
  addNotifications(builder);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'snapex events and messages',
      version: '1',
      description:
        'The NATS subjects snapex services talk over (JetStream events, work queues, request/reply), the per-account notification subjects, and what event subscriptions deliver to SNS topics and webhooks. Generated from libs/contracts.',
    },
    defaultContentType: 'application/json',
    servers: {
      nats: { host: '127.0.0.1:4222', protocol: 'nats', description: 'NATS with JetStream (nats.url).' },
      webhook: {
        host: 'subscriber',
        protocol: 'https',
        description: 'A webhook subscription URL (http or https).',
      },
      sns: { host: 'sns.amazonaws.com', protocol: 'sns', description: 'Amazon SNS, or aws.endpoints.sns.' },
    },
    channels: builder.channels,
    operations: builder.operations,
    components: { messages: builder.messages, schemas: builder.schemas },
  };
}
