import {
  CreateEventSubscriptionCommand,
  DeleteEventSubscriptionCommand,
  DescribeEventsCommand,
  DescribeEventSubscriptionsCommand,
  ModifyEventSubscriptionCommand,
  RDSClient,
  SNSInvalidTopicFault,
  SubscriptionAlreadyExistFault,
  SubscriptionCategoryNotFoundFault,
  SubscriptionNotFoundFault,
} from '@aws-sdk/client-rds';
import { RdsAccount, RdsStack, REGION, rejection, startRdsStack } from '../rds-api/rds-stack';

const WEBHOOK_SECRET = 'test-webhook-signing-key-0001';

describe('event subscriptions through the official RDS SDK', () => {
  let stack: RdsStack;
  let main: RdsAccount;
  let other: RdsAccount;
  let rds: RDSClient;
  const topic = (account: RdsAccount, name = 'export-events') =>
    `arn:aws:sns:${REGION}:${account.id}:${name}`;

  beforeAll(async () => {
    stack = await startRdsStack({
      name: 'event-subscriptions',
      // Only the first account has a webhook signing key.
      configure: (config) => ({
        ...config,
        registry: { ...(config.registry as object), maxEventSubscriptionsPerAccount: 21 },
        accounts: (config.accounts as Record<string, unknown>[]).map((account, index) =>
          index === 0 ? { ...account, webhookSecret: WEBHOOK_SECRET } : account,
        ),
      }),
    });
    [main, other] = stack.accounts;
    rds = stack.rds(main);
  });

  afterAll(() => stack?.stop());

  it('creates, describes, modifies and deletes a subscription as RDS shapes them', async () => {
    const created = await rds.send(
      new CreateEventSubscriptionCommand({
        SubscriptionName: 'exports-to-sns',
        SnsTopicArn: topic(main),
        SourceType: 'db-cluster-snapshot',
        EventCategories: ['Notification'],
        SourceIds: ['nightly', 'weekly'],
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
    expect(created.EventSubscription).toEqual({
      CustomerAwsId: main.id,
      CustSubscriptionId: 'exports-to-sns',
      SnsTopicArn: topic(main),
      Status: 'active',
      SubscriptionCreationTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      SourceType: 'db-cluster-snapshot',
      SourceIdsList: ['nightly', 'weekly'],
      EventCategoriesList: ['notification'],
      Enabled: true,
      EventSubscriptionArn: `arn:aws:rds:${REGION}:${main.id}:es:exports-to-sns`,
    });

    const described = await rds.send(
      new DescribeEventSubscriptionsCommand({ SubscriptionName: 'exports-to-sns' }),
    );
    expect(described.EventSubscriptionsList).toEqual([created.EventSubscription]);

    const modified = await rds.send(
      new ModifyEventSubscriptionCommand({ SubscriptionName: 'exports-to-sns', Enabled: false }),
    );
    expect(modified.EventSubscription).toMatchObject({
      Enabled: false,
      SourceIdsList: ['nightly', 'weekly'],
      SnsTopicArn: topic(main),
    });
    const retyped = await rds.send(
      new ModifyEventSubscriptionCommand({ SubscriptionName: 'exports-to-sns', SourceType: 'db-cluster' }),
    );
    expect(retyped.EventSubscription).toMatchObject({ SourceType: 'db-cluster', Enabled: false });
    expect(retyped.EventSubscription?.SourceIdsList ?? []).toEqual([]);

    const deleted = await rds.send(
      new DeleteEventSubscriptionCommand({ SubscriptionName: 'exports-to-sns' }),
    );
    expect(deleted.EventSubscription).toMatchObject({
      CustSubscriptionId: 'exports-to-sns',
      Status: 'deleting',
    });
    expect(
      await rejection(rds, new DescribeEventSubscriptionsCommand({ SubscriptionName: 'exports-to-sns' })),
    ).toBeInstanceOf(SubscriptionNotFoundFault);
  });

  it('answers the RDS faults', async () => {
    await rds.send(
      new CreateEventSubscriptionCommand({ SubscriptionName: 'twice', SnsTopicArn: topic(main) }),
    );
    const again = await rejection(
      rds,
      new CreateEventSubscriptionCommand({ SubscriptionName: 'twice', SnsTopicArn: topic(main, 'other') }),
    );
    expect(again).toBeInstanceOf(SubscriptionAlreadyExistFault);
    expect(again.$metadata.httpStatusCode).toBe(400);

    for (const command of [
      new ModifyEventSubscriptionCommand({ SubscriptionName: 'missing', Enabled: false }),
      new DeleteEventSubscriptionCommand({ SubscriptionName: 'missing' }),
    ]) {
      const missing = await rejection(rds, command);
      expect(missing).toBeInstanceOf(SubscriptionNotFoundFault);
      expect(missing.$metadata.httpStatusCode).toBe(404);
    }

    const category = await rejection(
      rds,
      new CreateEventSubscriptionCommand({
        SubscriptionName: 'bad-category',
        SnsTopicArn: topic(main),
        SourceType: 'db-snapshot',
        EventCategories: ['failover'],
      }),
    );
    expect(category).toBeInstanceOf(SubscriptionCategoryNotFoundFault);

    for (const arn of ['not-an-arn', `arn:aws:sns:eu-west-1:${main.id}:elsewhere`]) {
      expect(
        await rejection(
          rds,
          new CreateEventSubscriptionCommand({ SubscriptionName: 'bad-topic', SnsTopicArn: arn }),
        ),
      ).toBeInstanceOf(SNSInvalidTopicFault);
    }
    expect(
      (
        await rejection(
          rds,
          new CreateEventSubscriptionCommand({ SubscriptionName: 'bad--name', SnsTopicArn: topic(main) }),
        )
      ).name,
    ).toBe('InvalidParameterValue');
  });

  it('takes a webhook URL as the topic only for an account with a signing key', async () => {
    const webhook = await rds.send(
      new CreateEventSubscriptionCommand({
        SubscriptionName: 'hook',
        SnsTopicArn: 'https://hooks.example.com/rds',
      }),
    );
    expect(webhook.EventSubscription?.SnsTopicArn).toBe('https://hooks.example.com/rds');
    const refused = await rejection(
      stack.rds(other),
      new CreateEventSubscriptionCommand({
        SubscriptionName: 'hook',
        SnsTopicArn: 'https://hooks.example.com/rds',
      }),
    );
    expect(refused).toBeInstanceOf(SNSInvalidTopicFault);
  });

  it('refuses a webhook on a loopback, private or link-local address, in RDS fault form', async () => {
    for (const [index, url] of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://127.0.0.1:8222/varz',
      'https://[::1]/hook',
      'http://10.0.0.7:9000/',
    ].entries()) {
      const refused = await rejection(
        rds,
        new CreateEventSubscriptionCommand({ SubscriptionName: `internal-${index}`, SnsTopicArn: url }),
      );
      expect(refused).toBeInstanceOf(SNSInvalidTopicFault);
      expect((refused as Error).message).toMatch(/notifier.webhookAllowedNetworks allows it/);
    }
    const modified = await rejection(
      rds,
      new ModifyEventSubscriptionCommand({ SubscriptionName: 'hook', SnsTopicArn: 'http://localhost:4222/' }),
    );
    expect(modified).toBeInstanceOf(SNSInvalidTopicFault);
  });

  it("keeps each account's subscriptions to itself, to its quota, and pages them", async () => {
    const otherRds = stack.rds(other);
    for (let index = 0; index < 21; index++) {
      await otherRds.send(
        new CreateEventSubscriptionCommand({ SubscriptionName: `page-${index}`, SnsTopicArn: topic(other) }),
      );
    }
    const quota = await rejection(
      otherRds,
      new CreateEventSubscriptionCommand({ SubscriptionName: 'one-too-many', SnsTopicArn: topic(other) }),
    );
    expect(quota.name).toBe('EventSubscriptionQuotaExceededFault');
    const first = await otherRds.send(new DescribeEventSubscriptionsCommand({ MaxRecords: 20 }));
    expect(first.EventSubscriptionsList).toHaveLength(20);
    const second = await otherRds.send(
      new DescribeEventSubscriptionsCommand({ MaxRecords: 20, Marker: first.Marker }),
    );
    expect(second.EventSubscriptionsList?.map((subscription) => subscription.CustSubscriptionId)).toEqual([
      'page-20',
    ]);
    expect(second.Marker).toBeUndefined();
    const mine = await rds.send(new DescribeEventSubscriptionsCommand({}));
    expect(mine.EventSubscriptionsList?.every((subscription) => subscription.CustomerAwsId === main.id)).toBe(
      true,
    );
    expect(
      await rejection(rds, new DescribeEventSubscriptionsCommand({ SubscriptionName: 'page-0' })),
    ).toBeInstanceOf(SubscriptionNotFoundFault);
  });

  it('answers DescribeEvents, empty for an account without exports', async () => {
    const events = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', Duration: 120 }));
    expect(events.Events).toEqual([]);
    const combination = await rejection(rds, new DescribeEventsCommand({ SourceIdentifier: 'orders' }));
    expect(combination.name).toBe('InvalidParameterCombination');
  });
});
