/** The error code an S3/KMS/STS call failed with (`AccessDenied`, `NoSuchBucket`, ...). */
export function awsErrorCode(error: unknown): string {
  const candidate = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return candidate.Code ?? candidate.name ?? 'UnknownError';
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
]);

export function isAccessDenied(error: unknown): boolean {
  return DENIED.has(awsErrorCode(error)) || httpStatusOf(error) === 403;
}

/** Throttling, 5xx and network errors: worth another attempt later. */
export function isTransientAwsError(error: unknown): boolean {
  const status = httpStatusOf(error);
  const code = awsErrorCode(error);
  if (status !== undefined && status >= 500) return true;
  return (
    ['ThrottlingException', 'SlowDown', 'RequestTimeout', 'TimeoutError'].includes(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes((error as { code?: string }).code ?? '')
  );
}
