import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher, OnEvent } from '@snapex/bus';
import {
  CredentialsValidated,
  EventPayload,
  eventIdFor,
  TaskFailed,
  taskEventFields,
  TaskStarted,
} from '@snapex/contracts';
import { ValidateExportAccess } from './validate-export-access.use-case';

@Injectable()
export class TaskStartedHandler {
  constructor(
    @Inject(ValidateExportAccess) private readonly validate: ValidateExportAccess,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  @OnEvent(TaskStarted)
  async handle(event: EventPayload<typeof TaskStarted>): Promise<void> {
    const verdict = await this.validate.execute(event.spec);
    const base = taskEventFields(event);
    if (verdict.ok) {
      await this.publisher.publish(CredentialsValidated, {
        ...base,
        eventId: eventIdFor(CredentialsValidated, event.taskId),
        spec: event.spec,
      });
      return;
    }
    await this.publisher.publish(TaskFailed, {
      ...base,
      eventId: eventIdFor(TaskFailed, event.taskId, 'VALIDATION'),
      stage: 'VALIDATION',
      failureCause: verdict.failureCause,
    });
  }
}
