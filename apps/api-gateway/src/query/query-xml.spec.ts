import { ExportTask } from '@snapex/contracts';
import { XMLParser } from 'fast-xml-parser';
import { actionResponseXml, describeExportTasksXml, errorResponseXml, exportTaskXml } from './query-xml';

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

const task: ExportTask = {
  ExportTaskIdentifier: 'my-export',
  SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
  ExportOnly: ['shop', 'shop.public'],
  ExportTime: '2026-01-02T03:04:05.678Z',
  TaskStartTime: '2026-01-02T03:00:00.000Z',
  S3Bucket: 'exports',
  S3Prefix: '',
  IamRoleArn: 'arn:aws:iam::123456789012:role/export',
  KmsKeyId: 'alias/export',
  Status: 'IN_PROGRESS',
  PercentProgress: 37,
  TotalExtractedDataInGB: 0,
  WarningMessage: '{"skippedTables":[],"skippedObjectives":[],"general":[]}',
  SourceType: 'CLUSTER',
};

describe('Query XML', () => {
  it('wraps a result as <Action>Response/<Action>Result with the request id', () => {
    const xml = actionResponseXml('StartExportTask', exportTaskXml(task), 'request-1');
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?><StartExportTaskResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><StartExportTaskResult><ExportTaskIdentifier>my-export</ExportTaskIdentifier>',
      ),
    ).toBe(true);
    const document = parser.parse(xml).StartExportTaskResponse;
    expect(document.ResponseMetadata.RequestId).toBe('request-1');
    expect(document.StartExportTaskResult).toMatchObject({
      ExportOnly: { member: ['shop', 'shop.public'] },
      SnapshotTime: '2026-01-02T03:04:05.678Z',
      PercentProgress: '37',
      S3Prefix: '',
      WarningMessage: task.WarningMessage,
    });
  });

  it('lists tasks as ExportTasks/ExportTask and keeps the marker', () => {
    const xml = actionResponseXml(
      'DescribeExportTasks',
      describeExportTasksXml({ ExportTasks: [task, task], Marker: 'm' }),
      'r',
    );
    const result = parser.parse(xml).DescribeExportTasksResponse.DescribeExportTasksResult;
    expect(result.ExportTasks.ExportTask).toHaveLength(2);
    expect(result.Marker).toBe('m');
    expect(
      actionResponseXml('DescribeExportTasks', describeExportTasksXml({ ExportTasks: [] }), 'r'),
    ).toContain('<ExportTasks/>');
  });

  it('renders faults as RDS ErrorResponse, escaping and replacing what XML cannot carry', () => {
    const xml = errorResponseXml(
      {
        status: 404,
        code: 'DBClusterNotFoundFault',
        message: 'DBCluster <a&b>\u0000 not found.',
        unexpected: false,
      },
      'r',
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">' +
        '<Error><Type>Sender</Type><Code>DBClusterNotFoundFault</Code><Message>DBCluster &lt;a&amp;b&gt;\uFFFD not found.</Message></Error>' +
        '<RequestId>r</RequestId></ErrorResponse>',
    );
    expect(
      errorResponseXml({ status: 503, code: 'ServiceUnavailable', message: 'x', unexpected: false }, 'r'),
    ).toContain('<Type>Receiver</Type>');
  });
});
