import { DynamicModule } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { awsClientsProvider } from '@snapex/aws';
import { DeliveryRequested } from '@snapex/contracts';
import { DeliverEventHandler } from './delivery/deliver-event.handler';
import { EventFanOut } from './delivery/event-fan-out';
import { SnsSender } from './delivery/sns-sender';
import { WebhookSender } from './delivery/webhook-sender';
import { NotificationPublisher } from './notification.publisher';
import { NOTIFIED_EVENTS, NotifierHandlers } from './notifier.handlers';

export const NotifierModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    return ServiceModule.create({
      config,
      logger,
      failureStage: null,
      bus: {
        service: 'notifier',
        consumes: [...NOTIFIED_EVENTS, DeliveryRequested],
        tuning: {
          perSubject: {
            // The handler dead-letters at maxAttempts; the margin covers a notifier that died mid-attempt.
            [DeliveryRequested.subject]: {
              maxDeliver: config.notifier.maxAttempts + 2,
              concurrency: config.notifier.concurrency,
            },
          },
        },
      },
      providers: [
        awsClientsProvider(config),
        NotificationPublisher,
        NotifierHandlers,
        EventFanOut,
        SnsSender,
        WebhookSender,
        DeliverEventHandler,
      ],
    });
  },
};
