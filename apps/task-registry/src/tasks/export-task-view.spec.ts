import { TaskRecord } from './task-record';
import { toExportTask } from './export-task-view';
import { warningMessage } from './warning-message';

const task: TaskRecord = {
  taskId: '8f0e3c4e-6f5b-4d7e-9a51-3b1f2a9d0c11',
  seq: '1',
  accountId: '123456789012',
  exportTaskIdentifier: 'daily',
  sourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
  sourceType: 'CLUSTER',
  sourceName: 'orders',
  engine: 'postgres',
  s3Bucket: 'exports',
  s3Prefix: '',
  iamRoleArn: 'arn:aws:iam::123456789012:role/export',
  kmsKeyId: 'alias/export',
  exportOnly: [],
  status: 'STARTING',
  percentProgress: 0,
  bytesExported: 0,
  totalExtractedGb: 0,
  exportTime: null,
  taskStartTime: new Date('2024-01-01T10:00:00.000Z'),
  taskEndTime: null,
  failureCause: null,
  warnings: [],
  skippedObjectives: [],
  plan: null,
  extractionCompletedAt: null,
  snapshot: null,
  output: null,
};

describe('the task as RDS shows it', () => {
  it('leaves out what is not known yet', () => {
    expect(toExportTask(task)).toEqual({
      ExportTaskIdentifier: 'daily',
      SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
      S3Bucket: 'exports',
      S3Prefix: '',
      IamRoleArn: 'arn:aws:iam::123456789012:role/export',
      KmsKeyId: 'alias/export',
      Status: 'STARTING',
      PercentProgress: 0,
      TotalExtractedDataInGB: 0,
      TaskStartTime: '2024-01-01T10:00:00.000Z',
      SourceType: 'CLUSTER',
    });
  });

  it('shows end time, failure cause, ExportOnly and warnings once they exist', () => {
    const view = toExportTask(
      {
        ...task,
        status: 'FAILED',
        exportOnly: ['shop'],
        exportTime: new Date('2024-01-01T10:01:00.000Z'),
        taskEndTime: new Date('2024-01-01T10:05:00.000Z'),
        failureCause: 'S3 credential check failed.',
        warnings: [{ reason: 'FAILED_TO_EXTRACT_TABLES_LIST_FOR_DATABASE' }],
      },
      [{ target: 'shop.public.secret', reason: 'PERMISSIONS_DO_NOT_EXIST' }],
    );
    expect(view).toMatchObject({
      ExportOnly: ['shop'],
      ExportTime: '2024-01-01T10:01:00.000Z',
      TaskEndTime: '2024-01-01T10:05:00.000Z',
      FailureCause: 'S3 credential check failed.',
    });
    expect(JSON.parse(view.WarningMessage!)).toEqual({
      skippedTables: [{ target: 'shop.public.secret', reason: 'PERMISSIONS_DO_NOT_EXIST' }],
      skippedObjectives: [],
      general: [{ reason: 'FAILED_TO_EXTRACT_TABLES_LIST_FOR_DATABASE' }],
    });
  });

  it('writes WarningMessage in RDS’s key order, and only when there is something to say', () => {
    expect(warningMessage([], [])).toBeUndefined();
    expect(warningMessage([], [{ reason: 'X', detail: 'why' }])).toBe(
      '{"skippedTables":[],"skippedObjectives":[],"general":[{"reason":"X","detail":"why"}]}',
    );
  });

  it('lists ExportOnly entries that matched nothing as skippedObjectives, alone enough to warn', () => {
    const view = toExportTask({
      ...task,
      skippedObjectives: [{ objective: 'shop.public.Orders', reason: 'OBJECT_NOT_FOUND', detail: 'why' }],
    });
    expect(view.WarningMessage).toBe(
      '{"skippedTables":[],"skippedObjectives":[{"objective":"shop.public.Orders","reason":"OBJECT_NOT_FOUND","detail":"why"}],"general":[]}',
    );
  });
});
