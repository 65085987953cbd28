import { awsErrorCode, isAccessDenied, isKmsFailure, isMissingBucket, isWrongRegion } from '@snapex/aws';
import { FailureMessages, TaskSpec } from '@snapex/contracts';

/** The S3 actions the seed's role policy grants, by the names its failure messages use. */
export type S3Action =
  's3:PutObject' | 's3:GetObject' | 's3:ListBucket' | 's3:DeleteObject' | 's3:GetBucketLocation';

type Destination = Pick<TaskSpec, 's3Bucket' | 'iamRoleArn' | 'kmsKeyId'>;

/** A bucket that is not there, or not where this deployment runs, before any permission question. */
function bucketRefusal(error: unknown, bucket: string): string | null {
  if (isMissingBucket(error)) return FailureMessages.bucketInvalid(bucket);
  if (isWrongRegion(error)) return FailureMessages.bucketWrongRegion(bucket);
  return null;
}

/** GetBucketLocation failed. */
export function bucketLocationRefusal(error: unknown, destination: Destination): string {
  const { s3Bucket: bucket, iamRoleArn: role } = destination;
  return (
    bucketRefusal(error, bucket) ??
    (isAccessDenied(error)
      ? FailureMessages.roleNotAuthorized(role, 's3:GetBucketLocation', bucket)
      : FailureMessages.s3CheckFailed())
  );
}

/**
 * A call on the probe object failed. Writing the probe is RDS's write of the task's metadata: a
 * refusal that comes from the KMS key behind S3 says so with S3's error code; a refusal of the role
 * names the S3 action.
 */
export function objectProbeRefusal(error: unknown, action: S3Action, destination: Destination): string {
  const { s3Bucket: bucket, iamRoleArn: role, kmsKeyId } = destination;
  if (isKmsFailure(error)) {
    return FailureMessages.metadataWriteDenied(bucket, role, kmsKeyId, awsErrorCode(error));
  }
  return (
    bucketRefusal(error, bucket) ??
    (isAccessDenied(error)
      ? FailureMessages.roleNotAuthorized(role, action, bucket)
      : FailureMessages.s3CheckFailed())
  );
}
