import {
  CreateEventSubscriptionCommand,
  DeleteEventSubscriptionCommand,
  DescribeEventsCommand,
  DescribeEventSubscriptionsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { recreateDatabase, dropDatabase, withPg } from '../../scripts/local-stack/databases';
import { MOTO_ACCOUNT, MOTO_REGION } from '../../scripts/local-stack/moto';
import { adminClients, API_KEY, OTHER_ACCOUNT, OTHER_API_KEY, Stack } from '../../scripts/local-stack/stack';
import { eventuallyValue } from '../support/eventually';
import { NatsServer, startPrivateNats } from '../support/private-nats';
import { printLogsIfFailed } from '../support/service-logs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RUN = `ev${process.pid}`;
const SOURCE_DB = `snapex_events_${RUN}`;
const WEBHOOK_SECRET = 'event-delivery-test-signing-key';
const ACCESS_KEY = {
  accessKeyId: `AKIAEVENTS${RUN}`.padEnd(20, 'X'),
  secretAccessKey: 'event-delivery-secret-key',
};
const MAX_ATTEMPTS = 3;
const COMPLETED = 'RDS-EVENT-0161';

interface Received {
  path: string;
  at: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A webhook receiver: `/ok` takes every delivery, `/fail` answers 500 to all of them, `/gone` runs
 * `onGone` (which deletes its subscription) and then answers 500.
 */
async function startReceiver(
  onGone: () => Promise<unknown>,
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const path = request.url ?? '/';
      if (path === '/gone') await onGone().catch(() => undefined);
      received.push({
        path,
        at: Date.now(),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.statusCode = path === '/ok' ? 204 : 500;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** Checks `t=<unix>,v1=<hex>` against the body as a receiver would, with its own HMAC. */
function signatureIsValid(header: string | string[] | undefined, body: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!match) return false;
  const expected = createHmac('sha256', WEBHOOK_SECRET).update(`${match[1]}.${body}`).digest();
  const fresh = Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
  return fresh && timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

describe('an export’s RDS events delivered to subscriptions', () => {
  let nats: NatsServer;
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let rds: RDSClient;
  let sqs: SQSClient;
  let sns: SNSClient;
  let queueUrl: string;
  const identifier = `events-${RUN}`;

  beforeAll(async () => {
    nats = await startPrivateNats();
    receiver = await startReceiver(() =>
      rds.send(new DeleteEventSubscriptionCommand({ SubscriptionName: 'deleted-on-first-call' })),
    );
    const sourceUrl = await recreateDatabase(SOURCE_DB);
    await withPg(sourceUrl, (client) =>
      client.query(
        'CREATE TABLE orders AS SELECT i AS id, md5(i::text) AS note FROM generate_series(1, 2000) i;' +
          'ALTER TABLE orders ADD PRIMARY KEY (id)',
      ),
    );
    stack = await Stack.start({
      name: `events-${RUN}`,
      natsUrl: nats.url,
      sources: [{ name: 'events-cluster', url: sourceUrl, databases: [SOURCE_DB] }],
      config: {
        accounts: [
          { id: MOTO_ACCOUNT, apiKeys: [API_KEY], accessKeys: [ACCESS_KEY], webhookSecret: WEBHOOK_SECRET },
          { id: OTHER_ACCOUNT, apiKeys: [OTHER_API_KEY] },
        ],
        notifier: {
          maxAttempts: MAX_ATTEMPTS,
          initialRetryDelayMs: 400,
          maxRetryDelayMs: 2000,
          // The receiver listens on this host, which webhooks are otherwise never delivered to.
          webhookAllowedNetworks: ['127.0.0.1/32'],
        },
      },
    });
    const admin = { endpoint: stack.moto.endpoint, region: MOTO_REGION, credentials: stack.moto.admin };
    sns = new SNSClient(admin);
    sqs = new SQSClient(admin);
    // snapex publishes as its own identity, as RDS does as events.rds.amazonaws.com.
    await adminClients(stack.moto).iam.send(
      new PutUserPolicyCommand({
        UserName: 'snapex-service',
        PolicyName: 'publish-rds-events',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
        }),
      }),
    );
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'export-events' }));
    ({ QueueUrl: queueUrl } = (await sqs.send(new CreateQueueCommand({ QueueName: 'export-events' }))) as {
      QueueUrl: string;
    });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }));
    rds = new RDSClient({
      endpoint: stack.gatewayUrl,
      region: MOTO_REGION,
      credentials: ACCESS_KEY,
      maxAttempts: 1,
    });
    const subscribe = (SubscriptionName: string, SnsTopicArn: string, extra: Record<string, unknown> = {}) =>
      rds.send(new CreateEventSubscriptionCommand({ SubscriptionName, SnsTopicArn, ...extra }));
    await subscribe('to-sns', TopicArn!, { SourceType: 'db-cluster', SourceIds: ['events-cluster'] });
    await subscribe('to-webhook', `${receiver.url}/ok`, { EventCategories: ['notification'] });
    await subscribe('to-failing-webhook', `${receiver.url}/fail`);
    // Takes events of another source only: nothing of this export reaches it.
    await subscribe('elsewhere', `${receiver.url}/ok`, {
      SourceType: 'db-cluster',
      SourceIds: ['other-cluster'],
    });
    await subscribe('switched-off', `${receiver.url}/ok`, { Enabled: false });
    await subscribe('deleted-on-first-call', `${receiver.url}/gone`);
    await subscribe('deleted-topic', `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:no-such-topic`);

    const task = await stack.exportCluster(identifier, 'events-cluster');
    expect(task.Status).toBe('COMPLETE');
  });

  afterAll(async () => {
    rds?.destroy();
    sqs?.destroy();
    sns?.destroy();
    await stack?.stop();
    await nats?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await dropDatabase(SOURCE_DB).catch(() => undefined);
  });

  afterEach(() => printLogsIfFailed(stack));

  it('publishes them to the SNS topic, as RDS words them, and they reach the subscribed SQS queue', async () => {
    const seen: Record<string, string>[] = [];
    const completed = await eventuallyValue(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages ?? []) {
        const envelope = JSON.parse(message.Body!) as { Subject: string; Message: string };
        expect(envelope.Subject).toBe('RDS Notification Message');
        seen.push(JSON.parse(envelope.Message) as Record<string, string>);
      }
      return seen.find((event) => event['Event ID'].endsWith(`#${COMPLETED}`));
    }, 30_000);
    expect(completed).toEqual({
      'Event Source': 'db-cluster',
      'Event Time': expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/),
      'Identifier Link': expect.any(String),
      'Source ID': 'events-cluster',
      'Source ARN': stack.clusterArn('events-cluster'),
      'Event ID': `http://docs.amazonwebservices.com/AmazonRDS/latest/UserGuide/USER_Events.html#${COMPLETED}`,
      'Event Message': expect.stringContaining(`Export task ${identifier} completed`),
    });
    expect(seen.some((event) => event['Event ID'].endsWith('#RDS-EVENT-0488'))).toBe(true);
  });

  it('posts them to the webhook as CloudEvents with a valid HMAC-SHA256 signature', async () => {
    const delivery = await eventuallyValue(async () =>
      receiver.received.find(
        (request) => request.path === '/ok' && JSON.parse(request.body).rdseventid === COMPLETED,
      ),
    );
    expect(delivery.headers['content-type']).toBe('application/cloudevents+json');
    expect(signatureIsValid(delivery.headers['x-snapex-signature'], delivery.body)).toBe(true);
    expect(
      signatureIsValid(delivery.headers['x-snapex-signature'], delivery.body.replace('events', 'Events')),
    ).toBe(false);
    const cloudEvent = JSON.parse(delivery.body);
    expect(cloudEvent).toMatchObject({
      specversion: '1.0',
      type: 'snapex.rds.event.v1',
      source: stack.clusterArn('events-cluster'),
      subject: 'events-cluster',
      datacontenttype: 'application/json',
      data: {
        EventId: COMPLETED,
        SourceType: 'db-cluster',
        EventCategories: ['notification'],
        ExportTaskIdentifier: identifier,
        SubscriptionName: 'to-webhook',
      },
    });
    const okDeliveries = receiver.received.filter((request) => request.path === '/ok');
    expect(
      okDeliveries.every((request) => signatureIsValid(request.headers['x-snapex-signature'], request.body)),
    ).toBe(true);
    // Neither the subscription of another source nor the disabled one got anything.
    expect(new Set(okDeliveries.map((request) => JSON.parse(request.body).data.SubscriptionName))).toEqual(
      new Set(['to-webhook']),
    );
  });

  it('retries a failing webhook with growing delays, then dead-letters the delivery and logs every attempt', async () => {
    const deadLettered = await eventuallyValue(async () => {
      const { body } = await stack.api('/v1/DescribeEventDeliveries', {
        SubscriptionName: 'to-failing-webhook',
        Status: 'dead-lettered',
      });
      return (body.EventDeliveries as Record<string, unknown>[]).find(
        (entry) => entry.RdsEventId === COMPLETED,
      );
    }, 30_000);
    expect(deadLettered).toMatchObject({
      Status: 'dead-lettered',
      Attempts: MAX_ATTEMPTS,
      LastHttpStatus: 500,
      LastError: 'the webhook answered HTTP 500',
      Target: `${receiver.url}/fail`,
    });
    const attempts = receiver.received.filter(
      (request) =>
        request.path === '/fail' && request.headers['x-snapex-delivery'] === deadLettered.DeliveryId,
    );
    expect(attempts.map((request) => request.headers['x-snapex-attempt'])).toEqual(['1', '2', '3']);
    // Backoff with jitter: at least half of 400 ms, then at least half of 800 ms.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(200);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(400);

    const { body } = await stack.api('/v1/DescribeEventDeliveries', { SubscriptionName: 'to-webhook' });
    expect(body.EventDeliveries.every((entry: { Status: string }) => entry.Status === 'delivered')).toBe(
      true,
    );
    // A subscription deleted after a failed attempt gets no retry, nor any later event.
    const gone = receiver.received.filter((request) => request.path === '/gone');
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((request) => request.headers['x-snapex-attempt'] === '1')).toBe(true);
    // A topic that does not exist shows in the subscription's Status, as RDS shows it.
    const { EventSubscriptionsList } = await rds.send(
      new DescribeEventSubscriptionsCommand({ SubscriptionName: 'deleted-topic' }),
    );
    expect(EventSubscriptionsList?.[0].Status).toBe('topic-not-exist');
    const other = await stack.api('/v1/DescribeEventDeliveries', {}, OTHER_API_KEY);
    expect(other.body.EventDeliveries).toEqual([]);
  });

  it('lists them with DescribeEvents and describes them in /asyncapi.json', async () => {
    const { Events } = await rds.send(
      new DescribeEventsCommand({
        SourceType: 'db-cluster',
        SourceIdentifier: 'events-cluster',
        Duration: 60,
      }),
    );
    const completed = Events?.find((event) => event.Message?.includes(COMPLETED));
    expect(completed).toMatchObject({
      SourceIdentifier: 'events-cluster',
      SourceType: 'db-cluster',
      EventCategories: ['notification'],
      SourceArn: stack.clusterArn('events-cluster'),
    });
    expect(completed?.Date).toBeInstanceOf(Date);
    const response = await fetch(`${stack.gatewayUrl}/asyncapi.json`);
    const document = (await response.json()) as { asyncapi: string; channels: unknown };
    expect(document.asyncapi).toBe('3.0.0');
    expect(JSON.stringify(document.channels)).toContain('snapex.work.delivery.requested.v1');
  });
});
