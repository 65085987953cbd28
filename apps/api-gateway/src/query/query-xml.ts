import { ExportTask } from '@snapex/contracts';
import { XMLBuilder } from 'fast-xml-parser';
import { DescribeExportTasksResult } from '../api/registry.client';
import { ApiError } from '../http/error-response';

export const RDS_XML_NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';
export const XML_CONTENT_TYPE = 'text/xml';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
});
const DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

/** `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata>…` as RDS answers. */
export function actionResponseXml(
  action: string,
  result: Record<string, unknown>,
  requestId: string,
): string {
  return build({
    [`${action}Response`]: {
      '@_xmlns': RDS_XML_NAMESPACE,
      [`${action}Result`]: result,
      ResponseMetadata: { RequestId: requestId },
    },
  });
}

export function errorResponseXml(error: ApiError, requestId: string): string {
  return build({
    ErrorResponse: {
      '@_xmlns': RDS_XML_NAMESPACE,
      Error: { Type: error.status < 500 ? 'Sender' : 'Receiver', Code: error.code, Message: error.message },
      RequestId: requestId,
    },
  });
}

/**
 * The ExportTask members in the order of the RDS model. The consistent point the export reads at is
 * SnapshotTime on the wire, the name the RDS API gives it (the seed's older examples call it ExportTime).
 */
export function exportTaskXml(task: ExportTask): Record<string, unknown> {
  return withoutAbsent({
    ExportTaskIdentifier: task.ExportTaskIdentifier,
    SourceArn: task.SourceArn,
    ExportOnly: task.ExportOnly && task.ExportOnly.length > 0 ? { member: task.ExportOnly } : undefined,
    SnapshotTime: task.SnapshotTime ?? task.ExportTime,
    TaskStartTime: task.TaskStartTime,
    TaskEndTime: task.TaskEndTime,
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
  });
}

export function describeExportTasksXml(result: DescribeExportTasksResult): Record<string, unknown> {
  return withoutAbsent({
    ExportTasks: { ExportTask: result.ExportTasks.map(exportTaskXml) },
    Marker: result.Marker,
  });
}

function withoutAbsent(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function build(document: Record<string, unknown>): string {
  return builder.build({ ...DECLARATION, ...(xmlSafe(document) as Record<string, unknown>) }) as string;
}

/** XML 1.0 cannot carry control characters at all, even escaped; echoed input may contain them. */
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlSafe(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(NOT_XML_CHARACTER, '\uFFFD');
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, xmlSafe(item)]));
  }
  return value;
}
