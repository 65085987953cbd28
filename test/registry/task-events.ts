import {
  eventIdFor,
  EventPayload,
  ExportPlanned,
  PartitionAbandoned,
  PartitionExported,
  PartitionStarted,
  TableSkipped,
  TablePlanned,
  TaskCompleted,
  TaskFailed,
} from '@snapex/contracts';
import { TaskEventsHandler } from '../../apps/task-registry/src/events/task-events.handler';
import { BIGINT_ID_COLUMN } from '../support/fixtures';
import { RegistryStack } from './registry-stack';

/** The ids every event of one task carries. */
export interface TaskRef {
  taskId: string;
  accountId: string;
  exportTaskIdentifier: string;
}

export async function taskRef(stack: RegistryStack, accountId: string, identifier: string): Promise<TaskRef> {
  const { rows } = await stack.pool.query(
    'SELECT task_id FROM export_tasks WHERE account_id = $1 AND export_task_identifier = $2',
    [accountId, identifier],
  );
  if (rows.length !== 1) throw new Error(`no task ${identifier} in account ${accountId}`);
  return { taskId: rows[0].task_id, accountId, exportTaskIdentifier: identifier };
}

export function handlers(stack: RegistryStack): TaskEventsHandler {
  return stack.registry.get(TaskEventsHandler);
}

function base(task: TaskRef, eventId: string) {
  return { ...task, eventId, occurredAt: new Date().toISOString() };
}

export function tableRef(tableIndex: number) {
  return { tableIndex, database: 'shop', schema: 'public', table: `t${tableIndex}` };
}

export function tablePlanned(
  task: TaskRef,
  tableIndex: number,
  numberOfPartitions: number,
  estimatedBytes: number,
): EventPayload<typeof TablePlanned> {
  const table = tableRef(tableIndex);
  return {
    ...base(task, eventIdFor(TablePlanned, task.taskId, tableIndex)),
    table,
    target: `shop.public.${table.table}`,
    tableKeyPrefix: `${task.exportTaskIdentifier}/shop/public.${table.table}`,
    columns: [BIGINT_ID_COLUMN],
    partitioning: { numberOfPartitions, constraintType: 'PRIMARY_KEY', partitionColumns: [] },
    estimatedBytes,
  };
}

export function tableSkipped(
  task: TaskRef,
  tableIndex: number,
  reason: string,
): EventPayload<typeof TableSkipped> {
  const table = tableRef(tableIndex);
  return {
    ...base(task, eventIdFor(TableSkipped, task.taskId, tableIndex)),
    table,
    target: `shop.public.${table.table}`,
    reason,
  };
}

export function exportPlanned(
  task: TaskRef,
  counts: { tables: number; skipped: number; partitions: number },
  general: { reason: string }[] = [],
): EventPayload<typeof ExportPlanned> {
  return {
    ...base(task, eventIdFor(ExportPlanned, task.taskId)),
    exportTime: new Date().toISOString(),
    tableCount: counts.tables,
    skippedTableCount: counts.skipped,
    partitionCount: counts.partitions,
    general,
    skippedObjectives: [],
  };
}

export function partitionStarted(
  task: TaskRef,
  tableIndex: number,
  partitionIndex: number,
): EventPayload<typeof PartitionStarted> {
  return {
    ...base(task, eventIdFor(PartitionStarted, task.taskId, tableIndex, partitionIndex)),
    table: tableRef(tableIndex),
    partitionIndex,
    extractor: 'extractor-1',
  };
}

export function partitionExported(
  task: TaskRef,
  tableIndex: number,
  partitionIndex: number,
  bytes: number,
  eventId = eventIdFor(PartitionExported, task.taskId, tableIndex, partitionIndex),
): EventPayload<typeof PartitionExported> {
  const now = new Date().toISOString();
  return {
    ...base(task, eventId),
    table: tableRef(tableIndex),
    partitionIndex,
    rowCount: 10,
    bytes,
    objects: [
      {
        key: `${task.exportTaskIdentifier}/shop/public.t${tableIndex}/${partitionIndex}/part-00000.gz.parquet`,
        bytes,
        rows: 10,
      },
    ],
    startedAt: now,
    finishedAt: now,
  };
}

export function partitionAbandoned(
  task: TaskRef,
  tableIndex: number,
  partitionIndex: number,
): EventPayload<typeof PartitionAbandoned> {
  return {
    ...base(task, eventIdFor(PartitionAbandoned, task.taskId, tableIndex, partitionIndex)),
    table: tableRef(tableIndex),
    partitionIndex,
    reason: 'CANCELED',
  };
}

export function taskCompleted(task: TaskRef, totalBytes: number): EventPayload<typeof TaskCompleted> {
  return {
    ...base(task, eventIdFor(TaskCompleted, task.taskId)),
    taskEndTime: new Date().toISOString(),
    totalExtractedDataInGB: Math.floor(totalBytes / 1e9),
    totalBytes,
  };
}

export function taskFailed(
  task: TaskRef,
  failureCause: string,
  stage = 'EXTRACTION',
): EventPayload<typeof TaskFailed> {
  return {
    ...base(task, eventIdFor(TaskFailed, task.taskId, stage)),
    stage: stage as EventPayload<typeof TaskFailed>['stage'],
    failureCause,
  };
}
