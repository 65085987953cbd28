import { WebhookDestinations } from '@snapex/config';
import { faultOf } from '../../../../test/support/fault-of';
import {
  checkSubscriptionName,
  deliveryTargetOf,
  eventCategoriesOf,
  recordedTargetOf,
  sourceTypeOf,
} from './subscription-rules';

const PUBLIC_ONLY = new WebhookDestinations([]);

describe('event subscription rules', () => {
  it('takes RDS identifiers as subscription names', () => {
    expect(checkSubscriptionName('nightly-exports')).toBe('nightly-exports');
    for (const name of ['1st', 'a--b', 'trailing-', 'with space', 'x'.repeat(256)]) {
      expect(faultOf(() => checkSubscriptionName(name))?.code).toBe('InvalidParameterValue');
    }
  });

  it('delivers to an SNS topic of the region, or to a webhook when the account may sign', () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:exports';
    expect(deliveryTargetOf(topic, 'us-east-1', false, PUBLIC_ONLY)).toEqual({
      kind: 'sns',
      topicArn: topic,
    });
    expect(deliveryTargetOf('https://hooks.example.com/x', 'us-east-1', true, PUBLIC_ONLY)).toEqual({
      kind: 'webhook',
      url: 'https://hooks.example.com/x',
    });
    expect(faultOf(() => deliveryTargetOf(topic, 'eu-west-1', true, PUBLIC_ONLY))?.code).toBe(
      'SNSInvalidTopic',
    );
    expect(
      faultOf(() => deliveryTargetOf('https://hooks.example.com/x', 'us-east-1', false, PUBLIC_ONLY))?.code,
    ).toBe('SNSInvalidTopic');
    expect(
      faultOf(() => deliveryTargetOf('arn:aws:sqs:us-east-1:123456789012:q', 'us-east-1', true, PUBLIC_ONLY))
        ?.code,
    ).toBe('SNSInvalidTopic');
    expect(recordedTargetOf('http://127.0.0.1:9/hook')).toEqual({
      kind: 'webhook',
      url: 'http://127.0.0.1:9/hook',
    });
  });

  it('refuses a webhook whose host is a loopback, private or link-local address, unless allowed', () => {
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://localhost:8080/',
      'http://169.254.169.254/latest/meta-data/',
      'https://10.1.2.3/x',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://2130706433/x',
    ]) {
      const fault = faultOf(() => deliveryTargetOf(url, 'us-east-1', true, PUBLIC_ONLY));
      expect({ url, code: fault?.code }).toEqual({ url, code: 'SNSInvalidTopic' });
      expect(fault?.message).toMatch(/notifier.webhookAllowedNetworks/);
    }
    const lab = new WebhookDestinations(['10.1.0.0/16']);
    expect(deliveryTargetOf('https://10.1.2.3/x', 'us-east-1', true, lab)).toEqual({
      kind: 'webhook',
      url: 'https://10.1.2.3/x',
    });
    expect(faultOf(() => deliveryTargetOf('https://10.2.0.1/x', 'us-east-1', true, lab))?.code).toBe(
      'SNSInvalidTopic',
    );
  });

  it("checks categories against the source type's, in lower case", () => {
    expect(eventCategoriesOf(['Notification', 'notification', 'backup'], 'db-cluster-snapshot')).toEqual([
      'notification',
      'backup',
    ]);
    expect(eventCategoriesOf(['failover'], undefined)).toEqual(['failover']);
    expect(faultOf(() => eventCategoriesOf(['failover'], 'db-snapshot'))?.code).toBe(
      'SubscriptionCategoryNotFound',
    );
    expect(faultOf(() => sourceTypeOf('db-proxy'))?.code).toBe('InvalidParameterValue');
  });
});
