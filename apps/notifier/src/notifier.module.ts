import { DynamicModule } from '@nestjs/common';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { ServiceModule } from '@snapex/service';
import { NotificationPublisher } from './notification.publisher';
import { NOTIFIED_EVENTS, NotifierHandlers } from './notifier.handlers';

export const NotifierModule = {
  register(config: SnapexConfig, logger: Logger): DynamicModule {
    return ServiceModule.create({
      config,
      logger,
      failureStage: null,
      bus: { service: 'notifier', consumes: NOTIFIED_EVENTS },
      providers: [NotificationPublisher, NotifierHandlers],
    });
  },
};
