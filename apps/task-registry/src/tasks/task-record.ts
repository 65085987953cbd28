import {
  Engine,
  ExportTaskStatus,
  Fault,
  OutputFormat,
  SkippedObjective,
  SnapshotSource,
  SourceType,
  TaskSpec,
} from '@snapex/contracts';

export interface GeneralWarning {
  reason: string;
  detail?: string;
}

/** What ExportPlanned told the registry about the export as a whole. */
export interface PlanSummary {
  tableCount: number;
  skippedTableCount: number;
  partitionCount: number;
}

/** One row of export_tasks, in the shape the code works with. */
export interface TaskRecord {
  taskId: string;
  seq: string;
  accountId: string;
  exportTaskIdentifier: string;
  sourceArn: string;
  sourceType: SourceType;
  sourceName: string;
  engine: Engine;
  s3Bucket: string;
  s3Prefix: string;
  iamRoleArn: string;
  kmsKeyId: string;
  exportOnly: string[];
  status: ExportTaskStatus;
  percentProgress: number;
  bytesExported: number;
  totalExtractedGb: number;
  exportTime: Date | null;
  taskStartTime: Date;
  taskEndTime: Date | null;
  failureCause: string | null;
  warnings: GeneralWarning[];
  skippedObjectives: SkippedObjective[];
  plan: PlanSummary | null;
  extractionCompletedAt: Date | null;
  /** The snapshot a SourceType SNAPSHOT export reads; null for a live cluster. */
  snapshot: SnapshotSource | null;
  /** How the Parquet files are written; null for the RDS output. */
  output: OutputFormat | null;
}

export function specOf(task: TaskRecord): TaskSpec {
  return {
    taskId: task.taskId,
    accountId: task.accountId,
    exportTaskIdentifier: task.exportTaskIdentifier,
    sourceArn: task.sourceArn,
    sourceType: task.sourceType,
    sourceName: task.sourceName,
    engine: task.engine,
    s3Bucket: task.s3Bucket,
    s3Prefix: task.s3Prefix,
    iamRoleArn: task.iamRoleArn,
    kmsKeyId: task.kmsKeyId,
    exportOnly: task.exportOnly,
    ...(task.snapshot ? { snapshot: task.snapshot } : {}),
    ...(task.output ? { output: task.output } : {}),
  };
}

/** The task a stage asked about, or the fault it gets when the registry holds no such task. */
export function requireTask(task: TaskRecord | undefined, taskId: string): TaskRecord {
  if (!task) throw new Fault('ExportTaskNotFound', `No export task has the task id ${taskId}.`);
  return task;
}

/** A caller's task by its identifier, or the fault RDS answers for one the caller's account does not have. */
export function requireOwnTask(task: TaskRecord | undefined, identifier: string): TaskRecord {
  if (!task)
    throw new Fault('ExportTaskNotFound', `The export task with the ID ${identifier} can't be found.`);
  return task;
}
