import { STSServiceException } from '@aws-sdk/client-sts';
import { KeyUnusableError } from '@snapex/aws';
import { Destination, FailureMessages } from '@snapex/contracts';
import { DatabaseEngine } from '@snapex/engines';
import { extractionVerdict } from './extraction-failures';
import { PartUploadError } from './part-upload';

const DESTINATION = {
  bucket: 'exports-bucket',
  iamRoleArn: 'arn:aws:iam::123456789012:role/export',
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
  partitionKeyPrefix: 'x/db/public.t/1',
} as Destination;

const ENGINE = { classifyFailure: () => 'unknown' } as unknown as DatabaseEngine;

function upload(cause: unknown): PartUploadError {
  return new PartUploadError({ bucket: DESTINATION.bucket, key: 'k', iamRoleArn: '', kmsKeyId: '' }, cause);
}

function answer(status: number, name: string, message = '') {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

const verdictOf = (error: unknown) => extractionVerdict(error, ENGINE, DESTINATION);
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
