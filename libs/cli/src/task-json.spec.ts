import { formatJson, taskJson } from './task-json';

describe('task output', () => {
  it('prints a task as the seed’s examples do: ISO times, ExportTime, absent fields left out', () => {
    const printed = taskJson({
      ExportTaskIdentifier: 'my-snapshot-export',
      SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
      SnapshotTime: new Date('2019-08-12T01:23:53.109Z'),
      TaskStartTime: new Date('2019-11-13T19:46:00.173Z'),
      S3Bucket: 'my-export-bucket',
      S3Prefix: '',
      IamRoleArn: 'iam-role',
      KmsKeyId: 'my-key',
      Status: 'STARTING',
      PercentProgress: 0,
      TotalExtractedDataInGB: 0,
      ExportOnly: [],
      SourceType: 'CLUSTER',
    });
    expect(printed).toEqual({
      ExportTaskIdentifier: 'my-snapshot-export',
      SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
      ExportTime: '2019-08-12T01:23:53.109Z',
      TaskStartTime: '2019-11-13T19:46:00.173Z',
      S3Bucket: 'my-export-bucket',
      S3Prefix: '',
      IamRoleArn: 'iam-role',
      KmsKeyId: 'my-key',
      Status: 'STARTING',
      PercentProgress: 0,
      TotalExtractedDataInGB: 0,
      SourceType: 'CLUSTER',
    });
    expect(formatJson({ Status: 'STARTING' })).toBe('{\n    "Status": "STARTING"\n}\n');
  });
});
