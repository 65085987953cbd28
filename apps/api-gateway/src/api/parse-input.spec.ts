import { Fault } from '@snapex/contracts';
import { DescribeExportTasksBody, StartExportTaskBody } from './input-schemas';
import { parseInput } from './parse-input';

const start = {
  ExportTaskIdentifier: 'daily',
  SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
  S3BucketName: 'exports',
  IamRoleArn: 'arn:aws:iam::123456789012:role/export',
  KmsKeyId: 'alias/export',
};

function faultOf(schema: Parameters<typeof parseInput>[0], body: unknown): Fault {
  try {
    parseInput(schema, body);
  } catch (error) {
    if (error instanceof Fault) return error;
    throw error;
  }
  throw new Error('input was accepted');
}

describe('request body checks', () => {
  it('passes a well-formed body through, treating null as absent', () => {
    expect(parseInput(StartExportTaskBody, { ...start, S3Prefix: null })).toEqual(start);
  });

  it('names a missing parameter', () => {
    const withoutKey: Record<string, unknown> = { ...start };
    delete withoutKey.KmsKeyId;
    expect(faultOf(StartExportTaskBody, withoutKey)).toMatchObject({
      code: 'MissingParameter',
      message: 'The request must contain the parameter KmsKeyId.',
    });
  });

  it('names a parameter of the wrong type, down to the list item', () => {
    expect(faultOf(StartExportTaskBody, { ...start, ExportOnly: ['shop', 3] })).toMatchObject({
      code: 'InvalidParameterValue',
      message: 'Invalid type for parameter ExportOnly[1]: expected string, got number.',
    });
    expect(
      faultOf(DescribeExportTasksBody, { Filters: [{ Name: 'status', Values: 'failed' }] }).message,
    ).toBe('Invalid type for parameter Filters[0].Values: expected array, got string.');
    expect(faultOf(DescribeExportTasksBody, { MaxRecords: 20.5 }).message).toMatch(/MaxRecords/);
  });

  it('refuses unknown parameters and values outside an enumeration', () => {
    expect(faultOf(StartExportTaskBody, { ...start, S3Prefx: 'x' }).message).toBe(
      'Unknown parameter S3Prefx.',
    );
    expect(
      faultOf(DescribeExportTasksBody, { Filters: [{ Name: 'status', Values: [], Extra: 1 }] }).message,
    ).toBe('Unknown parameter Filters[0].Extra.');
    expect(faultOf(DescribeExportTasksBody, { SourceType: 'INSTANCE' })).toMatchObject({
      code: 'InvalidParameterValue',
      message: 'Invalid value for parameter SourceType: must be one of SNAPSHOT, CLUSTER.',
    });
  });
});

describe('control characters', () => {
  it('refuses a NUL or any other control character in any string, naming the parameter', () => {
    expect(faultOf(StartExportTaskBody, { ...start, KmsKeyId: 'alias/x\u0000' })).toMatchObject({
      code: 'InvalidParameterValue',
      message: 'Invalid value for parameter KmsKeyId: must not contain control characters.',
    });
    expect(faultOf(StartExportTaskBody, { ...start, ExportOnly: ['shop', 'a\u0000'] }).message).toBe(
      'Invalid value for parameter ExportOnly[1]: must not contain control characters.',
    );
    expect(
      faultOf(DescribeExportTasksBody, { Filters: [{ Name: 'status', Values: ['failed', '\u0085'] }] })
        .message,
    ).toBe('Invalid value for parameter Filters[0].Values[1]: must not contain control characters.');
  });

  it('refuses them even where no schema would look', () => {
    expect(faultOf(StartExportTaskBody, { ...start, Unknown: { deep: ['\u0000'] } }).message).toBe(
      'Invalid value for parameter Unknown.deep[0]: must not contain control characters.',
    );
  });

  it('walks a deeply nested body without exhausting the stack', () => {
    const nested = JSON.parse(`${'['.repeat(200_000)}"\\u0000"${']'.repeat(200_000)}`);
    expect(faultOf(StartExportTaskBody, { ...start, ExportOnly: nested }).code).toBe('InvalidParameterValue');
  });

  it('leaves printable unicode alone', () => {
    expect(parseInput(StartExportTaskBody, { ...start, S3Prefix: 'données/表' }).S3Prefix).toBe('données/表');
  });
});
