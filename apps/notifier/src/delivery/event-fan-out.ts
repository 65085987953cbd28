import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher, RpcClient } from '@snapex/bus';
import { DeliveryRequested, EventBase, Notification, RdsEventId, RecordRdsEventRpc } from '@snapex/contracts';

/**
 * Turns a notification that RDS has an event for into that RDS event: recorded once by the registry
 * (DescribeEvents lists it), then one work item per subscription that takes it. Every id derives
 * from the source event's, so a redelivered event records and queues nothing new.
 */
@Injectable()
export class EventFanOut {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  async fanOut(source: EventBase, notification: Notification & { rdsEventId: RdsEventId }): Promise<void> {
    const { event, deliveries } = await this.rpc.call(RecordRdsEventRpc, {
      eventId: source.eventId,
      taskId: source.taskId,
      rdsEventId: notification.rdsEventId,
      message: notification.message,
      date: notification.occurredAt,
    });
    for (const delivery of deliveries) {
      await this.publisher.publish(DeliveryRequested, {
        eventId: `${event.eventId}:${delivery.subscriptionName}`,
        taskId: source.taskId,
        accountId: source.accountId,
        exportTaskIdentifier: source.exportTaskIdentifier,
        occurredAt: source.occurredAt,
        subscriptionName: delivery.subscriptionName,
        target: delivery.target,
        event,
      });
    }
  }
}
