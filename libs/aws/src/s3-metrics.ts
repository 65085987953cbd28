import { S3Client } from '@aws-sdk/client-s3';
import { counter } from '@snapex/telemetry';

const s3RequestErrors = counter({
  name: 'snapex_s3_request_errors_total',
  help: 'S3 requests that failed after the SDK retried them, by operation and error name',
  labelNames: ['operation', 'error'] as const,
});

/** Counts the client's failed requests in snapex_s3_request_errors_total; returns the client. */
export function countingS3Errors(s3: S3Client): S3Client {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const name = (error as Error)?.name || 'Error';
        s3RequestErrors.inc({ operation: context.commandName ?? 'unknown', error: name });
        throw error;
      }
    },
    { step: 'initialize', name: 'snapexS3ErrorCount' },
  );
  return s3;
}
