import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SnapexConfig } from '@snapex/config';

/** A caller's role as snapex uses it: S3 and KMS clients signed with the role's temporary credentials. */
export interface RoleClients {
  roleArn: string;
  credentials: AwsCredentialIdentityProvider;
  s3: S3Client;
  kms: KMSClient;
}

/**
 * snapex's own identity assumes the IAM role named by each export task and touches the bucket and
 * key only through that role. Temporary credentials are refreshed by the SDK before they expire,
 * so an export may outlast one STS session.
 */
export class AwsClients {
  private readonly roles = new Map<string, RoleClients>();

  constructor(private readonly config: SnapexConfig) {}

  private get common() {
    const { endpoint, forcePathStyle } = this.config.aws;
    return { region: this.config.region, ...(endpoint ? { endpoint } : {}), forcePathStyle, maxAttempts: 3 };
  }

  /** Clients with snapex's own identity (used to call STS). */
  serviceSts(): STSClient {
    const { serviceCredentials } = this.config.aws;
    return new STSClient({
      ...this.common,
      ...(serviceCredentials ? { credentials: serviceCredentials } : {}),
    });
  }

  forRole(roleArn: string): RoleClients {
    const cached = this.roles.get(roleArn);
    if (cached) return cached;
    const credentials = this.assumedCredentials(roleArn);
    const clients: RoleClients = {
      roleArn,
      credentials,
      s3: new S3Client({ ...this.common, credentials }),
      kms: new KMSClient({ ...this.common, credentials }),
    };
    this.roles.set(roleArn, clients);
    return clients;
  }

  /** Drops cached clients of a role, e.g. after its credentials were refused. */
  forget(roleArn: string): void {
    const cached = this.roles.get(roleArn);
    cached?.s3.destroy();
    cached?.kms.destroy();
    this.roles.delete(roleArn);
  }

  private assumedCredentials(roleArn: string): AwsCredentialIdentityProvider {
    const { serviceCredentials, roleSessionSeconds, roleSessionName } = this.config.aws;
    return fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: roleSessionName, DurationSeconds: roleSessionSeconds },
      clientConfig: { ...this.common, ...(serviceCredentials ? { credentials: serviceCredentials } : {}) },
    });
  }
}
