import { Inject, Injectable } from '@nestjs/common';
import { RetryableError, RpcClient } from '@snapex/bus';
import { ErrorCode, NatsError } from 'nats';
import {
  CancelExportTaskRpc,
  CreateEventSubscriptionRpc,
  DeleteEventSubscriptionRpc,
  DescribeEventDeliveriesRpc,
  DescribeEventsRpc,
  DescribeEventSubscriptionsRpc,
  EventSubscriptionView,
  ModifyEventSubscriptionRpc,
  CreateSnapshotRpc,
  DeleteSnapshotRpc,
  DescribeSnapshotsResult,
  DescribeSnapshotsRpc,
  RegisterSnapshotRpc,
  SnapshotView,
  DescribeExportTablesRpc,
  DescribeExportTasksInput,
  DescribeExportTasksRpc,
  ExportTask,
  Fault,
  RpcContract,
  RpcRequest,
  RpcResponse,
  StartExportTaskInput,
  StartExportTaskRpc,
  TableReport,
} from '@snapex/contracts';

export type DescribeExportTasksResult = RpcResponse<typeof DescribeExportTasksRpc>;

/** task-registry as the gateway sees it; an unreachable registry is the service's fault, not the caller's. */
@Injectable()
export class RegistryClient {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  startExportTask(accountId: string, input: StartExportTaskInput): Promise<ExportTask> {
    return this.call(StartExportTaskRpc, { accountId, input });
  }

  describeExportTasks(
    accountId: string,
    input: DescribeExportTasksInput,
  ): Promise<DescribeExportTasksResult> {
    return this.call(DescribeExportTasksRpc, { accountId, input });
  }

  cancelExportTask(accountId: string, exportTaskIdentifier: string): Promise<ExportTask> {
    return this.call(CancelExportTaskRpc, {
      accountId,
      input: { ExportTaskIdentifier: exportTaskIdentifier },
    });
  }

  describeExportTables(accountId: string, exportTaskIdentifier: string): Promise<TableReport[]> {
    return this.call(DescribeExportTablesRpc, {
      accountId,
      input: { ExportTaskIdentifier: exportTaskIdentifier },
    }).then((result) => result.tables);
  }

  createSnapshot(request: RpcRequest<typeof CreateSnapshotRpc>): Promise<SnapshotView> {
    return this.call(CreateSnapshotRpc, request);
  }

  registerSnapshot(request: RpcRequest<typeof RegisterSnapshotRpc>): Promise<SnapshotView> {
    return this.call(RegisterSnapshotRpc, request);
  }

  describeSnapshots(request: RpcRequest<typeof DescribeSnapshotsRpc>): Promise<DescribeSnapshotsResult> {
    return this.call(DescribeSnapshotsRpc, request);
  }

  deleteSnapshot(request: RpcRequest<typeof DeleteSnapshotRpc>): Promise<SnapshotView> {
    return this.call(DeleteSnapshotRpc, request);
  }

  createEventSubscription(
    request: RpcRequest<typeof CreateEventSubscriptionRpc>,
  ): Promise<EventSubscriptionView> {
    return this.call(CreateEventSubscriptionRpc, request);
  }

  modifyEventSubscription(
    request: RpcRequest<typeof ModifyEventSubscriptionRpc>,
  ): Promise<EventSubscriptionView> {
    return this.call(ModifyEventSubscriptionRpc, request);
  }

  deleteEventSubscription(
    request: RpcRequest<typeof DeleteEventSubscriptionRpc>,
  ): Promise<EventSubscriptionView> {
    return this.call(DeleteEventSubscriptionRpc, request);
  }

  describeEventSubscriptions(
    request: RpcRequest<typeof DescribeEventSubscriptionsRpc>,
  ): Promise<RpcResponse<typeof DescribeEventSubscriptionsRpc>> {
    return this.call(DescribeEventSubscriptionsRpc, request);
  }

  describeEvents(
    request: RpcRequest<typeof DescribeEventsRpc>,
  ): Promise<RpcResponse<typeof DescribeEventsRpc>> {
    return this.call(DescribeEventsRpc, request);
  }

  describeEventDeliveries(
    request: RpcRequest<typeof DescribeEventDeliveriesRpc>,
  ): Promise<RpcResponse<typeof DescribeEventDeliveriesRpc>> {
    return this.call(DescribeEventDeliveriesRpc, request);
  }

  private async call<C extends RpcContract>(contract: C, request: RpcRequest<C>): Promise<RpcResponse<C>> {
    try {
      return await this.rpc.call(contract, request);
    } catch (error) {
      if (error instanceof RetryableError && isTooLargeForTheBus(error.cause)) {
        throw new Fault(
          'PayloadTooLarge',
          'The request is too large to be carried out. Send fewer or shorter parameter values.',
        );
      }
      if (error instanceof RetryableError) {
        throw new Fault(
          'ServiceUnavailable',
          'The export service is temporarily unavailable. Try again later.',
        );
      }
      throw error;
    }
  }
}

/** A request that does not fit in one bus message will never fit: it is the caller's to shorten. */
function isTooLargeForTheBus(cause: unknown): boolean {
  return cause instanceof NatsError && cause.code === ErrorCode.MaxPayloadExceeded;
}
