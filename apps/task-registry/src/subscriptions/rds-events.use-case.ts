import { Inject, Injectable } from '@nestjs/common';
import { PermanentError } from '@snapex/bus';
import {
  DeliveryWantedRpc,
  DescribeEventDeliveriesRpc,
  DescribeEventsInput,
  EXPORT_EVENT_CATEGORY,
  eventSourceOf,
  Fault,
  RdsEventSchema,
  RecordRdsEventRpc,
  RpcRequest,
  RpcResponse,
} from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { maxRecordsOf } from '../describe/describe-criteria';
import { decodeMarker, encodeMarker } from '../describe/marker';
import { TaskRepository } from '../tasks/task.repository';
import { EventSubscriptionRepository } from './event-subscription.repository';
import { DeliveryAttempt, RdsEventRepository } from './rds-event.repository';
import { eventCategoriesOf, recordedTargetOf, sourceTypeOf } from './subscription-rules';

/** RDS keeps events for 14 days; DescribeEvents looks back an hour unless told otherwise. */
const DEFAULT_DURATION_MINUTES = 60;
const MAX_DURATION_MINUTES = 14 * 24 * 60;

/** The RDS events of exports: recorded once, listed by DescribeEvents, delivered to matching subscriptions. */
@Injectable()
export class RdsEventsUseCase {
  constructor(
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(TaskRepository) private readonly tasks: TaskRepository,
    @Inject(RdsEventRepository) private readonly events: RdsEventRepository,
    @Inject(EventSubscriptionRepository) private readonly subscriptions: EventSubscriptionRepository,
  ) {}

  async record(
    request: RpcRequest<typeof RecordRdsEventRpc>,
  ): Promise<RpcResponse<typeof RecordRdsEventRpc>> {
    return this.database.transaction(async (tx) => {
      const task = await this.tasks.findByTaskId(tx, request.taskId);
      if (!task) throw new PermanentError(`task ${request.taskId} is unknown`);
      const event = await this.events.record(
        tx,
        RdsEventSchema.parse({
          eventId: request.eventId,
          accountId: task.accountId,
          taskId: task.taskId,
          exportTaskIdentifier: task.exportTaskIdentifier,
          rdsEventId: request.rdsEventId,
          ...eventSourceOf(task.sourceArn),
          sourceArn: task.sourceArn,
          message: request.message,
          eventCategories: [EXPORT_EVENT_CATEGORY],
          date: request.date,
        }),
      );
      const matching = await this.subscriptions.matching(tx, event);
      return {
        event,
        deliveries: matching.map((subscription) => ({
          subscriptionName: subscription.name,
          target: recordedTargetOf(subscription.snsTopicArn),
        })),
      };
    });
  }

  async describe(accountId: string, input: DescribeEventsInput, now = new Date()) {
    if (input.Filters && input.Filters.length > 0) {
      throw new Fault('InvalidParameterValue', 'DescribeEvents takes no filters.');
    }
    const sourceType = sourceTypeOf(input.SourceType);
    if (input.SourceIdentifier !== undefined && !sourceType) {
      throw new Fault(
        'InvalidParameterCombination',
        'Cannot specify source identifier without specifying source type.',
      );
    }
    const { from, to } = windowOf(input, now);
    const maxRecords = maxRecordsOf(input.MaxRecords);
    const rows = await this.database.read((connection) =>
      this.events.list(connection, {
        accountId,
        from,
        to,
        sourceType,
        sourceIdentifier: input.SourceIdentifier,
        categories: input.EventCategories ? eventCategoriesOf(input.EventCategories, sourceType) : undefined,
        afterSeq: input.Marker === undefined ? undefined : decodeMarker(input.Marker),
        limit: maxRecords + 1,
      }),
    );
    const page = rows.slice(0, maxRecords);
    return {
      events: page.map((row) => RdsEventSchema.parse(row)),
      ...(rows.length > maxRecords ? { marker: encodeMarker(page[page.length - 1].seq) } : {}),
    };
  }

  async deliveryWanted(request: RpcRequest<typeof DeliveryWantedRpc>): Promise<boolean> {
    const subscription = await this.database.read((connection) =>
      this.subscriptions.find(connection, request.accountId, request.subscriptionName),
    );
    if (!subscription?.enabled) return false;
    const target = recordedTargetOf(subscription.snsTopicArn);
    return JSON.stringify(target) === JSON.stringify(request.target);
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.database.transaction(async (tx) => {
      await this.events.recordAttempt(tx, attempt);
      if (attempt.targetStatus) {
        await this.subscriptions.setTargetStatus(
          tx,
          attempt.accountId,
          attempt.subscriptionName,
          attempt.targetStatus,
        );
      }
    });
  }

  async deliveries(
    request: RpcRequest<typeof DescribeEventDeliveriesRpc>,
  ): Promise<RpcResponse<typeof DescribeEventDeliveriesRpc>> {
    const maxRecords = maxRecordsOf(request.input.MaxRecords);
    const rows = await this.database.read((connection) =>
      this.events.deliveries(connection, {
        accountId: request.accountId,
        subscriptionName: request.input.SubscriptionName,
        status: request.input.Status,
        beforeSeq: request.input.Marker === undefined ? undefined : decodeMarker(request.input.Marker),
        limit: maxRecords + 1,
      }),
    );
    const page = rows.slice(0, maxRecords);
    return {
      EventDeliveries: page.map(({ seq: _seq, ...delivery }) => delivery),
      ...(rows.length > maxRecords ? { Marker: encodeMarker(page[page.length - 1].seq) } : {}),
    };
  }
}

/** StartTime/EndTime, or Duration minutes back from now (60 by default), as RDS reads them. */
export function windowOf(input: DescribeEventsInput, now: Date): { from: Date; to: Date } {
  if (input.Duration !== undefined && (input.Duration < 1 || input.Duration > MAX_DURATION_MINUTES)) {
    throw new Fault(
      'InvalidParameterValue',
      `The parameter Duration must be between 1 and ${MAX_DURATION_MINUTES} minutes.`,
    );
  }
  const to = input.EndTime ? new Date(input.EndTime) : now;
  const from = input.StartTime
    ? new Date(input.StartTime)
    : new Date(to.getTime() - (input.Duration ?? DEFAULT_DURATION_MINUTES) * 60_000);
  if (from > to) throw new Fault('InvalidParameterValue', 'StartTime must be before EndTime.');
  return { from, to };
}
