import { z } from 'zod';
import { EngineSchema } from './engine';
import { OutputFormatSchema } from './output-format';
import { SnapshotSourceSchema } from './snapshot';

export const EXPORT_TASK_STATUSES = [
  'STARTING',
  'IN_PROGRESS',
  'COMPLETE',
  'FAILED',
  'CANCELING',
  'CANCELED',
] as const;
export const ExportTaskStatusSchema = z.enum(EXPORT_TASK_STATUSES);
export type ExportTaskStatus = z.infer<typeof ExportTaskStatusSchema>;

export const TERMINAL_STATUSES: readonly ExportTaskStatus[] = ['COMPLETE', 'FAILED', 'CANCELED'];
export const ACTIVE_STATUSES: readonly ExportTaskStatus[] = ['STARTING', 'IN_PROGRESS', 'CANCELING'];

export const SourceTypeSchema = z.enum(['SNAPSHOT', 'CLUSTER']);
export type SourceType = z.infer<typeof SourceTypeSchema>;

export { EngineSchema, type Engine } from './engine';

/** The export task as RDS shows it (DescribeExportTasks / StartExportTask responses). */
export const ExportTaskSchema = z.object({
  ExportTaskIdentifier: z.string(),
  SourceArn: z.string(),
  ExportOnly: z.array(z.string()).optional(),
  SnapshotTime: z.string().optional(),
  ExportTime: z.string().optional(),
  TaskStartTime: z.string().optional(),
  TaskEndTime: z.string().optional(),
  S3Bucket: z.string(),
  S3Prefix: z.string(),
  IamRoleArn: z.string(),
  KmsKeyId: z.string(),
  Status: ExportTaskStatusSchema,
  PercentProgress: z.number().int(),
  TotalExtractedDataInGB: z.number().int(),
  FailureCause: z.string().optional(),
  WarningMessage: z.string().optional(),
  SourceType: SourceTypeSchema,
});
export type ExportTask = z.infer<typeof ExportTaskSchema>;

/** What every stage needs to know about where an export comes from and goes to. */
export const TaskSpecSchema = z.object({
  taskId: z.string().uuid(),
  accountId: z.string().regex(/^\d{12}$/),
  exportTaskIdentifier: z.string().min(1),
  sourceArn: z.string(),
  sourceType: SourceTypeSchema,
  sourceName: z.string().min(1),
  engine: EngineSchema,
  s3Bucket: z.string().min(3),
  s3Prefix: z.string(),
  iamRoleArn: z.string(),
  kmsKeyId: z.string(),
  exportOnly: z.array(z.string()),
  /** Present for SourceType SNAPSHOT: the archive the restorer restores into a scratch database. */
  snapshot: SnapshotSourceSchema.optional(),
  /** How the Parquet files are written; absent, the RDS output (AWS types, gzip, configured sizes). */
  output: OutputFormatSchema.optional(),
});
export type TaskSpec = z.infer<typeof TaskSpecSchema>;
