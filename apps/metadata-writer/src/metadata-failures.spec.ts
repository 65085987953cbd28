import { STSServiceException } from '@aws-sdk/client-sts';
import { KeyUnusableError } from '@snapex/aws';
import { FailureMessages } from '@snapex/contracts';
import { CatalogRegistrationError } from './glue-catalog';
import { metadataFailureCause } from './metadata-failures';

const DESTINATION = {
  s3Bucket: 'exports-bucket',
  iamRoleArn: 'arn:aws:iam::123456789012:role/export',
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
};

function answer(status: number, name: string, message = '') {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

const denied = (code: string) =>
  FailureMessages.metadataWriteDenied(
    DESTINATION.s3Bucket,
    DESTINATION.iamRoleArn,
    DESTINATION.kmsKeyId,
    code,
  );

describe('why the metadata could not be written', () => {
  it('names the code when the role, the bucket or the key refused the write', () => {
    expect(metadataFailureCause(answer(403, 'AccessDenied'), DESTINATION)).toBe(denied('AccessDenied'));
    expect(metadataFailureCause(answer(404, 'NoSuchBucket'), DESTINATION)).toBe(denied('NoSuchBucket'));
    expect(metadataFailureCause(answer(400, 'KMS.KMSInvalidStateException'), DESTINATION)).toBe(
      denied('KMS.KMSInvalidStateException'),
    );
    expect(metadataFailureCause(new KeyUnusableError('KMS.DisabledException', 'k'), DESTINATION)).toBe(
      denied('KMS.DisabledException'),
    );
    expect(metadataFailureCause(answer(403, 'Unknown', 'UnknownError'), DESTINATION)).toBe(
      denied('403 Forbidden'),
    );
  });

  it('says the role could not be assumed when STS refused it', () => {
    const refused = new STSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    expect(metadataFailureCause(refused, DESTINATION)).toBe(
      FailureMessages.cannotAssumeRole(DESTINATION.iamRoleArn),
    );
  });

  it('names the Glue database and code when the catalog refused the tables, not the bucket', () => {
    const refused = answer(400, 'AccessDeniedException');
    expect(
      metadataFailureCause(
        new CatalogRegistrationError('shop', 'AccessDeniedException', { cause: refused }),
        DESTINATION,
      ),
    ).toBe(
      FailureMessages.catalogRegistrationFailed('shop', DESTINATION.iamRoleArn, 'AccessDeniedException'),
    );
  });

  it('is an unknown error for anything else', () => {
    expect(metadataFailureCause(answer(403, 'QuotaExceeded'), DESTINATION)).toBe(
      FailureMessages.unknownMetadata(DESTINATION.s3Bucket),
    );
  });
});
