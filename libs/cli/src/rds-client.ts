import { RDSClient } from '@aws-sdk/client-rds';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { UsageError } from './arguments';

export interface ConnectionOptions {
  endpointUrl?: string;
  region?: string;
  profile?: string;
}

/**
 * The official RDS client pointed at a snapex gateway, so requests are signed and shaped exactly as
 * the AWS CLI's. Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the usual AWS
 * profile chain.
 */
/** A gateway that accepts the connection and never answers fails the command instead of hanging it. */
const GATEWAY_TIMEOUTS = { connectionTimeout: 5_000, socketTimeout: 60_000 };

export function rdsClientFor(options: ConnectionOptions, env: NodeJS.ProcessEnv): RDSClient {
  const endpoint =
    options.endpointUrl ?? env.SNAPEX_ENDPOINT_URL ?? env.AWS_ENDPOINT_URL_RDS ?? env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    throw new UsageError(
      'snapex needs the address of a snapex gateway: give --endpoint-url or set SNAPEX_ENDPOINT_URL.',
    );
  }
  return new RDSClient({
    endpoint,
    requestHandler: GATEWAY_TIMEOUTS,
    ...signingOf(options, env),
  });
}

/** Region and credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the usual AWS profile chain. */
export function signingOf(options: ConnectionOptions, env: NodeJS.ProcessEnv) {
  return {
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && !options.profile
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            sessionToken: env.AWS_SESSION_TOKEN,
          }
        : fromNodeProviderChain({ profile: options.profile ?? env.AWS_PROFILE }),
  };
}
