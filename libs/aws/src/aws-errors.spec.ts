import { KMSServiceException } from '@aws-sdk/client-kms';
import { STSServiceException } from '@aws-sdk/client-sts';
import {
  awsErrorCode,
  credentialRefusalOf,
  isAccessDenied,
  isAssumeRoleFailure,
  isKmsFailure,
  isMissingBucket,
  isTransientAwsError,
  isWrongRegion,
} from './aws-errors';
import { KeyUnusableError } from './key-guard';

/** An error shaped as the SDK raises it for a service's answer. */
function answer(status: number, name: string, message = '', code?: string) {
  return Object.assign(new Error(message), {
    name,
    ...(code ? { Code: code } : {}),
    $metadata: { httpStatusCode: status },
  });
}

describe('AWS error classification', () => {
  it('names the error by its code, or by its HTTP status when the service sent none', () => {
    expect(awsErrorCode(answer(404, 'NoSuchBucket', '', 'NoSuchBucket'))).toBe('NoSuchBucket');
    expect(awsErrorCode(answer(403, 'Unknown', 'UnknownError'))).toBe('403 Forbidden');
    // An answer the SDK could not read (XML from an endpoint of a JSON service).
    expect(awsErrorCode(answer(403, 'SyntaxError', 'Unexpected token'))).toBe('403 Forbidden');
    expect(awsErrorCode(new KeyUnusableError('KMS.DisabledException', 'k'))).toBe('KMS.DisabledException');
    expect(awsErrorCode(undefined)).toBe('UnknownError');
  });

  it('tells a refusal of the identity from other 403 answers', () => {
    expect(isAccessDenied(answer(403, 'AccessDenied', 'Access Denied'))).toBe(true);
    expect(isAccessDenied(answer(403, 'Unknown', 'UnknownError'))).toBe(true);
    expect(isAccessDenied(answer(403, 'QuotaExceeded'))).toBe(false);
    expect(isAccessDenied(answer(404, 'NoSuchBucket'))).toBe(false);
  });

  it('tells a request refused for its signature or credentials from a policy refusal', () => {
    expect(credentialRefusalOf(answer(403, 'SignatureDoesNotMatch'))).toEqual({
      kind: 'signature',
      service: 'Amazon S3',
      errorCode: 'SignatureDoesNotMatch',
    });
    expect(credentialRefusalOf(answer(403, 'InvalidAccessKeyId'))?.kind).toBe('unknown-key');
    expect(credentialRefusalOf(answer(400, 'ExpiredToken'))?.kind).toBe('expired-token');
    expect(credentialRefusalOf(answer(403, 'RequestTimeTooSkewed'))?.kind).toBe('clock-skew');
    for (const code of [
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId',
      'ExpiredToken',
      'RequestTimeTooSkewed',
    ])
      expect(isAccessDenied(answer(403, code))).toBe(false);
    expect(credentialRefusalOf(answer(403, 'AccessDenied'))).toBeNull();
  });

  it('names STS and KMS when they refused the signature', () => {
    const sts = new STSServiceException({
      name: 'SignatureDoesNotMatch',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    const kms = new KMSServiceException({
      name: 'InvalidSignatureException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(credentialRefusalOf(sts)).toMatchObject({ kind: 'signature', service: 'AWS STS' });
    expect(credentialRefusalOf(kms)).toMatchObject({ kind: 'signature', service: 'AWS KMS' });
  });

  it('leaves a refusal about the KMS key to the key, whatever its code', () => {
    expect(
      credentialRefusalOf(
        answer(403, 'InvalidAccessKeyId', 'Failed to retrieve the actual key, kms-keyid: k'),
      ),
    ).toBeNull();
  });

  it('sees the key behind a refused write: KMS codes, or a refusal about the key', () => {
    expect(isKmsFailure(answer(400, 'KMS.DisabledException'))).toBe(true);
    expect(
      isKmsFailure(
        answer(
          403,
          'AccessDenied',
          'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: kms:GenerateDataKey',
        ),
      ),
    ).toBe(true);
    expect(
      isKmsFailure(answer(403, 'InvalidAccessKeyId', 'Failed to retrieve the actual key, kms-keyid: k')),
    ).toBe(true);
    expect(isKmsFailure(new KeyUnusableError('KMS.KMSInvalidStateException', 'k'))).toBe(true);
    expect(isKmsFailure(answer(403, 'AccessDenied', 'Access Denied'))).toBe(false);
  });

  it('knows a missing bucket and a bucket in another region', () => {
    expect(isMissingBucket(answer(404, 'NoSuchBucket'))).toBe(true);
    expect(isWrongRegion(answer(301, 'PermanentRedirect'))).toBe(true);
    expect(isWrongRegion(answer(400, 'AuthorizationHeaderMalformed'))).toBe(true);
    expect(isWrongRegion(answer(400, 'InvalidArgument'))).toBe(false);
  });

  it('retries throttling, 5xx and network failures only', () => {
    expect(isTransientAwsError(answer(503, 'SlowDown'))).toBe(true);
    expect(isTransientAwsError(answer(400, 'ThrottlingException'))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientAwsError(answer(403, 'AccessDenied'))).toBe(false);
  });

  it('recognises STS refusing the role, not STS being unavailable', () => {
    const refused = new STSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'not authorized to perform: sts:AssumeRole',
    });
    const unavailable = new STSServiceException({
      name: 'ServiceUnavailable',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
    });
    expect(isAssumeRoleFailure(refused)).toBe(true);
    expect(isAssumeRoleFailure(unavailable)).toBe(false);
    expect(isAssumeRoleFailure(answer(403, 'AccessDenied'))).toBe(false);
  });
});
