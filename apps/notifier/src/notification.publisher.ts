import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher } from '@snapex/bus';
import { Notification, NotificationSchema, notificationSubject } from '@snapex/contracts';

/** Publishes notifications on the per-account subjects; the source event's id de-duplicates them. */
@Injectable()
export class NotificationPublisher {
  constructor(@Inject(EventPublisher) private readonly publisher: EventPublisher) {}

  async publish(notification: Notification): Promise<void> {
    const checked = NotificationSchema.parse(notification);
    await this.publisher.publishRaw(
      notificationSubject(checked.accountId, checked.category),
      `notification:${checked.notificationId}`,
      JSON.stringify(checked),
    );
  }
}
