import { faultOf } from '../../../../test/support/fault-of';
import {
  checkSubscriptionName,
  deliveryTargetOf,
  eventCategoriesOf,
  recordedTargetOf,
  sourceTypeOf,
} from './subscription-rules';

describe('event subscription rules', () => {
  it('takes RDS identifiers as subscription names', () => {
    expect(checkSubscriptionName('nightly-exports')).toBe('nightly-exports');
    for (const name of ['1st', 'a--b', 'trailing-', 'with space', 'x'.repeat(256)]) {
      expect(faultOf(() => checkSubscriptionName(name))?.code).toBe('InvalidParameterValue');
    }
  });

  it('delivers to an SNS topic of the region, or to a webhook when the account may sign', () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:exports';
    expect(deliveryTargetOf(topic, 'us-east-1', false)).toEqual({ kind: 'sns', topicArn: topic });
    expect(deliveryTargetOf('https://hooks.example.com/x', 'us-east-1', true)).toEqual({
      kind: 'webhook',
      url: 'https://hooks.example.com/x',
    });
    expect(faultOf(() => deliveryTargetOf(topic, 'eu-west-1', true))?.code).toBe('SNSInvalidTopic');
    expect(faultOf(() => deliveryTargetOf('https://hooks.example.com/x', 'us-east-1', false))?.code).toBe(
      'SNSInvalidTopic',
    );
    expect(
      faultOf(() => deliveryTargetOf('arn:aws:sqs:us-east-1:123456789012:q', 'us-east-1', true))?.code,
    ).toBe('SNSInvalidTopic');
    expect(recordedTargetOf('http://127.0.0.1:9/hook')).toEqual({
      kind: 'webhook',
      url: 'http://127.0.0.1:9/hook',
    });
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
