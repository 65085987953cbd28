import { Inject, Injectable } from '@nestjs/common';
import {
  awsErrorCode,
  credentialRefusalOf,
  exportRoleOf,
  isTransientAwsError,
  keyStateRefusal,
} from '@snapex/aws';
import { RetryableError } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import { CredentialFailureMessages, exportRootKey, FailureMessages, TaskSpec } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER } from '@snapex/service';
import { AccessProbeRepository } from './access-probe.repository';
import { bucketLocationRefusal, objectProbeRefusal, S3Action } from './access-refusals';

export type AccessVerdict = { ok: true } | { ok: false; failureCause: string };

/** A check refused the export: the message is the seed's text for that condition. */
class AccessRefused extends Error {
  constructor(readonly failureCause: string) {
    super(failureCause);
  }
}

/** The object the role writes, reads, lists and deletes under the export's folder. */
export function probeObjectKey(spec: TaskSpec): string {
  return `${exportRootKey(spec.s3Prefix, spec.exportTaskIdentifier)}/.snapex-access-probe-${spec.taskId}`;
}

/**
 * Decides, before any data moves, whether the export can write where it is told: the role can be
 * assumed, the bucket exists in this region, the key is enabled and symmetric and encrypts and
 * decrypts for the role, and the role may put (encrypted with the key), get, list and delete an
 * object under the export's folder. Each check is a real call made as the role.
 */
@Injectable()
export class ValidateExportAccess {
  constructor(
    @Inject(AccessProbeRepository) private readonly probe: AccessProbeRepository,
    @Inject(CONFIG) private readonly config: SnapexConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(spec: TaskSpec): Promise<AccessVerdict> {
    const log = this.logger.child({ taskId: spec.taskId, exportTaskIdentifier: spec.exportTaskIdentifier });
    try {
      log.info({ step: 1, roleArn: spec.iamRoleArn }, 'assuming the export role');
      await this.check(
        () => this.probe.assumeRole(exportRoleOf(spec)),
        () => FailureMessages.cannotAssumeRole(spec.iamRoleArn),
      );
      log.info({ step: 2, bucket: spec.s3Bucket }, 'checking the bucket and its region');
      await this.checkBucket(spec);
      log.info({ step: 3, kmsKeyId: spec.kmsKeyId }, 'checking the KMS key');
      const keyArn = await this.checkKey(spec);
      log.info({ step: 4 }, 'probing object access under the export prefix');
      await this.checkObjectAccess(spec, keyArn);
      log.info('access validated');
      return { ok: true };
    } catch (error) {
      if (!(error instanceof AccessRefused)) throw error;
      log.warn({ failureCause: error.failureCause }, 'access refused');
      this.probe.forgetRole(exportRoleOf(spec));
      return { ok: false, failureCause: error.failureCause };
    }
  }

  private async checkBucket(spec: TaskSpec): Promise<void> {
    const region = await this.check(
      () => this.probe.bucketRegion(exportRoleOf(spec), spec.s3Bucket),
      (error) => bucketLocationRefusal(error, spec),
    );
    if (region !== this.config.region) {
      throw new AccessRefused(FailureMessages.bucketWrongRegion(spec.s3Bucket));
    }
  }

  /** The key's ARN, as S3 reports it on objects encrypted with it. */
  private async checkKey(spec: TaskSpec): Promise<string> {
    const { kmsKeyId } = spec;
    const role = exportRoleOf(spec);
    const refused = () => FailureMessages.kmsCheckFailed();
    const key = await this.check(() => this.probe.describeKey(role, kmsKeyId), refused);
    if (!key || keyStateRefusal(key)) throw new AccessRefused(refused());
    const dataKeyWorks = await this.check(() => this.probe.roundTripDataKey(role, kmsKeyId), refused);
    const encryptWorks = await this.check(
      () => this.probe.roundTripEncrypt(role, kmsKeyId, spec.taskId),
      refused,
    );
    if (!dataKeyWorks || !encryptWorks) throw new AccessRefused(refused());
    return key.Arn ?? kmsKeyId;
  }

  /** Put, then get, list and delete the probe object; a probe left by a refused step is removed. */
  private async checkObjectAccess(spec: TaskSpec, keyArn: string): Promise<void> {
    const { s3Bucket: bucket, kmsKeyId } = spec;
    const role = exportRoleOf(spec);
    const key = probeObjectKey(spec);
    await this.check(
      () => this.probe.putObject(role, bucket, key, kmsKeyId, spec.taskId),
      this.objectRefusal(spec, 's3:PutObject'),
    );
    try {
      await this.checkProbeEncrypted(spec, key, keyArn);
      const body = await this.check(
        () => this.probe.getObject(role, bucket, key),
        this.objectRefusal(spec, 's3:GetObject'),
      );
      if (body !== spec.taskId) throw new AccessRefused(FailureMessages.s3CheckFailed());
      await this.check(
        () => this.probe.listOneObject(role, bucket),
        this.objectRefusal(spec, 's3:ListBucket'),
      );
    } catch (error) {
      await this.probe.deleteObject(role, bucket, key).catch(() => undefined);
      throw error;
    }
    await this.check(
      () => this.probe.deleteObject(role, bucket, key),
      this.objectRefusal(spec, 's3:DeleteObject'),
    );
  }

  /** The store really encrypted the probe with the task's key, as it must every object of the export. */
  private async checkProbeEncrypted(spec: TaskSpec, key: string, keyArn: string): Promise<void> {
    const encryption = await this.check(
      () => this.probe.encryptionOf(exportRoleOf(spec), spec.s3Bucket, key),
      this.objectRefusal(spec, 's3:GetObject'),
    );
    const withTaskKey = [spec.kmsKeyId, keyArn].includes(encryption.kmsKeyId ?? '');
    if (encryption.algorithm !== 'aws:kms' || !withTaskKey) {
      throw new AccessRefused(FailureMessages.kmsCheckFailed());
    }
  }

  private objectRefusal(spec: TaskSpec, action: S3Action): (error: unknown) => string {
    return (error) => objectProbeRefusal(error, action, spec);
  }

  /**
   * Runs one probe: transient failures are retried later, refusals become the seed's message, and a
   * request refused for its signature or credentials says so rather than blaming a policy.
   */
  private async check<T>(probe: () => Promise<T>, refusal: (error: unknown) => string): Promise<T> {
    try {
      return await probe();
    } catch (error) {
      if (isTransientAwsError(error)) {
        throw new RetryableError(`access check hit a transient error: ${awsErrorCode(error)}`, 2000, {
          cause: error,
        });
      }
      this.logger.debug({ err: error, code: awsErrorCode(error) }, 'probe refused');
      const credentials = credentialRefusalOf(error);
      throw new AccessRefused(credentials ? CredentialFailureMessages.refused(credentials) : refusal(error));
    }
  }
}
