import { faultOf } from '../../../../test/support/fault-of';
import { describeCriteria } from './describe-criteria';
import { decodeMarker, encodeMarker } from './marker';

describe('DescribeExportTasks criteria', () => {
  it('lists everything, 100 at a time, by default', () => {
    expect(describeCriteria({})).toEqual({ conditions: [], maxRecords: 100, beforeSeq: undefined });
  });

  it('turns parameters and every filter name into conditions', () => {
    const criteria = describeCriteria({
      ExportTaskIdentifier: 'daily',
      SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
      SourceType: 'CLUSTER',
      Filters: [
        { Name: 'export-task-identifier', Values: ['daily', 'weekly'] },
        { Name: 's3-bucket', Values: ['exports'] },
        { Name: 'source-arn', Values: ['arn:aws:rds:us-east-1:123456789012:cluster:orders'] },
        { Name: 'status', Values: ['in_progress', 'CANCELING'] },
      ],
    });
    expect(criteria.conditions).toEqual([
      { column: 'export_task_identifier', values: ['daily'] },
      { column: 'source_arn', values: ['arn:aws:rds:us-east-1:123456789012:cluster:orders'] },
      { column: 'source_type', values: ['CLUSTER'] },
      { column: 'export_task_identifier', values: ['daily', 'weekly'] },
      { column: 's3_bucket', values: ['exports'] },
      { column: 'source_arn', values: ['arn:aws:rds:us-east-1:123456789012:cluster:orders'] },
      { column: 'status', values: ['IN_PROGRESS', 'CANCELING'] },
    ]);
  });

  it.each([
    [{ Filters: [{ Name: 'engine', Values: ['postgres'] }] }, /Unrecognized filter name: engine/],
    [{ Filters: [{ Name: 'status', Values: [] }] }, /at least one value/],
    [{ Filters: [{ Name: 'status', Values: ['done'] }] }, /Invalid status filter value: done/],
    [{ MaxRecords: 19 }, /MaxRecords/],
    [{ MaxRecords: 101 }, /MaxRecords/],
    [{ Marker: 'not-ours' }, /Marker/],
  ])('refuses %j', (input, message) => {
    const fault = faultOf(() => describeCriteria(input));
    expect(fault?.code).toBe('InvalidParameterValue');
    expect(fault?.message).toMatch(message);
  });

  it('accepts MaxRecords between 20 and 100', () => {
    expect(describeCriteria({ MaxRecords: 20 }).maxRecords).toBe(20);
    expect(describeCriteria({ MaxRecords: 100 }).maxRecords).toBe(100);
  });

  it('round-trips a marker and rejects tampered ones', () => {
    const marker = encodeMarker('12345');
    expect(marker).not.toContain('12345');
    expect(describeCriteria({ Marker: marker }).beforeSeq).toBe('12345');
    expect(faultOf(() => decodeMarker(Buffer.from('{"seq":"1; DROP"}').toString('base64url')))?.code).toBe(
      'InvalidParameterValue',
    );
    expect(faultOf(() => decodeMarker(Buffer.from('{"seq":7}').toString('base64url')))?.code).toBe(
      'InvalidParameterValue',
    );
  });

  it('accepts the largest bigint as a position and refuses anything out of its range', () => {
    expect(decodeMarker(encodeMarker('9223372036854775807'))).toBe('9223372036854775807');
    const outOfRange = [
      encodeMarker('9223372036854775808'),
      encodeMarker('9999999999999999999'),
      encodeMarker('-1'),
      encodeMarker('1e999'),
      encodeMarker('NaN'),
      Buffer.from('{"seq":1e999}').toString('base64url'),
      Buffer.from('null').toString('base64url'),
      '!!not base64!!',
    ];
    for (const marker of outOfRange) {
      expect(faultOf(() => decodeMarker(marker))?.code).toBe('InvalidParameterValue');
    }
  });
});
