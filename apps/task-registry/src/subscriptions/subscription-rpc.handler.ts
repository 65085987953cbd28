import { Inject, Injectable } from '@nestjs/common';
import { OnRpc } from '@snapex/bus';
import {
  CreateEventSubscriptionRpc,
  DeleteEventSubscriptionRpc,
  DeliveryWantedRpc,
  DescribeEventDeliveriesRpc,
  DescribeEventsRpc,
  DescribeEventSubscriptionsRpc,
  EventSubscriptionView,
  ModifyEventSubscriptionRpc,
  RecordDeliveryAttemptRpc,
  RecordRdsEventRpc,
  RpcRequest,
  RpcResponse,
} from '@snapex/contracts';
import { EventSubscriptionsUseCase } from './event-subscriptions.use-case';
import { RdsEventsUseCase } from './rds-events.use-case';

export const SUBSCRIPTION_RPCS = [
  CreateEventSubscriptionRpc,
  ModifyEventSubscriptionRpc,
  DeleteEventSubscriptionRpc,
  DescribeEventSubscriptionsRpc,
  DescribeEventsRpc,
  RecordRdsEventRpc,
  DeliveryWantedRpc,
  RecordDeliveryAttemptRpc,
  DescribeEventDeliveriesRpc,
];

@Injectable()
export class SubscriptionRpcHandler {
  constructor(
    @Inject(EventSubscriptionsUseCase) private readonly subscriptions: EventSubscriptionsUseCase,
    @Inject(RdsEventsUseCase) private readonly events: RdsEventsUseCase,
  ) {}

  @OnRpc(CreateEventSubscriptionRpc)
  onCreate(request: RpcRequest<typeof CreateEventSubscriptionRpc>): Promise<EventSubscriptionView> {
    return this.subscriptions.create(request.accountId, request.input);
  }

  @OnRpc(ModifyEventSubscriptionRpc)
  onModify(request: RpcRequest<typeof ModifyEventSubscriptionRpc>): Promise<EventSubscriptionView> {
    return this.subscriptions.modify(request.accountId, request.input);
  }

  @OnRpc(DeleteEventSubscriptionRpc)
  onDelete(request: RpcRequest<typeof DeleteEventSubscriptionRpc>): Promise<EventSubscriptionView> {
    return this.subscriptions.delete(request.accountId, request.input.SubscriptionName);
  }

  @OnRpc(DescribeEventSubscriptionsRpc)
  onDescribe(
    request: RpcRequest<typeof DescribeEventSubscriptionsRpc>,
  ): Promise<RpcResponse<typeof DescribeEventSubscriptionsRpc>> {
    return this.subscriptions.describe(request.accountId, request.input);
  }

  @OnRpc(DescribeEventsRpc)
  onDescribeEvents(
    request: RpcRequest<typeof DescribeEventsRpc>,
  ): Promise<RpcResponse<typeof DescribeEventsRpc>> {
    return this.events.describe(request.accountId, request.input);
  }

  @OnRpc(RecordRdsEventRpc)
  onRecordEvent(
    request: RpcRequest<typeof RecordRdsEventRpc>,
  ): Promise<RpcResponse<typeof RecordRdsEventRpc>> {
    return this.events.record(request);
  }

  @OnRpc(DeliveryWantedRpc)
  async onDeliveryWanted(
    request: RpcRequest<typeof DeliveryWantedRpc>,
  ): Promise<RpcResponse<typeof DeliveryWantedRpc>> {
    return { wanted: await this.events.deliveryWanted(request) };
  }

  @OnRpc(RecordDeliveryAttemptRpc)
  async onRecordDeliveryAttempt(
    request: RpcRequest<typeof RecordDeliveryAttemptRpc>,
  ): Promise<RpcResponse<typeof RecordDeliveryAttemptRpc>> {
    await this.events.recordAttempt(request);
    return {};
  }

  @OnRpc(DescribeEventDeliveriesRpc)
  onDescribeDeliveries(
    request: RpcRequest<typeof DescribeEventDeliveriesRpc>,
  ): Promise<RpcResponse<typeof DescribeEventDeliveriesRpc>> {
    return this.events.deliveries(request);
  }
}
