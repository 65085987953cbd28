import {
  CancelRequested,
  EventPayload,
  Notification,
  TablePlanned,
  TableSkipped,
  TableStillExporting,
  TaskCanceled,
  TaskCompleted,
  TaskFailed,
  TaskProgressed,
  TaskStarted,
} from '@snapex/contracts';

type Base = { eventId: string; accountId: string; exportTaskIdentifier: string; occurredAt: string };

function notification(
  event: Base,
  fields: Omit<Notification, 'notificationId' | 'accountId' | 'exportTaskIdentifier' | 'occurredAt'>,
): Notification {
  return {
    notificationId: event.eventId,
    accountId: event.accountId,
    exportTaskIdentifier: event.exportTaskIdentifier,
    occurredAt: event.occurredAt,
    ...fields,
  };
}

/** Each lifecycle event as subscribers read it, with the RDS event id where RDS defines one. */
export const toNotification = {
  started: (event: EventPayload<typeof TaskStarted>) =>
    notification(event, {
      category: 'started',
      sourceArn: event.spec.sourceArn,
      status: 'STARTING',
      message: `Export task ${event.exportTaskIdentifier} started.`,
    }),
  progressed: (event: EventPayload<typeof TaskProgressed>) =>
    notification(event, {
      category: 'progress',
      rdsEventId: 'RDS-EVENT-0488',
      status: 'IN_PROGRESS',
      percentProgress: event.percentProgress,
      message:
        `Export task ${event.exportTaskIdentifier} is ${event.percentProgress}% done: ` +
        `${event.tablesDone} of ${event.tablesTotal} tables and ${event.partitionsDone} of ${event.partitionsTotal} partitions exported.`,
      detail: { bytesExported: event.bytesExported },
    }),
  /** RDS announces tables that have no key to cut them by, since they export on one worker. */
  singleThreaded: (event: EventPayload<typeof TablePlanned>) =>
    notification(event, {
      category: 'table-single-threaded',
      rdsEventId: 'RDS-EVENT-0486',
      status: 'IN_PROGRESS',
      message:
        `Table ${event.target} has no numeric primary key or other column to partition by; ` +
        'it is exported by a single worker, which takes longer.',
      detail: { target: event.target, estimatedBytes: event.estimatedBytes },
    }),
  tableSkipped: (event: EventPayload<typeof TableSkipped>) =>
    notification(event, {
      category: 'table-skipped',
      rdsEventId: 'RDS-EVENT-0484',
      message: `Table ${event.target} was skipped: ${event.reason}.`,
      detail: { target: event.target, reason: event.reason, detail: event.detail },
    }),
  /** RDS reports a table that runs long with the data exported so far. */
  tableStillExporting: (event: EventPayload<typeof TableStillExporting>) =>
    notification(event, {
      category: 'table-in-progress',
      rdsEventId: 'RDS-EVENT-0487',
      status: 'IN_PROGRESS',
      message:
        `Table ${event.target} is still being exported, since ${event.extractionStartTime}: ` +
        `${(event.bytesExported / 1024 ** 3).toFixed(2)} GB exported so far.`,
      detail: {
        target: event.target,
        bytesExported: event.bytesExported,
        extractionStartTime: event.extractionStartTime,
      },
    }),
  completed: (event: EventPayload<typeof TaskCompleted>) =>
    notification(event, {
      category: 'completed',
      rdsEventId: 'RDS-EVENT-0161',
      status: 'COMPLETE',
      percentProgress: 100,
      message: `Export task ${event.exportTaskIdentifier} completed: ${event.totalExtractedDataInGB} GB extracted.`,
      detail: { totalBytes: event.totalBytes, taskEndTime: event.taskEndTime },
    }),
  failed: (event: EventPayload<typeof TaskFailed>) =>
    notification(event, {
      category: 'failed',
      rdsEventId: 'RDS-EVENT-0159',
      status: 'FAILED',
      message: `Export task ${event.exportTaskIdentifier} failed: ${event.failureCause}`,
      detail: { stage: event.stage },
    }),
  cancelRequested: (event: EventPayload<typeof CancelRequested>) =>
    notification(event, {
      category: 'canceling',
      status: 'CANCELING',
      message: `Export task ${event.exportTaskIdentifier} is being canceled.`,
    }),
  canceled: (event: EventPayload<typeof TaskCanceled>) =>
    notification(event, {
      category: 'canceled',
      rdsEventId: 'RDS-EVENT-0160',
      status: 'CANCELED',
      message: `Export task ${event.exportTaskIdentifier} was canceled.`,
    }),
};
