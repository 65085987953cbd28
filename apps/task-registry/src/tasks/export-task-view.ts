import { ExportTask } from '@snapex/contracts';
import { TaskRecord } from './task-record';
import { SkippedTable, warningMessage } from './warning-message';

/** The task as RDS shows it: RDS field names, ISO times, absent fields left out. */
export function toExportTask(task: TaskRecord, skippedTables: SkippedTable[] = []): ExportTask {
  const view: ExportTask = {
    ExportTaskIdentifier: task.exportTaskIdentifier,
    SourceArn: task.sourceArn,
    S3Bucket: task.s3Bucket,
    S3Prefix: task.s3Prefix,
    IamRoleArn: task.iamRoleArn,
    KmsKeyId: task.kmsKeyId,
    Status: task.status,
    PercentProgress: task.percentProgress,
    TotalExtractedDataInGB: task.totalExtractedGb,
    TaskStartTime: task.taskStartTime.toISOString(),
    SourceType: task.sourceType,
  };
  if (task.exportOnly.length > 0) view.ExportOnly = task.exportOnly;
  if (task.snapshot) view.SnapshotTime = task.snapshot.snapshotTime;
  if (task.exportTime) view.ExportTime = task.exportTime.toISOString();
  if (task.taskEndTime) view.TaskEndTime = task.taskEndTime.toISOString();
  if (task.failureCause) view.FailureCause = task.failureCause;
  const warning = warningMessage(skippedTables, task.warnings, task.skippedObjectives);
  if (warning) view.WarningMessage = warning;
  return view;
}
