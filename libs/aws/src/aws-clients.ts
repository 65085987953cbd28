import type { GlueClient } from '@aws-sdk/client-glue';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsCredentialIdentity, AwsCredentialIdentityProvider, InitializeMiddleware } from '@aws-sdk/types';
import { SnapexConfig } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { assumeRoleInput, ExportRole, exportRoleKey } from './export-role';
import { KeyGuard } from './key-guard';
import { glueSdk, snsSdk } from './lazy-sdk';
import { renewalMarginMs, RoleSession } from './role-session';
import { countingS3Errors } from './s3-metrics';

/**
 * A caller's role as snapex uses it: S3, KMS and Glue clients signed with the role's temporary
 * credentials.
 */
export interface RoleClients {
  role: ExportRole;
  session: RoleSession;
  credentials: AwsCredentialIdentityProvider;
  s3: S3Client;
  kms: KMSClient;
  /** The Data Catalog of the role's account (metadataWriter.glueCatalog), made on first use. */
  readonly glue: GlueClient;
}

export type AwsService = 's3' | 'sts' | 'kms' | 'sns' | 'glue';
type S3Middleware = InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes>;

/** Every write that asks for SSE-KMS first proves its key usable (see KeyGuard). */
function guardingKmsWrites(guard: KeyGuard): S3Middleware {
  return (next) => async (args) => {
    const { ServerSideEncryption, SSEKMSKeyId } = args.input as {
      ServerSideEncryption?: string;
      SSEKMSKeyId?: string;
    };
    if (ServerSideEncryption === 'aws:kms' && SSEKMSKeyId) await guard.assertUsable(SSEKMSKeyId);
    return next(args);
  };
}

/**
 * Timeouts of every AWS client's HTTP handler. The handler's `requestTimeout` bounds a whole request
 * (sending the body included), which a multipart part on a slow link may outlast while its bytes
 * still flow; `socketTimeout` fires only after that long without a byte either way.
 */
export function requestHandlerOf(config: SnapexConfig): { connectionTimeout: number; socketTimeout: number } {
  const { connectionTimeoutMs, socketTimeoutMs } = config.aws;
  return { connectionTimeout: connectionTimeoutMs, socketTimeout: socketTimeoutMs };
}

/**
 * snapex's own identity assumes the IAM role named by each export task and touches the bucket and
 * key only through that role. The role's credentials are renewed before they expire, so an export
 * may outlast one STS session.
 */
export class AwsClients {
  private readonly roles = new Map<string, RoleClients>();
  private readonly glueClients = new Map<string, GlueClient>();
  private sts: STSClient | undefined;
  private s3: S3Client | undefined;
  private sns: SNSClient | undefined;

  constructor(
    private readonly config: SnapexConfig,
    private readonly logger?: Logger,
  ) {}

  /** The endpoint of one service: its own when configured, else the common one, else AWS. */
  endpointOf(service: AwsService): string | undefined {
    const { endpoint, endpoints } = this.config.aws;
    return endpoints[service] ?? endpoint;
  }

  private settingsFor(service: AwsService) {
    const endpoint = this.endpointOf(service);
    return {
      region: this.config.region,
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: 3,
      requestHandler: requestHandlerOf(this.config),
      logger: sdkLoggerOf(this.logger),
    };
  }

  /** STS as snapex's own identity, the one every role's trust policy names. */
  serviceSts(): STSClient {
    this.sts ??= new STSClient(this.asService('sts'));
    return this.sts;
  }

  /** S3 as snapex's own identity: the snapshot store is snapex's bucket, not a caller's. */
  serviceS3(): S3Client {
    this.s3 ??= countingS3Errors(
      new S3Client({ ...this.asService('s3'), forcePathStyle: this.config.aws.forcePathStyle }),
    );
    return this.s3;
  }

  /**
   * SNS as snapex's own identity, which publishes event subscriptions' notifications where RDS
   * publishes as events.rds.amazonaws.com: a topic's access policy must let it Publish.
   */
  serviceSns(): SNSClient {
    this.sns ??= new (snsSdk().SNSClient)(this.asService('sns'));
    return this.sns;
  }

  /** A client's settings as snapex's own identity: the configured keys, or the SDK default chain. */
  private asService(service: AwsService) {
    const { serviceCredentials } = this.config.aws;
    return {
      ...this.settingsFor(service),
      ...(serviceCredentials ? { credentials: serviceCredentials } : {}),
    };
  }

  forRole(role: ExportRole): RoleClients {
    const key = exportRoleKey(role);
    const cached = this.roles.get(key);
    if (cached) return cached;
    const session = new RoleSession(
      () => this.assumeRole(role),
      renewalMarginMs(this.config.aws.roleSessionSeconds),
    );
    const credentials = session.provider;
    const kms = new KMSClient({ ...this.settingsFor('kms'), credentials });
    const s3 = countingS3Errors(
      new S3Client({
        ...this.settingsFor('s3'),
        forcePathStyle: this.config.aws.forcePathStyle,
        credentials,
      }),
    );
    const guard = new KeyGuard(kms, this.config.aws.keyRecheckSeconds * 1000);
    s3.middlewareStack.add(guardingKmsWrites(guard), { step: 'initialize', name: 'snapexKmsKeyGuard' });
    const glueClients = this.glueClients;
    const glueSettings = { ...this.settingsFor('glue'), credentials };
    const clients: RoleClients = {
      role,
      session,
      credentials,
      s3,
      kms,
      get glue() {
        let glue = glueClients.get(key);
        if (!glue) glueClients.set(key, (glue = new (glueSdk().GlueClient)(glueSettings)));
        return glue;
      },
    };
    this.roles.set(key, clients);
    return clients;
  }

  /** Drops cached clients of a role, e.g. after its credentials were refused. */
  forget(role: ExportRole): void {
    const key = exportRoleKey(role);
    const cached = this.roles.get(key);
    cached?.s3.destroy();
    cached?.kms.destroy();
    this.glueClients.get(key)?.destroy();
    this.glueClients.delete(key);
    this.roles.delete(key);
  }

  private async assumeRole(role: ExportRole): Promise<AwsCredentialIdentity> {
    const { roleSessionName, roleSessionSeconds } = this.config.aws;
    const { Credentials } = await this.serviceSts().send(
      new AssumeRoleCommand(assumeRoleInput(role, { name: roleSessionName, seconds: roleSessionSeconds })),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
      throw new Error(`STS answered AssumeRole for ${role.roleArn} without credentials`);
    }
    this.logger?.debug(
      { roleArn: role.roleArn, externalId: role.callerAccountId, expiration: Credentials.Expiration },
      'assumed the export role',
    );
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
  }
}

/**
 * The SDK's warnings as the service's structured log lines: without a logger it prints some (e.g.
 * S3's check for a body of unknown length) with console.warn, a line that is not JSON. Its info and
 * error lines (every command's input and output, every failed command, even those the caller
 * expects and handles, such as a HEAD of a missing key) are dropped: callers log their failures.
 */
function sdkLoggerOf(logger: Logger | undefined) {
  const ignore = () => undefined;
  const warn = (...content: unknown[]) =>
    logger?.warn({ sdk: content.length === 1 ? content[0] : content }, 'AWS SDK');
  return { trace: ignore, debug: ignore, info: ignore, warn, error: ignore };
}
