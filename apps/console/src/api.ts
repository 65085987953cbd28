import { AccessKeyPair, signedHeaders } from './signing';

/** Who the console acts for: an access key pair (requests signed with SigV4) or an API key. */
export type Credentials = ({ kind: 'access-key' } & AccessKeyPair) | { kind: 'api-key'; apiKey: string };

/** An RDS fault as the API answered it: its code and message are shown as they are. */
export class ApiFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function callApi<T>(credentials: Credentials, path: string, body?: unknown): Promise<T> {
  const method = body === undefined ? 'GET' : 'POST';
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const base: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
  const headers =
    credentials.kind === 'api-key'
      ? { ...base, 'x-api-key': credentials.apiKey }
      : await signedHeaders(credentials, method, path, base, payload);
  const response = await fetch(path, { method, headers, body: payload });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const error = parsed?.Error ?? {};
    throw new ApiFault(error.Code ?? 'Error', error.Message ?? response.statusText, response.status);
  }
  return parsed as T;
}

export interface ExportTask {
  ExportTaskIdentifier: string;
  SourceArn: string;
  ExportOnly?: string[];
  ExportTime?: string;
  TaskStartTime?: string;
  TaskEndTime?: string;
  S3Bucket: string;
  S3Prefix?: string;
  IamRoleArn: string;
  KmsKeyId: string;
  Status: string;
  PercentProgress: number;
  TotalExtractedDataInGB: number;
  FailureCause?: string;
  WarningMessage?: string;
  SourceType: string;
}

export interface TableStatus {
  target: string;
  status: string;
  sizeGB: number;
  tableStatistics: {
    extractionStartTime: string | null;
    extractionEndTime: string | null;
    rowCount: number;
    partitioningInfo: { numberOfPartitions: number; numberOfCompletedPartitions: number } | null;
  };
  warningMessage?: string;
  warningDetail?: string;
}

export interface Snapshot {
  identifier: string;
  source: string;
  kind: 'DB snapshot' | 'DB cluster snapshot';
  arn: string;
  engine: string;
  status: string;
  snapshotType: string;
  percentProgress: number;
  createTime: string;
  failureReason?: string;
}

export interface Cluster {
  DBClusterIdentifier: string;
  DBClusterArn: string;
  Engine: string;
  Status: string;
}

export const ACTIVE_STATUSES = ['STARTING', 'IN_PROGRESS', 'CANCELING'];

/** Both kinds of snapshot of one type (manual or automated), newest first. */
export async function listSnapshots(credentials: Credentials, snapshotType: string): Promise<Snapshot[]> {
  const [instance, cluster] = await Promise.all([
    callApi<{ DBSnapshots: any[] }>(credentials, '/v1/DescribeDBSnapshots', { SnapshotType: snapshotType }),
    callApi<{ DBClusterSnapshots: any[] }>(credentials, '/v1/DescribeDBClusterSnapshots', {
      SnapshotType: snapshotType,
    }),
  ]);
  const common = (s: any) => ({
    engine: s.Engine,
    status: s.Status,
    snapshotType: s.SnapshotType,
    percentProgress: s.PercentProgress,
    createTime: s.SnapshotCreateTime,
    failureReason: s.FailureReason,
  });
  return [
    ...instance.DBSnapshots.map((s) => ({
      identifier: s.DBSnapshotIdentifier,
      source: s.DBInstanceIdentifier,
      kind: 'DB snapshot' as const,
      arn: s.DBSnapshotArn,
      ...common(s),
    })),
    ...cluster.DBClusterSnapshots.map((s) => ({
      identifier: s.DBClusterSnapshotIdentifier,
      source: s.DBClusterIdentifier,
      kind: 'DB cluster snapshot' as const,
      arn: s.DBClusterSnapshotArn,
      ...common(s),
    })),
  ].sort((a, b) => (a.createTime < b.createTime ? 1 : -1));
}

export function deleteSnapshot(credentials: Credentials, snapshot: Snapshot): Promise<unknown> {
  return snapshot.kind === 'DB snapshot'
    ? callApi(credentials, '/v1/DeleteDBSnapshot', { DBSnapshotIdentifier: snapshot.identifier })
    : callApi(credentials, '/v1/DeleteDBClusterSnapshot', {
        DBClusterSnapshotIdentifier: snapshot.identifier,
      });
}

export function cancelExport(credentials: Credentials, identifier: string): Promise<ExportTask> {
  return callApi(credentials, '/v1/CancelExportTask', { ExportTaskIdentifier: identifier });
}
