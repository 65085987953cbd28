import type * as Glue from '@aws-sdk/client-glue';
import type * as Sns from '@aws-sdk/client-sns';

/*
 * SDK packages only one service each needs (Glue: metadata-writer, SNS: notifier) are loaded on first
 * use. Loading one costs 15–45 MiB of resident memory (more on Node 24 than on 20), which every other
 * service would carry for nothing, the table extractor within extractor.memoryLimitBytes.
 */
let glue: typeof Glue | undefined;
let sns: typeof Sns | undefined;

export function glueSdk(): typeof Glue {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (glue ??= require('@aws-sdk/client-glue') as typeof Glue);
}

export function snsSdk(): typeof Sns {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (sns ??= require('@aws-sdk/client-sns') as typeof Sns);
}

/** A Glue service error; none can exist while the Glue SDK was never loaded. */
export function isGlueServiceError(error: unknown): boolean {
  return glue !== undefined && error instanceof glue.GlueServiceException;
}
