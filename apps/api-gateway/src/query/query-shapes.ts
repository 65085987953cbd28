/**
 * How the Query protocol flattens an action's input, as the RDS model and the official SDK serialize
 * it: `ExportOnly.member.1`, `Filters.Filter.1.Name`, `Filters.Filter.1.Values.Value.1`.
 */
export type QueryShape =
  | { type: 'string' }
  | { type: 'integer' }
  | { type: 'list'; memberName: string; member: QueryShape }
  | { type: 'structure'; members: Record<string, QueryShape> };

const string: QueryShape = { type: 'string' };
const integer: QueryShape = { type: 'integer' };

const list = (memberName: string, member: QueryShape): QueryShape => ({ type: 'list', memberName, member });
const structure = (members: Record<string, QueryShape>): QueryShape => ({ type: 'structure', members });

export const StartExportTaskShape = structure({
  ExportTaskIdentifier: string,
  SourceArn: string,
  S3BucketName: string,
  IamRoleArn: string,
  KmsKeyId: string,
  S3Prefix: string,
  ExportOnly: list('member', string),
});

export const DescribeExportTasksShape = structure({
  ExportTaskIdentifier: string,
  SourceArn: string,
  Filters: list('Filter', structure({ Name: string, Values: list('Value', string) })),
  Marker: string,
  MaxRecords: integer,
  SourceType: string,
});

export const CancelExportTaskShape = structure({ ExportTaskIdentifier: string });
