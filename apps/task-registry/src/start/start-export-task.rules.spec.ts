import { Fault, StartExportTaskInput } from '@snapex/contracts';
import {
  checkExportOnly,
  checkExportTaskIdentifier,
  checkIamRoleArn,
  checkKmsKeyId,
  checkS3BucketName,
  checkS3Prefix,
  MAX_EXPORT_ONLY_BYTES,
  MAX_IDENTIFIER_LENGTH,
  MAX_S3_PREFIX_BYTES,
  outputFormatOf,
  validateStartInput,
} from './start-export-task.rules';

function faultCodeOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof Fault) return error.code;
    throw error;
  }
}

const validInput: StartExportTaskInput = {
  ExportTaskIdentifier: 'my-snapshot-export',
  SourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders',
  S3BucketName: 'my-export-bucket',
  IamRoleArn: 'arn:aws:iam::123456789012:role/rds-s3-export-role',
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

describe('StartExportTask parameter rules', () => {
  it('accepts a request like the seed example and fills the optional parameters', () => {
    expect(validateStartInput(validInput)).toMatchObject({
      exportTaskIdentifier: 'my-snapshot-export',
      sourceArn: { kind: 'cluster', name: 'orders', accountId: '123456789012', region: 'us-east-1' },
      s3Prefix: '',
      exportOnly: [],
    });
  });

  it.each(['a', 'export1', 'Thursday-Events-Test', 'a1-b2-c3', 'x'.repeat(MAX_IDENTIFIER_LENGTH)])(
    'accepts the identifier %s',
    (identifier) => expect(faultCodeOf(() => checkExportTaskIdentifier(identifier))).toBeUndefined(),
  );

  it.each([
    '',
    '1abc',
    '-abc',
    'abc-',
    'a--b',
    'my_export',
    'with space',
    'dot.ted',
    'x'.repeat(MAX_IDENTIFIER_LENGTH + 1),
    'x'.repeat(255),
    'caf\u00e9',
  ])('refuses the identifier %j', (identifier) =>
    expect(faultCodeOf(() => checkExportTaskIdentifier(identifier))).toBe('InvalidParameterValue'),
  );

  it.each(['abc', 'my-export-bucket', 'exports.example.com', '123bucket', 'a'.repeat(63)])(
    'accepts the bucket name %s',
    (name) => expect(faultCodeOf(() => checkS3BucketName(name))).toBeUndefined(),
  );

  it.each([
    'ab',
    'a'.repeat(64),
    'My-Bucket',
    'under_score',
    '-leading',
    'trailing-',
    'two..dots',
    '192.168.1.1',
    'xn--punycode',
    'sthree-bucket',
    'bucket-s3alias',
    'bucket--ol-s3',
  ])('refuses the bucket name %s', (name) => {
    expect(faultCodeOf(() => checkS3BucketName(name))).toBe('InvalidS3BucketFault');
  });

  it.each([
    'arn:aws:iam::123456789012:role/export-role',
    'arn:aws:iam::123456789012:role/service-role/team/export+role=x,y.z@corp-1',
    'arn:aws-cn:iam::123456789012:role/export',
  ])('accepts the role ARN %s', (arn) => expect(faultCodeOf(() => checkIamRoleArn(arn))).toBeUndefined());

  it.each([
    'export-role',
    'arn:aws:iam::12345:role/export',
    'arn:aws:iam::123456789012:user/export',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:sts::123456789012:assumed-role/export/session',
  ])('refuses the role ARN %s', (arn) =>
    expect(faultCodeOf(() => checkIamRoleArn(arn))).toBe('InvalidParameterValue'),
  );

  it.each([
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'mrk-1234abcd12ab34cd56ef1234567890ab',
    'alias/export-key',
    'alias/team/export_key',
    'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    'arn:aws:kms:us-east-1:123456789012:alias/export-key',
  ])('accepts the KMS key id %s', (keyId) => expect(faultCodeOf(() => checkKmsKeyId(keyId))).toBeUndefined());

  it.each([
    'my-key',
    'alias/',
    'arn:aws:kms:us-east-1:123456789012:key/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'arn:aws:kms:us-east-1:1234:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:s3:::bucket',
  ])('refuses the KMS key id %s', (keyId) => {
    expect(faultCodeOf(() => checkKmsKeyId(keyId))).toBe('InvalidParameterValue');
  });

  it('refuses an S3 prefix with a colon and accepts other prefixes', () => {
    expect(faultCodeOf(() => checkS3Prefix('exports/2024-01-01'))).toBeUndefined();
    expect(faultCodeOf(() => checkS3Prefix(''))).toBeUndefined();
    expect(faultCodeOf(() => checkS3Prefix('exports:daily'))).toBe('InvalidParameterValue');
  });

  it('refuses an S3 prefix with control characters or longer than an S3 key', () => {
    expect(faultCodeOf(() => checkS3Prefix('with space/and "quotes"'))).toBeUndefined();
    expect(faultCodeOf(() => checkS3Prefix('line\nbreak'))).toBe('InvalidParameterValue');
    expect(faultCodeOf(() => checkS3Prefix('nul\u0000'))).toBe('InvalidParameterValue');
    expect(faultCodeOf(() => checkS3Prefix('p'.repeat(MAX_S3_PREFIX_BYTES)))).toBeUndefined();
    expect(faultCodeOf(() => checkS3Prefix('é'.repeat(MAX_S3_PREFIX_BYTES / 2 + 1)))).toBe(
      'InvalidParameterValue',
    );
  });

  it.each([['shop'], ['shop.public'], ['shop.public.orders'], ['my$db.s_1.T2'], []])(
    'accepts ExportOnly %j',
    (...items) => expect(faultCodeOf(() => checkExportOnly(items))).toBeUndefined(),
  );

  it.each([
    'shop.public.orders.extra',
    'shop..orders',
    '.shop',
    'shop.',
    'sh op',
    'shop.or-ders',
    'shop."Orders"',
    '',
  ])('refuses the ExportOnly entry %j', (item) =>
    expect(faultCodeOf(() => checkExportOnly(['shop', item]))).toBe('InvalidExportOnly'),
  );

  it('refuses an ExportOnly list over 200 KB', () => {
    const name = 'd'.repeat(99);
    const fits = Array.from({ length: Math.floor(MAX_EXPORT_ONLY_BYTES / 100) }, () => name);
    expect(faultCodeOf(() => checkExportOnly(fits))).toBeUndefined();
    expect(faultCodeOf(() => checkExportOnly([...fits, name]))).toBe('InvalidExportOnly');
  });

  it('checks the identifier before anything else', () => {
    expect(
      faultCodeOf(() => validateStartInput({ ...validInput, ExportTaskIdentifier: '', S3BucketName: 'x' })),
    ).toBe('InvalidParameterValue');
  });
});

describe('SnapexOutput', () => {
  const rds = { typeMode: 'aws', codec: 'gzip' } as const;

  it('records the RDS output as null, whether asked for or left out', () => {
    expect(outputFormatOf(undefined, rds)).toBeNull();
    expect(outputFormatOf({ TypeMode: 'aws', Codec: 'gzip' }, rds)).toBeNull();
    expect(validateStartInput(validInput).output).toBeNull();
  });

  it('fills what the request leaves out from the configured defaults', () => {
    expect(outputFormatOf(undefined, { typeMode: 'native', codec: 'zstd' })).toEqual({
      typeMode: 'native',
      compression: { codec: 'zstd' },
    });
    expect(outputFormatOf({ Codec: 'gzip', CodecLevel: 9, FileTargetBytes: 64 * 1024 ** 2 }, rds)).toEqual({
      typeMode: 'aws',
      compression: { codec: 'gzip', level: 9 },
      fileTargetBytes: 64 * 1024 ** 2,
    });
    expect(validateStartInput({ ...validInput, SnapexOutput: { TypeMode: 'native' } }).output).toEqual({
      typeMode: 'native',
      compression: { codec: 'gzip' },
    });
  });

  it.each([
    { TypeMode: 'arrow' },
    { Codec: 'lz4' },
    { Codec: 'gzip', CodecLevel: 10 },
    { Codec: 'zstd', CodecLevel: 0 },
    { Codec: 'zstd', CodecLevel: 23 },
    { Codec: 'snappy', CodecLevel: 1 },
    { FileTargetBytes: 1024 },
  ])('refuses %j as InvalidParameterValue', (given) =>
    expect(faultCodeOf(() => outputFormatOf(given, rds))).toBe('InvalidParameterValue'),
  );
});
