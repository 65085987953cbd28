import { PublishCommand } from '@aws-sdk/client-sns';
import { Inject, Injectable } from '@nestjs/common';
import { AwsClients } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { RdsEvent, SNS_EVENT_SUBJECT, snsEventMessageOf } from '@snapex/contracts';
import { CONFIG } from '@snapex/service';
import { DeliveryFailure } from './delivery-failure';

/** SNS error codes that say the subscription's topic is gone, or snapex may not publish to it. */
const TOPIC_GONE = new Set(['NotFound', 'NotFoundException']);
const NOT_ALLOWED = new Set([
  'AuthorizationError',
  'AuthorizationErrorException',
  'AccessDenied',
  'AccessDeniedException',
]);

/** Publishes an event to an SNS topic as RDS does: its JSON message under the subject "RDS Notification Message". */
@Injectable()
export class SnsSender {
  constructor(
    @Inject(AwsClients) private readonly aws: AwsClients,
    @Inject(CONFIG) private readonly config: SnapexConfig,
  ) {}

  async send(topicArn: string, event: RdsEvent): Promise<void> {
    try {
      await this.aws.serviceSns().send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: SNS_EVENT_SUBJECT,
          Message: JSON.stringify(snsEventMessageOf(event, this.config.region)),
        }),
        { abortSignal: AbortSignal.timeout(this.config.notifier.requestTimeoutMs) },
      );
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new DeliveryFailure(`SNS Publish to ${topicArn} failed: ${code}: ${(error as Error).message}`, {
        httpStatus: status,
        targetStatus: TOPIC_GONE.has(code)
          ? 'topic-not-exist'
          : NOT_ALLOWED.has(code)
            ? 'no-permission'
            : undefined,
        cause: error,
      });
    }
  }
}
