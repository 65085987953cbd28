import { awsErrorCode, isAccessDenied, isTransientAwsError } from '@snapex/aws';
import { Destination, FailureMessages } from '@snapex/contracts';
import { DatabaseEngine } from '@snapex/engines';
import { PartEncodingError } from './part-file';
import { PartUploadError } from './part-upload';

/**
 * What a failed extraction means: `retry` the partition later, `fail-task` now with a cause the
 * user reads, or `unknown`, left to the bus (retried, then the task fails with the generic cause).
 */
export type ExtractionVerdict =
  { kind: 'retry' } | { kind: 'fail-task'; failureCause: string } | { kind: 'unknown' };

const RETRY: ExtractionVerdict = { kind: 'retry' };
const UNKNOWN: ExtractionVerdict = { kind: 'unknown' };

function failTask(failureCause: string): ExtractionVerdict {
  return { kind: 'fail-task', failureCause };
}

function uploadVerdict(cause: unknown, destination: Destination): ExtractionVerdict {
  if (isTransientAwsError(cause)) return RETRY;
  if (isAccessDenied(cause)) {
    return failTask(
      FailureMessages.roleNotAuthorized(destination.iamRoleArn, 's3:PutObject', destination.bucket),
    );
  }
  const code = awsErrorCode(cause);
  if (code === 'NoSuchBucket') return failTask(FailureMessages.bucketInvalid(destination.bucket));
  if (code.startsWith('KMS.')) return failTask(FailureMessages.kmsCheckFailed());
  return UNKNOWN;
}

function sourceVerdict(error: unknown, engine: DatabaseEngine): ExtractionVerdict {
  switch (engine.classifyFailure(error)) {
    case 'transient':
      return RETRY;
    case 'permanent':
      return failTask(FailureMessages.unknown());
    case 'unknown':
      return UNKNOWN;
  }
}

export function extractionVerdict(
  error: unknown,
  engine: DatabaseEngine,
  destination: Destination,
): ExtractionVerdict {
  if (error instanceof PartUploadError) return uploadVerdict(error.cause, destination);
  if (error instanceof PartEncodingError) return failTask(FailureMessages.unknown());
  return sourceVerdict(error, engine);
}
