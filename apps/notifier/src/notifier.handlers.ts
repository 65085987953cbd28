import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@snapex/bus';
import {
  CancelRequested,
  EventBase,
  EventPayload,
  Notification,
  RdsEventIdSchema,
  TablePlanned,
  TableSkipped,
  TableStillExporting,
  TaskCanceled,
  TaskCompleted,
  TaskFailed,
  TaskProgressed,
  TaskStarted,
} from '@snapex/contracts';
import { EventFanOut } from './delivery/event-fan-out';
import { toNotification } from './notification-mapper';
import { NotificationPublisher } from './notification.publisher';

@Injectable()
export class NotifierHandlers {
  constructor(
    @Inject(NotificationPublisher) private readonly notifications: NotificationPublisher,
    @Inject(EventFanOut) private readonly fanOut: EventFanOut,
  ) {}

  @OnEvent(TaskStarted)
  started(event: EventPayload<typeof TaskStarted>) {
    return this.notify(event, toNotification.started(event));
  }

  @OnEvent(TaskProgressed)
  progressed(event: EventPayload<typeof TaskProgressed>) {
    return this.notify(event, toNotification.progressed(event));
  }

  @OnEvent(TablePlanned)
  async tablePlanned(event: EventPayload<typeof TablePlanned>) {
    if (!event.singleWorkerReason) return;
    await this.notify(event, toNotification.singleThreaded(event));
  }

  @OnEvent(TableSkipped)
  tableSkipped(event: EventPayload<typeof TableSkipped>) {
    return this.notify(event, toNotification.tableSkipped(event));
  }

  @OnEvent(TableStillExporting)
  tableStillExporting(event: EventPayload<typeof TableStillExporting>) {
    return this.notify(event, toNotification.tableStillExporting(event));
  }

  @OnEvent(TaskCompleted)
  completed(event: EventPayload<typeof TaskCompleted>) {
    return this.notify(event, toNotification.completed(event));
  }

  @OnEvent(TaskFailed)
  failed(event: EventPayload<typeof TaskFailed>) {
    return this.notify(event, toNotification.failed(event));
  }

  @OnEvent(CancelRequested)
  cancelRequested(event: EventPayload<typeof CancelRequested>) {
    return this.notify(event, toNotification.cancelRequested(event));
  }

  @OnEvent(TaskCanceled)
  canceled(event: EventPayload<typeof TaskCanceled>) {
    return this.notify(event, toNotification.canceled(event));
  }

  /** On the account's notification subject, and to event subscriptions where RDS defines the event. */
  private async notify(event: EventBase, notification: Notification): Promise<void> {
    await this.notifications.publish(notification);
    const rdsEventId = RdsEventIdSchema.safeParse(notification.rdsEventId);
    if (rdsEventId.success) await this.fanOut.fanOut(event, { ...notification, rdsEventId: rdsEventId.data });
  }
}

export const NOTIFIED_EVENTS = [
  TaskStarted,
  TaskProgressed,
  TablePlanned,
  TableSkipped,
  TableStillExporting,
  TaskCompleted,
  TaskFailed,
  CancelRequested,
  TaskCanceled,
];
