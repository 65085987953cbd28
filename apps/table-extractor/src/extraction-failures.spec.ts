import { STSServiceException } from '@aws-sdk/client-sts';
import { KeyUnusableError } from '@snapex/aws';
import {
  CredentialFailureMessages,
  Destination,
  FailureMessages,
  SizeLimitMessages,
  SourceFailureMessages,
} from '@snapex/contracts';
import {
  DatabaseEngine,
  engineFor,
  RowTooLargeError,
  SourceRefusedError,
  ValueTooLargeError,
} from '@snapex/engines';
import { EncoderThreadError } from '@snapex/parquet';
import { extractionVerdict } from './extraction-failures';
import { PartEncodingError } from './part-file';
import { PartUploadError } from './part-upload';

const DESTINATION = {
  bucket: 'exports-bucket',
  iamRoleArn: 'arn:aws:iam::123456789012:role/export',
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
  partitionKeyPrefix: 'x/db/public.t/1',
} as Destination;
const ROLE = {
  roleArn: DESTINATION.iamRoleArn,
  callerAccountId: '123456789012',
  sourceArn: 'arn:aws:rds:::',
};

const ENGINE = { classifyFailure: () => 'unknown', refusalOf: () => null } as unknown as DatabaseEngine;

function upload(cause: unknown): PartUploadError {
  return new PartUploadError({ bucket: DESTINATION.bucket, key: 'k', role: ROLE, kmsKeyId: '' }, cause);
}

function answer(status: number, name: string, message = '') {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

const TARGET = 'db.public.t';
const verdictOf = (error: unknown) =>
  extractionVerdict(error, ENGINE, { destination: DESTINATION, target: TARGET });
const failsWith = (failureCause: string) => ({ kind: 'fail-task', failureCause });

describe('what a failed part upload means for the task', () => {
  it('the role lost s3:PutObject', () => {
    expect(verdictOf(upload(answer(403, 'AccessDenied')))).toEqual(
      failsWith(
        FailureMessages.roleNotAuthorized(DESTINATION.iamRoleArn, 's3:PutObject', DESTINATION.bucket),
      ),
    );
  });

  it('the key was disabled, in S3 or before the write was sent', () => {
    expect(verdictOf(upload(answer(400, 'KMS.DisabledException')))).toEqual(
      failsWith(FailureMessages.kmsCheckFailed()),
    );
    expect(verdictOf(upload(new KeyUnusableError('KMS.DisabledException', 'k')))).toEqual(
      failsWith(FailureMessages.kmsCheckFailed()),
    );
  });

  it('the role can no longer be assumed', () => {
    const refused = new STSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    expect(verdictOf(upload(refused))).toEqual(
      failsWith(FailureMessages.cannotAssumeRole(DESTINATION.iamRoleArn)),
    );
  });

  it('a refused signature says so, not that the role lacks s3:PutObject', () => {
    expect(verdictOf(upload(answer(403, 'SignatureDoesNotMatch')))).toEqual(
      failsWith(
        CredentialFailureMessages.refused({
          kind: 'signature',
          service: 'Amazon S3',
          errorCode: 'SignatureDoesNotMatch',
        }),
      ),
    );
    const sts = new STSServiceException({
      name: 'ExpiredToken',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(verdictOf(upload(sts))).toEqual(
      failsWith(
        CredentialFailureMessages.refused({
          kind: 'expired-token',
          service: 'AWS STS',
          errorCode: 'ExpiredToken',
        }),
      ),
    );
  });

  it('the bucket is gone', () => {
    expect(verdictOf(upload(answer(404, 'NoSuchBucket')))).toEqual(
      failsWith(FailureMessages.bucketInvalid(DESTINATION.bucket)),
    );
  });

  it('a refusal no retry changes fails the task at once; throttling and 5xx are retried', () => {
    expect(verdictOf(upload(answer(400, 'InvalidArgument')))).toEqual(failsWith(FailureMessages.unknown()));
    expect(verdictOf(upload(answer(503, 'SlowDown')))).toEqual({ kind: 'retry' });
    expect(verdictOf(upload(answer(409, 'OperationAborted')))).toEqual({ kind: 'unknown' });
  });

  it('a refused call other than the upload does not name an action it cannot know', () => {
    expect(verdictOf(answer(403, 'AccessDenied'))).toEqual(failsWith(FailureMessages.s3CheckFailed()));
  });
});

describe("the seed's size rules", () => {
  it('a row close to 2 GB skips its table, and the export goes on', () => {
    expect(verdictOf(new RowTooLargeError(2_100_000_000, 2_080_000_000))).toEqual({
      kind: 'skip-table',
      reason: 'ROW_SIZE_LIMIT_EXCEEDED',
      detail: SizeLimitMessages.rowTooLargeDetail(2_100_000_000),
    });
  });

  it('a value close to 500 MB fails the export, naming the table and the column', () => {
    const verdict = verdictOf(new ValueTooLargeError('payload', 524_288_000, 524_288_000));
    expect(verdict).toEqual(failsWith(SizeLimitMessages.valueTooLarge(TARGET, 'payload', 524_288_000)));
    expect(verdict).toMatchObject({
      failureCause: expect.stringContaining('column payload of table db.public.t'),
    });
  });
});

describe('what a failed encoder means', () => {
  it('a dead encoder thread retries the partition; rows the encoder refused fail the task', () => {
    expect(verdictOf(new PartEncodingError(new EncoderThreadError('the encoder thread exited')))).toEqual({
      kind: 'retry',
    });
    expect(verdictOf(new PartEncodingError(new TypeError('not an int32')))).toEqual(
      failsWith(FailureMessages.unknown()),
    );
  });
});

describe('what a source that refused the read means', () => {
  const postgres = engineFor('postgres');
  const mysql = engineFor('mysql');
  const sourceVerdictOf = (engine: DatabaseEngine, error: unknown) =>
    extractionVerdict(error, engine, { destination: DESTINATION, target: TARGET });
  const pgError = (code: string) => Object.assign(new Error('no'), { code });
  const myError = (errno: number) => Object.assign(new Error('no'), { errno, code: 'ER_X' });

  it('a privilege the export user lacks names the table, on either engine', () => {
    const denied = failsWith(SourceFailureMessages.tableDenied(TARGET));
    expect(sourceVerdictOf(postgres, pgError('42501'))).toEqual(denied);
    expect(sourceVerdictOf(mysql, myError(1142))).toEqual(denied);
  });

  it('a table dropped mid-export names the table', () => {
    const missing = failsWith(SourceFailureMessages.tableMissing(TARGET));
    expect(sourceVerdictOf(postgres, pgError('42P01'))).toEqual(missing);
    expect(sourceVerdictOf(mysql, myError(1146))).toEqual(missing);
  });

  it('a refused connection says which login or database to fix', () => {
    const refused = new SourceRefusedError(
      'login',
      { server: 'db:5432', user: 'reader', database: 'db' },
      {
        cause: pgError('28P01'),
      },
    );
    expect(sourceVerdictOf(postgres, refused)).toEqual(
      failsWith(SourceFailureMessages.loginRefused('db:5432', 'reader')),
    );
  });

  it('any other refusal no retry changes names the table and the error code, never the generic cause', () => {
    expect(sourceVerdictOf(postgres, pgError('22P02'))).toEqual(
      failsWith(SourceFailureMessages.tableUnreadable(TARGET, '22P02')),
    );
    expect(sourceVerdictOf(postgres, pgError('57P01'))).toEqual({ kind: 'retry' });
  });
});
