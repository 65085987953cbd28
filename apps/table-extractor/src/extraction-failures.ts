import {
  credentialRefusalOf,
  isAccessDenied,
  isAssumeRoleFailure,
  isKmsFailure,
  isMissingBucket,
  isTransientAwsError,
  isWrongRegion,
  httpStatusOf,
} from '@snapex/aws';
import {
  CredentialFailureMessages,
  Destination,
  FailureMessages,
  ReadPointMessages,
  SizeLimitMessages,
  StallMessages,
} from '@snapex/contracts';
import {
  DatabaseEngine,
  ReadPointLostError,
  RowTooLargeError,
  tableFailureCause,
  ValueTooLargeError,
} from '@snapex/engines';
import { EncoderThreadError } from '@snapex/parquet';
import { PartEncodingError } from './part-file';
import { PartUploadError } from './part-upload';
import { PartitionStalledError } from './stall-watchdog';

/**
 * What a failed extraction means: `retry` the partition later, `fail-task` now with a cause the
 * user reads, or `unknown`, left to the bus (retried, then the task fails with the generic cause).
 */
export type ExtractionVerdict =
  /** `failureCause` is what the task fails with if every attempt ends the same way. */
  | { kind: 'retry'; failureCause?: string }
  | { kind: 'fail-task'; failureCause: string }
  /** The seed's row rule: the whole table leaves the export, which goes on without it. */
  | { kind: 'skip-table'; reason: string; detail: string }
  | { kind: 'unknown' };

const RETRY: ExtractionVerdict = { kind: 'retry' };
const UNKNOWN: ExtractionVerdict = { kind: 'unknown' };

function failTask(failureCause: string): ExtractionVerdict {
  return { kind: 'fail-task', failureCause };
}

/** 4xx answers that another attempt may not get: the request raced something or was throttled. */
const RETRIABLE_CLIENT_STATUSES = new Set([404, 408, 409, 429]);

function isLastingRefusal(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400 && status < 500 && !RETRIABLE_CLIENT_STATUSES.has(status);
}

/**
 * The bucket or the key refused a call. Access lost mid-export (a role policy removed, the key
 * disabled, the trust policy changed) fails the task with the seed's message for it; the objects
 * written so far stay. `writing` is false for the extractor's other calls (HeadObject, DeleteObject),
 * whose action the SDK's error does not tell.
 */
function storageVerdict(cause: unknown, destination: Destination, writing: boolean): ExtractionVerdict {
  const { bucket, iamRoleArn: role } = destination;
  if (isTransientAwsError(cause)) return RETRY;
  const credentials = credentialRefusalOf(cause);
  if (credentials) return failTask(CredentialFailureMessages.refused(credentials));
  if (isAssumeRoleFailure(cause)) return failTask(FailureMessages.cannotAssumeRole(role));
  if (isKmsFailure(cause)) return failTask(FailureMessages.kmsCheckFailed());
  if (isMissingBucket(cause)) return failTask(FailureMessages.bucketInvalid(bucket));
  if (isWrongRegion(cause)) return failTask(FailureMessages.bucketWrongRegion(bucket));
  if (isAccessDenied(cause)) {
    return failTask(
      writing
        ? FailureMessages.roleNotAuthorized(role, 's3:PutObject', bucket)
        : FailureMessages.s3CheckFailed(),
    );
  }
  if (isLastingRefusal(cause)) return failTask(FailureMessages.unknown());
  return UNKNOWN;
}

/** An error the AWS SDK raised for a service's answer (it carries the response's metadata). */
function isServiceAnswer(error: unknown): boolean {
  return httpStatusOf(error) !== undefined || isAssumeRoleFailure(error);
}

/** A read the source refuses for good names the table, so the user can fix or exclude it. */
function sourceVerdict(error: unknown, engine: DatabaseEngine, target: string): ExtractionVerdict {
  const cause = tableFailureCause(error, engine, target);
  if (cause !== null) return failTask(cause);
  return engine.classifyFailure(error) === 'transient' ? RETRY : UNKNOWN;
}

/** What the user reads when every attempt at a partition of `target` stalled. */
export function stalledCause(error: PartitionStalledError, target: string): string {
  return StallMessages.partitionStalled(target, error.seconds, error.stalledOn);
}

/** Where the failure happened: the partition's destination and its table's `db.schema.table`. */
export interface FailedPartition {
  destination: Destination;
  target: string;
}

export function extractionVerdict(
  error: unknown,
  engine: DatabaseEngine,
  { destination, target }: FailedPartition,
): ExtractionVerdict {
  if (error instanceof RowTooLargeError) {
    return {
      kind: 'skip-table',
      reason: 'ROW_SIZE_LIMIT_EXCEEDED',
      detail: SizeLimitMessages.rowTooLargeDetail(error.rowBytes),
    };
  }
  if (error instanceof PartitionStalledError)
    return { kind: 'retry', failureCause: stalledCause(error, target) };
  if (error instanceof ValueTooLargeError)
    return failTask(SizeLimitMessages.valueTooLarge(target, error.column, error.valueBytes));
  if (error instanceof ReadPointLostError) return failTask(ReadPointMessages.lost(target));
  if (error instanceof PartUploadError) return storageVerdict(error.cause, destination, true);
  // A thread that died took this file with it; the rows themselves were not refused.
  if (error instanceof PartEncodingError && error.cause instanceof EncoderThreadError) return RETRY;
  if (error instanceof PartEncodingError) return failTask(FailureMessages.unknown());
  if (isServiceAnswer(error)) return storageVerdict(error, destination, false);
  return sourceVerdict(error, engine, target);
}
