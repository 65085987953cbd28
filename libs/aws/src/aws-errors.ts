import { STATUS_CODES } from 'node:http';
import { KMSServiceException } from '@aws-sdk/client-kms';
import { STSServiceException } from '@aws-sdk/client-sts';
import type { CredentialRefusal } from '@snapex/contracts';
import { isGlueServiceError } from './lazy-sdk';

interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Names the SDK gives an error whose body carried no code (RGW's STS errors, HEAD responses) or one
 * it could not read (an XML error from an endpoint of a JSON service, as moto's IAM refusals are).
 */
const CODELESS = new Set(['Unknown', 'UnknownError', 'SyntaxError']);

export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

/**
 * The error code an S3/KMS/STS call failed with (`AccessDenied`, `NoSuchBucket`,
 * `KMS.DisabledException`, ...); the HTTP status (`403 Forbidden`) when the service sent no code.
 */
export function awsErrorCode(error: unknown): string {
  const candidate = (error ?? {}) as SdkErrorShape;
  const code = candidate.Code ?? candidate.name;
  const status = httpStatusOf(error);
  if ((code === undefined || CODELESS.has(code)) && status !== undefined) {
    return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
  }
  return code ?? 'UnknownError';
}

function messageOf(error: unknown): string {
  return (error as SdkErrorShape | null)?.message ?? '';
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  // HEAD answers carry no body: the SDK names them by their status.
  'Forbidden',
  '403 Forbidden',
]);

/**
 * Codes of a request refused for how it was signed, before any policy was read: S3's, STS's and
 * KMS's names for a wrong signature, an unknown access key, an expired session token, a skewed clock.
 */
const CREDENTIAL_REFUSALS: Readonly<Record<string, CredentialRefusal['kind']>> = {
  SignatureDoesNotMatch: 'signature',
  IncompleteSignature: 'signature',
  InvalidSignatureException: 'signature',
  InvalidAccessKeyId: 'unknown-key',
  InvalidClientTokenId: 'unknown-key',
  UnrecognizedClientException: 'unknown-key',
  ExpiredToken: 'expired-token',
  ExpiredTokenException: 'expired-token',
  InvalidToken: 'expired-token',
  RequestTimeTooSkewed: 'clock-skew',
  RequestExpired: 'clock-skew',
};

/**
 * AWS refused the credentials or the signature of the request, not the caller's permissions. A
 * refusal about the KMS key stays the key's whatever its code (RGW answers InvalidAccessKeyId).
 */
export function credentialRefusalOf(error: unknown): CredentialRefusal | null {
  const errorCode = awsErrorCode(error);
  const kind = CREDENTIAL_REFUSALS[errorCode];
  if (kind === undefined || isKmsFailure(error)) return null;
  // S3's answers carry no exception type of their own.
  const service =
    error instanceof STSServiceException
      ? 'AWS STS'
      : error instanceof KMSServiceException
        ? 'AWS KMS'
        : isGlueServiceError(error)
          ? 'AWS Glue'
          : 'Amazon S3';
  return { kind, service, errorCode };
}

/** STS refused snapex's identity the role, when credentials were (re)assumed for a call. */
export function isAssumeRoleFailure(error: unknown): boolean {
  return error instanceof STSServiceException && !isTransientAwsError(error);
}

/** The caller's policies refused the call. */
export function isAccessDenied(error: unknown): boolean {
  return DENIED.has(awsErrorCode(error));
}

/**
 * KMS refused or failed behind an S3 write: `KMS.*` codes from S3, or a refusal whose message is
 * about the key (AWS: "not authorized to perform: kms:GenerateDataKey"; RGW: "kms-keyid").
 */
export function isKmsFailure(error: unknown): boolean {
  return awsErrorCode(error).startsWith('KMS.') || /\bkms\b/i.test(messageOf(error));
}

export function isMissingBucket(error: unknown): boolean {
  return awsErrorCode(error) === 'NoSuchBucket';
}

const WRONG_REGION = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

/** S3 answered that the bucket lives in another region than the request was made for. */
export function isWrongRegion(error: unknown): boolean {
  return WRONG_REGION.has(awsErrorCode(error)) || httpStatusOf(error) === 301;
}

const TRANSIENT_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestTimeout',
  'TimeoutError',
  'KMSInternalException',
  'DependencyTimeoutException',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** Throttling, 5xx and network errors: worth another attempt later. */
export function isTransientAwsError(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return TRANSIENT_CODES.has(awsErrorCode(error)) || NETWORK_CODES.has((error as SdkErrorShape)?.code ?? '');
}
