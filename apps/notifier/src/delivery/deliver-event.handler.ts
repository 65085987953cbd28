import { Inject, Injectable } from '@nestjs/common';
import { MessageContext, OnEvent, RetryableError, RpcClient } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import {
  DeliveryOutcome,
  DeliveryRequested,
  DeliveryWantedRpc,
  EventPayload,
  RecordDeliveryAttemptRpc,
} from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER } from '@snapex/service';
import { DeliveryFailure } from './delivery-failure';
import { retryDelayMs } from './retry-schedule';
import { SnsSender } from './sns-sender';
import { WebhookSender } from './webhook-sender';

type Delivery = EventPayload<typeof DeliveryRequested>;

/**
 * Delivers one event to one subscription. A failed attempt is logged and retried after a growing,
 * jittered delay; after notifier.maxAttempts it is dead-lettered and the work item is done.
 */
@Injectable()
export class DeliverEventHandler {
  constructor(
    @Inject(SnsSender) private readonly sns: SnsSender,
    @Inject(WebhookSender) private readonly webhooks: WebhookSender,
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(DeliveryRequested)
  async deliver(delivery: Delivery, context: MessageContext): Promise<void> {
    const attempt = context.attempt;
    const { wanted } = await this.rpc.call(DeliveryWantedRpc, {
      accountId: delivery.accountId,
      subscriptionName: delivery.subscriptionName,
      target: delivery.target,
    });
    if (!wanted) {
      this.logger.info(
        { deliveryId: delivery.eventId, taskId: delivery.taskId },
        'subscription deleted, disabled or moved since the event was queued; not delivered',
      );
      return;
    }
    const started = Date.now();
    try {
      const { httpStatus } = await this.send(delivery, attempt);
      await this.record(delivery, attempt, 'delivered', started, { httpStatus, targetStatus: 'active' });
      return;
    } catch (error) {
      if (!(error instanceof DeliveryFailure)) throw error;
      const { maxAttempts } = this.config.notifier;
      const outcome: DeliveryOutcome = attempt >= maxAttempts ? 'dead-lettered' : 'failed';
      await this.record(delivery, attempt, outcome, started, {
        httpStatus: error.details.httpStatus,
        targetStatus: error.details.targetStatus,
        error: error.message,
      });
      const log = { deliveryId: delivery.eventId, taskId: delivery.taskId, attempt, err: error };
      if (outcome === 'dead-lettered') {
        this.logger.error(log, 'event delivery dead-lettered');
        return;
      }
      const delayMs = retryDelayMs(attempt, this.config.notifier);
      this.logger.warn({ ...log, delayMs }, 'event delivery failed; will retry');
      throw new RetryableError(error.message, delayMs, { cause: error, exactDelay: true });
    }
  }

  private async send(delivery: Delivery, attempt: number): Promise<{ httpStatus?: number }> {
    const { target } = delivery;
    if (target.kind === 'sns') {
      await this.sns.send(target.topicArn, delivery.event);
      return {};
    }
    return this.webhooks.send({
      deliveryId: delivery.eventId,
      attempt,
      accountId: delivery.accountId,
      subscriptionName: delivery.subscriptionName,
      url: target.url,
      event: delivery.event,
    });
  }

  private async record(
    delivery: Delivery,
    attempt: number,
    outcome: DeliveryOutcome,
    started: number,
    details: {
      httpStatus?: number;
      targetStatus?: 'active' | 'no-permission' | 'topic-not-exist';
      error?: string;
    },
  ): Promise<void> {
    await this.rpc.call(RecordDeliveryAttemptRpc, {
      deliveryId: delivery.eventId,
      accountId: delivery.accountId,
      subscriptionName: delivery.subscriptionName,
      target: delivery.target,
      event: delivery.event,
      attempt,
      outcome,
      durationMs: Date.now() - started,
      ...(details.httpStatus === undefined ? {} : { httpStatus: details.httpStatus }),
      ...(details.targetStatus ? { targetStatus: details.targetStatus } : {}),
      ...(details.error ? { error: details.error.slice(0, 2000) } : {}),
    });
  }
}
