import { ExportTask } from '@aws-sdk/client-rds';

/**
 * A task as the seed's `aws rds` examples print it: RDS's PascalCase names, ISO 8601 times, absent
 * fields left out. The consistent point the data is read at is ExportTime there (SnapshotTime in the
 * current RDS API).
 */
export function taskJson(task: ExportTask): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    ExportTaskIdentifier: task.ExportTaskIdentifier,
    SourceArn: task.SourceArn,
    ExportOnly: task.ExportOnly?.length ? task.ExportOnly : undefined,
    ExportTime: isoTime(task.SnapshotTime),
    TaskStartTime: isoTime(task.TaskStartTime),
    TaskEndTime: isoTime(task.TaskEndTime),
    S3Bucket: task.S3Bucket,
    S3Prefix: task.S3Prefix,
    IamRoleArn: task.IamRoleArn,
    KmsKeyId: task.KmsKeyId,
    Status: task.Status,
    PercentProgress: task.PercentProgress,
    TotalExtractedDataInGB: task.TotalExtractedDataInGB,
    FailureCause: task.FailureCause,
    WarningMessage: task.WarningMessage,
    SourceType: task.SourceType,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function isoTime(time: Date | undefined): string | undefined {
  return time?.toISOString();
}

/** The AWS CLI indents its JSON by four spaces. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
