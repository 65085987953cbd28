import { PassThrough, Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Inject, Injectable } from '@nestjs/common';
import { awsErrorCode, AwsClients, ExportRole, httpStatusOf } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { CONFIG } from '@snapex/service';

export interface PartTarget {
  bucket: string;
  key: string;
  role: ExportRole;
  kmsKeyId: string;
}

/** S3 refused or lost the object; `cause` is the SDK's error. */
export class PartUploadError extends Error {
  constructor(
    target: PartTarget,
    override readonly cause: unknown,
  ) {
    super(
      `upload of s3://${target.bucket}/${target.key} failed: ${awsErrorCode(cause)}: ${(cause as Error)?.message}`,
    );
    this.name = 'PartUploadError';
  }
}

/** One object being streamed to storage: bytes go into `body`, the object exists once completed() resolves. */
export interface PartUpload {
  readonly body: Writable;
  /** Resolves when the object is stored; rejects with PartUploadError. */
  completed(): Promise<void>;
  /** The upload's failure once it has settled, or null; explains why the body stopped taking bytes. */
  settledFailure(): Promise<PartUploadError | null>;
  /** Drops the object: nothing is left in the bucket, no multipart upload stays open. */
  abort(): Promise<void>;
}

export interface PartStorage {
  open(target: PartTarget): PartUpload;
  /** Deletes the object if it exists; false when there was none. */
  removeIfPresent(target: PartTarget): Promise<boolean>;
}

export interface UploadTuning {
  partBytes: number;
  queueSize: number;
}

class S3PartUpload implements PartUpload {
  readonly body = new PassThrough();
  private readonly outcome: Promise<void>;
  private failure: PartUploadError | null = null;

  constructor(
    private readonly client: S3Client,
    private readonly target: PartTarget,
    tuning: UploadTuning,
  ) {
    const upload = new Upload({
      client,
      params: {
        Bucket: target.bucket,
        Key: target.key,
        Body: this.body,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: target.kmsKeyId,
      },
      partSize: tuning.partBytes,
      queueSize: tuning.queueSize,
      // Left to lib-storage, a denied AbortMultipartUpload would replace the error that stopped the upload.
      leavePartsOnError: true,
    });
    // Only the upload reads the body: once it gives up, writers waiting for room must be released.
    this.body.on('error', () => undefined);
    this.outcome = upload.done().then(
      () => undefined,
      async (error: unknown) => {
        this.failure = new PartUploadError(target, error);
        this.body.destroy(this.failure);
        await this.dropParts(upload.uploadId);
        throw this.failure;
      },
    );
    this.outcome.catch(() => undefined);
  }

  completed(): Promise<void> {
    return this.outcome;
  }

  async settledFailure(): Promise<PartUploadError | null> {
    await this.outcome.catch(() => undefined);
    return this.failure;
  }

  /**
   * Fails the body rather than calling Upload.abort(), which settles done() at once while parts are
   * still being sent: done() settles once every part request has, and the parts are dropped by then.
   */
  async abort(): Promise<void> {
    this.body.destroy(new Error('part upload abandoned'));
    await this.outcome.catch(() => undefined);
  }

  /** Best effort: the seed's role policy grants no s3:AbortMultipartUpload, and a bucket lifecycle rule may clean up. */
  private async dropParts(uploadId: string | undefined): Promise<void> {
    if (!uploadId) return;
    const { bucket, key } = this.target;
    await this.client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
  }
}

/** Part objects in the caller's bucket, written through the caller's role and encrypted with their key. */
@Injectable()
export class S3PartStorage implements PartStorage {
  constructor(
    @Inject(AwsClients) private readonly aws: AwsClients,
    @Inject(CONFIG) private readonly config: SnapexConfig,
  ) {}

  async removeIfPresent(target: PartTarget): Promise<boolean> {
    const { s3 } = this.aws.forRole(target.role);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key }));
    } catch (error) {
      if (httpStatusOf(error) === 404) return false;
      throw error;
    }
    await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: target.key }));
    return true;
  }

  open(target: PartTarget): PartUpload {
    const { uploadPartBytes, uploadQueueSize } = this.config.extractor;
    return new S3PartUpload(this.aws.forRole(target.role).s3, target, {
      partBytes: uploadPartBytes,
      queueSize: uploadQueueSize,
    });
  }
}
