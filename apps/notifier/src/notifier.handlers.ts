import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@snapex/bus';
import {
  CancelRequested,
  EventPayload,
  TablePlanned,
  TableSkipped,
  TaskCanceled,
  TaskCompleted,
  TaskFailed,
  TaskProgressed,
  TaskStarted,
} from '@snapex/contracts';
import { toNotification } from './notification-mapper';
import { NotificationPublisher } from './notification.publisher';

@Injectable()
export class NotifierHandlers {
  constructor(@Inject(NotificationPublisher) private readonly notifications: NotificationPublisher) {}

  @OnEvent(TaskStarted)
  started(event: EventPayload<typeof TaskStarted>) {
    return this.notifications.publish(toNotification.started(event));
  }

  @OnEvent(TaskProgressed)
  progressed(event: EventPayload<typeof TaskProgressed>) {
    return this.notifications.publish(toNotification.progressed(event));
  }

  @OnEvent(TablePlanned)
  async tablePlanned(event: EventPayload<typeof TablePlanned>) {
    if (!event.singleWorkerReason) return;
    await this.notifications.publish(toNotification.singleThreaded(event));
  }

  @OnEvent(TableSkipped)
  tableSkipped(event: EventPayload<typeof TableSkipped>) {
    return this.notifications.publish(toNotification.tableSkipped(event));
  }

  @OnEvent(TaskCompleted)
  completed(event: EventPayload<typeof TaskCompleted>) {
    return this.notifications.publish(toNotification.completed(event));
  }

  @OnEvent(TaskFailed)
  failed(event: EventPayload<typeof TaskFailed>) {
    return this.notifications.publish(toNotification.failed(event));
  }

  @OnEvent(CancelRequested)
  cancelRequested(event: EventPayload<typeof CancelRequested>) {
    return this.notifications.publish(toNotification.cancelRequested(event));
  }

  @OnEvent(TaskCanceled)
  canceled(event: EventPayload<typeof TaskCanceled>) {
    return this.notifications.publish(toNotification.canceled(event));
  }
}

export const NOTIFIED_EVENTS = [
  TaskStarted,
  TaskProgressed,
  TablePlanned,
  TableSkipped,
  TaskCompleted,
  TaskFailed,
  CancelRequested,
  TaskCanceled,
];
