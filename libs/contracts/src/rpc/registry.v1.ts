import { z } from 'zod';
import {
  ExportTaskSchema,
  ExportTaskStatusSchema,
  SourceTypeSchema,
  TaskSpecSchema,
} from '../model/export-task';
import {
  ColumnPlanSchema,
  PartitioningInfoSchema,
  SingleWorkerReasonSchema,
  TableRefSchema,
} from '../model/table-plan';
import { NulledValueCountSchema } from '../model/nulled-values';
import { InputText } from '../input-text';
import { defineRpc } from './rpc-contract';

const AccountId = z.string().regex(/^\d{12}$/);

export const StartExportTaskInputSchema = z.object({
  ExportTaskIdentifier: InputText,
  SourceArn: InputText,
  S3BucketName: InputText,
  IamRoleArn: InputText,
  KmsKeyId: InputText,
  S3Prefix: InputText.optional(),
  ExportOnly: z.array(InputText).optional(),
  /** snapex's own parameter, not RDS's: how the Parquet files are written (README, Output format). */
  SnapexOutput: z
    .object({
      TypeMode: InputText.optional(),
      Codec: InputText.optional(),
      CodecLevel: z.number().int().optional(),
      FileTargetBytes: z.number().int().optional(),
    })
    .strict()
    .optional(),
});
export type StartExportTaskInput = z.infer<typeof StartExportTaskInputSchema>;

export const StartExportTaskRpc = defineRpc(
  'snapex.rpc.registry.start-export-task.v1',
  z.object({ accountId: AccountId, input: StartExportTaskInputSchema }),
  ExportTaskSchema,
);

export const DescribeFilterSchema = z.object({ Name: InputText, Values: z.array(InputText) });

export const DescribeExportTasksInputSchema = z.object({
  ExportTaskIdentifier: InputText.optional(),
  SourceArn: InputText.optional(),
  SourceType: SourceTypeSchema.optional(),
  Filters: z.array(DescribeFilterSchema).optional(),
  Marker: InputText.optional(),
  MaxRecords: z.number().int().optional(),
});
export type DescribeExportTasksInput = z.infer<typeof DescribeExportTasksInputSchema>;

export const DescribeExportTasksRpc = defineRpc(
  'snapex.rpc.registry.describe-export-tasks.v1',
  z.object({ accountId: AccountId, input: DescribeExportTasksInputSchema }),
  z.object({ ExportTasks: z.array(ExportTaskSchema), Marker: z.string().optional() }),
);

export const CancelExportTaskRpc = defineRpc(
  'snapex.rpc.registry.cancel-export-task.v1',
  z.object({ accountId: AccountId, input: z.object({ ExportTaskIdentifier: InputText }) }),
  ExportTaskSchema,
);

/** Cheap status look-up for stages that must not work on a task that has ended or is canceling. */
export const GetTaskStatusRpc = defineRpc(
  'snapex.rpc.registry.get-task-status.v1',
  z.object({ taskId: z.string().uuid() }),
  z.object({
    status: ExportTaskStatusSchema,
    /** The task's plan is recorded: planning it again would only be refused. */
    planRecorded: z.boolean(),
  }),
);

/**
 * What an extractor asks before reading a partition: whether its task still wants it, and whether
 * an earlier attempt already exported it (a redelivery after a crash between upload and ack).
 */
export const GetPartitionStateRpc = defineRpc(
  'snapex.rpc.registry.get-partition-state.v1',
  z.object({
    taskId: z.string().uuid(),
    tableIndex: z.number().int().nonnegative(),
    partitionIndex: z.number().int().positive(),
  }),
  z.object({
    taskStatus: ExportTaskStatusSchema,
    partitionStatus: z.enum(['NOT_STARTED', 'STARTED', 'EXPORTED', 'ABANDONED']),
    /** Another partition of the table found a row too large to export: the whole table is skipped. */
    tableSkipped: z.boolean(),
  }),
);

export const TableReportSchema = z.object({
  table: TableRefSchema,
  target: z.string(),
  tableKeyPrefix: z.string().nullable(),
  status: z.enum(['PLANNED', 'IN_PROGRESS', 'COMPLETE', 'SKIPPED', 'CANCELED']),
  skipReason: z.string().nullable(),
  skipDetail: z.string().nullable(),
  columns: z.array(ColumnPlanSchema),
  partitioning: PartitioningInfoSchema.nullable(),
  /** Why a table large enough to cut was read by one worker; null when it was not. */
  singleWorkerReason: SingleWorkerReasonSchema.nullable(),
  numberOfCompletedPartitions: z.number().int(),
  rowCount: z.number().int(),
  bytes: z.number().int(),
  extractionStartTime: z.string().nullable(),
  extractionEndTime: z.string().nullable(),
  /** Objects already written for a table skipped during extraction, which the export must not keep. */
  objectKeys: z.array(z.string()),
  /** Values the table's exported partitions have as NULL though the source held one, by column and reason. */
  nulledValues: z.array(NulledValueCountSchema),
});
export type TableReport = z.infer<typeof TableReportSchema>;

/** Everything metadata-writer needs to describe a finished export. */
export const GetExportReportRpc = defineRpc(
  'snapex.rpc.registry.get-export-report.v1',
  z.object({ taskId: z.string().uuid() }),
  z.object({
    spec: TaskSpecSchema,
    task: ExportTaskSchema,
    totalBytes: z.number().int(),
    tables: z.array(TableReportSchema),
  }),
);

/** The tables of one of the caller's tasks as they stand, planned, running or done: what the console lists. */
export const DescribeExportTablesRpc = defineRpc(
  'snapex.rpc.registry.describe-export-tables.v1',
  z.object({ accountId: AccountId, input: z.object({ ExportTaskIdentifier: InputText }) }),
  z.object({ tables: z.array(TableReportSchema) }),
);
