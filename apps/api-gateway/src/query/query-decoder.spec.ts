import { Fault } from '@snapex/contracts';
import { decodeQueryParameters } from './query-decoder';
import { DescribeExportTasksShape, StartExportTaskShape } from './query-shapes';

function parameters(text: string): Map<string, string> {
  return new Map(new URLSearchParams(text));
}

function faultOf(work: () => unknown): Fault {
  try {
    work();
  } catch (error) {
    if (error instanceof Fault) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('Query parameters', () => {
  it('rebuilds StartExportTask as the SDK serializes it, lists in member order', () => {
    const decoded = decodeQueryParameters(
      StartExportTaskShape,
      parameters(
        'ExportTaskIdentifier=x&SourceArn=arn%3Aaws%3Ards%3Aus-east-1%3A123456789012%3Acluster%3Ao' +
          '&S3BucketName=b&IamRoleArn=r&KmsKeyId=k&S3Prefix=p%20p&ExportOnly.member.2=b.c&ExportOnly.member.1=a',
      ),
    );
    expect(decoded).toEqual({
      ExportTaskIdentifier: 'x',
      SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:o',
      S3BucketName: 'b',
      IamRoleArn: 'r',
      KmsKeyId: 'k',
      S3Prefix: 'p p',
      ExportOnly: ['a', 'b.c'],
    });
  });

  it('reads snapex’s own SnapexOutput structure, its level and size as integers', () => {
    const decoded = decodeQueryParameters(
      StartExportTaskShape,
      parameters(
        'SnapexOutput.TypeMode=native&SnapexOutput.Codec=zstd&SnapexOutput.CodecLevel=9' +
          '&SnapexOutput.FileTargetBytes=268435456',
      ),
    );
    expect(decoded).toEqual({
      SnapexOutput: { TypeMode: 'native', Codec: 'zstd', CodecLevel: 9, FileTargetBytes: 268435456 },
    });
  });

  it('reads an empty list the way the SDK sends one', () => {
    expect(decodeQueryParameters(StartExportTaskShape, parameters('ExportOnly='))).toEqual({
      ExportOnly: [],
    });
  });

  it('rebuilds filters with their values, and numbers', () => {
    const decoded = decodeQueryParameters(
      DescribeExportTasksShape,
      parameters(
        'Filters.Filter.1.Name=status&Filters.Filter.1.Values.Value.1=starting&Filters.Filter.1.Values.Value.2=failed' +
          '&Filters.Filter.2.Name=s3-bucket&Filters.Filter.2.Values.Value.1=b&Marker=m%3D%2B%2F&MaxRecords=20&SourceType=CLUSTER',
      ),
    );
    expect(decoded).toEqual({
      Filters: [
        { Name: 'status', Values: ['starting', 'failed'] },
        { Name: 's3-bucket', Values: ['b'] },
      ],
      Marker: 'm=+/',
      MaxRecords: 20,
      SourceType: 'CLUSTER',
    });
  });

  it('keeps what does not fit the shape as text, for the schema to name', () => {
    expect(decodeQueryParameters(DescribeExportTasksShape, parameters('MaxRecords=ten'))).toEqual({
      MaxRecords: 'ten',
    });
    expect(decodeQueryParameters(StartExportTaskShape, parameters('ExportOnly=shop'))).toEqual({
      ExportOnly: 'shop',
    });
  });

  it.each([
    ['S3Prefx=typo', 'Unknown parameter S3Prefx.'],
    [
      'ExportOnly.member.1=a&ExportOnly.member.3=c',
      'The members of ExportOnly must be numbered 1, 2, 3… without gaps.',
    ],
    ['ExportOnly.member.0=a', 'Unknown parameter ExportOnly.member.0.'],
    ['ExportOnly.member.x=a', 'Unknown parameter ExportOnly.member.x.'],
    ['ExportOnly.member.1.extra=a', 'Unknown parameter ExportOnly.member.1.extra.'],
    ['ExportOnly.item.1=a', 'Unknown parameter ExportOnly.item.1.'],
  ])('refuses %s', (text, message) => {
    expect(faultOf(() => decodeQueryParameters(StartExportTaskShape, parameters(text)))).toMatchObject({
      code: 'InvalidParameterValue',
      message,
    });
  });

  it('refuses unknown members inside a filter', () => {
    expect(
      faultOf(() =>
        decodeQueryParameters(DescribeExportTasksShape, parameters('Filters.Filter.1.Nme=status')),
      ).message,
    ).toBe('Unknown parameter Filters.Filter.1.Nme.');
  });
});
