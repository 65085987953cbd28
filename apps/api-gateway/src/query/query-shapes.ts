/**
 * How the Query protocol flattens an action's input, as the RDS model and the official SDK serialize
 * it: `ExportOnly.member.1`, `Filters.Filter.1.Name`, `Filters.Filter.1.Values.Value.1`.
 */
export type QueryShape =
  | { type: 'string' }
  | { type: 'integer' }
  | { type: 'boolean' }
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
  // snapex's own: `SnapexOutput.TypeMode=native&SnapexOutput.Codec=zstd&SnapexOutput.CodecLevel=9`.
  SnapexOutput: structure({ TypeMode: string, Codec: string, CodecLevel: integer, FileTargetBytes: integer }),
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

const boolean: QueryShape = { type: 'boolean' };
const tags = list('Tag', structure({ Key: string, Value: string }));
const filters = list('Filter', structure({ Name: string, Values: list('Value', string) }));

/** Inputs of the snapshot actions, whose parameter names depend on the kind of snapshot. */
export const SnapshotShapes = {
  create: (identifier: string, source: string) =>
    structure({ [identifier]: string, [source]: string, Tags: tags }),
  register: (identifier: string, source: string) =>
    structure({
      [identifier]: string,
      [source]: string,
      Engine: string,
      Dumps: list('member', structure({ Database: string, Format: string, S3Key: string })),
    }),
  describe: (identifier: string, source: string) =>
    structure({
      [identifier]: string,
      [source]: string,
      SnapshotType: string,
      Filters: filters,
      Marker: string,
      MaxRecords: integer,
      IncludeShared: boolean,
      IncludePublic: boolean,
    }),
  delete: (identifier: string) => structure({ [identifier]: string }),
};

/** Inputs of the event subscription actions and DescribeEvents. */
export const EventShapes = {
  create: structure({
    SubscriptionName: string,
    SnsTopicArn: string,
    SourceType: string,
    EventCategories: list('EventCategory', string),
    SourceIds: list('SourceId', string),
    Enabled: boolean,
    Tags: tags,
  }),
  modify: structure({
    SubscriptionName: string,
    SnsTopicArn: string,
    SourceType: string,
    EventCategories: list('EventCategory', string),
    Enabled: boolean,
  }),
  delete: structure({ SubscriptionName: string }),
  describeSubscriptions: structure({
    SubscriptionName: string,
    Filters: filters,
    MaxRecords: integer,
    Marker: string,
  }),
  describeEvents: structure({
    SourceIdentifier: string,
    SourceType: string,
    StartTime: string,
    EndTime: string,
    Duration: integer,
    EventCategories: list('EventCategory', string),
    Filters: filters,
    MaxRecords: integer,
    Marker: string,
  }),
  describeDeliveries: structure({
    SubscriptionName: string,
    Status: string,
    MaxRecords: integer,
    Marker: string,
  }),
};
