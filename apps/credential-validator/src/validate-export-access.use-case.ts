import { Inject, Injectable } from '@nestjs/common';
import { awsErrorCode, isAccessDenied, isTransientAwsError } from '@snapex/aws';
import { RetryableError } from '@snapex/bus';
import { SnapexConfig } from '@snapex/config';
import { exportRootKey, FailureMessages, TaskSpec } from '@snapex/contracts';
import { Logger } from '@snapex/logging';
import { CONFIG, LOGGER } from '@snapex/service';
import { AccessProbeRepository } from './access-probe.repository';

export type AccessVerdict = { ok: true } | { ok: false; failureCause: string };

/** A check refused the export: the message is the seed's text for that condition. */
class AccessRefused extends Error {
  constructor(readonly failureCause: string) {
    super(failureCause);
  }
}

/**
 * Decides, before any data moves, whether the export can write where it is told: the role can be
 * assumed, the bucket exists in this region, the key encrypts and decrypts, and the role may put,
 * get, list and delete objects under the export's prefix (proved with a probe object).
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
        () => this.probe.assumeRole(spec.iamRoleArn),
        () => FailureMessages.cannotAssumeRole(spec.iamRoleArn),
      );
      log.info({ step: 2, bucket: spec.s3Bucket }, 'checking the bucket and its region');
      await this.checkBucket(spec);
      log.info({ step: 3, kmsKeyId: spec.kmsKeyId }, 'checking the KMS key');
      await this.checkKey(spec);
      log.info({ step: 4 }, 'probing object access under the export prefix');
      await this.checkObjectAccess(spec);
      log.info('access validated');
      return { ok: true };
    } catch (error) {
      if (error instanceof AccessRefused) {
        log.warn({ failureCause: error.failureCause }, 'access refused');
        this.probe.forgetRole(spec.iamRoleArn);
        return { ok: false, failureCause: error.failureCause };
      }
      throw error;
    }
  }

  private async checkBucket(spec: TaskSpec): Promise<void> {
    const region = await this.check(
      () => this.probe.bucketRegion(spec.iamRoleArn, spec.s3Bucket),
      (error) =>
        awsErrorCode(error) === 'NoSuchBucket'
          ? FailureMessages.bucketInvalid(spec.s3Bucket)
          : isAccessDenied(error)
            ? FailureMessages.roleNotAuthorized(spec.iamRoleArn, 's3:GetBucketLocation', spec.s3Bucket)
            : FailureMessages.s3CheckFailed(),
    );
    if (region !== this.config.region)
      throw new AccessRefused(FailureMessages.bucketWrongRegion(spec.s3Bucket));
  }

  private async checkKey(spec: TaskSpec): Promise<void> {
    const refuse = () => FailureMessages.kmsCheckFailed();
    const key = await this.check(() => this.probe.describeKey(spec.iamRoleArn, spec.kmsKeyId), refuse);
    const usable =
      key?.Enabled === true &&
      key.KeyState === 'Enabled' &&
      (key.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' &&
      (key.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT';
    if (!usable) throw new AccessRefused(refuse());
    const roundTripped = await this.check(
      () => this.probe.roundTripDataKey(spec.iamRoleArn, spec.kmsKeyId),
      refuse,
    );
    if (!roundTripped) throw new AccessRefused(refuse());
  }

  private async checkObjectAccess(spec: TaskSpec): Promise<void> {
    const { iamRoleArn: role, s3Bucket: bucket, kmsKeyId } = spec;
    const prefix = exportRootKey(spec.s3Prefix, spec.exportTaskIdentifier);
    const key = `${prefix}/.snapex-access-probe-${spec.taskId}`;
    const denied = (action: string) => (error: unknown) =>
      isAccessDenied(error)
        ? FailureMessages.roleNotAuthorized(role, action, bucket)
        : awsErrorCode(error).startsWith('KMS')
          ? FailureMessages.metadataWriteDenied(bucket, role, kmsKeyId, awsErrorCode(error))
          : FailureMessages.s3CheckFailed();
    await this.check(
      () => this.probe.putObject(role, bucket, key, kmsKeyId, spec.taskId),
      denied('s3:PutObject'),
    );
    const body = await this.check(() => this.probe.getObject(role, bucket, key), denied('s3:GetObject'));
    if (body !== spec.taskId) throw new AccessRefused(FailureMessages.s3CheckFailed());
    await this.check(() => this.probe.listOneObject(role, bucket), denied('s3:ListBucket'));
    await this.check(() => this.probe.deleteObject(role, bucket, key), denied('s3:DeleteObject'));
  }

  /** Runs one probe: transient failures are retried later, refusals become the seed's message. */
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
      throw new AccessRefused(refusal(error));
    }
  }
}
