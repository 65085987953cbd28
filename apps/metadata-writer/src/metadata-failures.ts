import {
  awsErrorCode,
  credentialRefusalOf,
  isAccessDenied,
  isAssumeRoleFailure,
  isKmsFailure,
  isMissingBucket,
  isWrongRegion,
} from '@snapex/aws';
import { CredentialFailureMessages, FailureMessages, TaskSpec } from '@snapex/contracts';
import { CatalogRegistrationError } from './glue-catalog';

type Destination = Pick<TaskSpec, 's3Bucket' | 'iamRoleArn' | 'kmsKeyId'>;

/**
 * Why the task's metadata could not be written, by the seed's table: the role could not be assumed;
 * the role, bucket or key refused the write (S3's error code named); Glue refused registering the
 * tables (metadataWriter.glueCatalog; its error code named); or something else. A request
 * refused for its signature or credentials says so, as no policy is to blame.
 */
export function metadataFailureCause(failure: unknown, destination: Destination): string {
  const { s3Bucket: bucket, iamRoleArn: role, kmsKeyId } = destination;
  const catalog = failure instanceof CatalogRegistrationError ? failure : null;
  const error = catalog ? catalog.cause : failure;
  const credentials = credentialRefusalOf(error);
  if (credentials) return CredentialFailureMessages.refused(credentials);
  if (isAssumeRoleFailure(error)) return FailureMessages.cannotAssumeRole(role);
  if (catalog) return FailureMessages.catalogRegistrationFailed(catalog.database, role, catalog.errorCode);
  const refused = [isKmsFailure, isAccessDenied, isMissingBucket, isWrongRegion].some((test) => test(error));
  return refused
    ? FailureMessages.metadataWriteDenied(bucket, role, kmsKeyId, awsErrorCode(error))
    : FailureMessages.unknownMetadata(bucket);
}
