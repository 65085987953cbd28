import { PassThrough, Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Inject, Injectable } from '@nestjs/common';
import { awsErrorCode, AwsClients, ExportRole, httpStatusOf } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { readFooter } from '@snapex/parquet';
import { CONFIG } from '@snapex/service';
import type { StoredFooter } from './partition-record';

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

/** How an upload reports progress, and learns that it must stop at once. */
export interface UploadWatch {
  readonly signal: AbortSignal;
  progressed(): void;
}

export interface PartStorage {
  open(target: PartTarget, watch: UploadWatch): PartUpload;
  /** Deletes the object if it exists; false when there was none. */
  removeIfPresent(target: PartTarget): Promise<boolean>;
  /** The stored object's Parquet footer and size; null when there is no object. */
  footerOf(target: PartTarget): Promise<StoredFooter | null>;
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
    private readonly watch: UploadWatch,
  ) {
    const stopping = new AbortController();
    watch.signal.addEventListener('abort', () => stopping.abort(), { once: true });
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
      // Settles done() at once; the parts still on their way run into the client's idle timeout.
      abortController: stopping,
    });
    upload.on('httpUploadProgress', () => watch.progressed());
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
    // Not after a stall: the endpoint that stopped answering would hold this call too.
    await this.client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), {
        abortSignal: this.watch.signal,
      })
      .catch(() => undefined);
  }
}

/** The whole object's size: after the slash of `bytes 100-199/200`, or all of it when the range was ignored. */
function objectSizeOf(contentRange: string | undefined, contentLength: number | undefined): number {
  const total = contentRange && /\/(\d+)$/.exec(contentRange);
  return total ? Number(total[1]) : (contentLength ?? 0);
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

  /** Ranged GETs of the object's last bytes (`s3:GetObject` is in the seed's `s3:GetObject*`). */
  async footerOf(target: PartTarget): Promise<StoredFooter | null> {
    const { s3 } = this.aws.forRole(target.role);
    let bytes = 0;
    try {
      const footer = await readFooter(async (last) => {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: target.bucket, Key: target.key, Range: `bytes=-${last}` }),
        );
        bytes = objectSizeOf(object.ContentRange, object.ContentLength);
        return object.Body!.transformToByteArray();
      });
      return { key: target.key, bytes, footer };
    } catch (error) {
      if (httpStatusOf(error) === 404) return null;
      throw error;
    }
  }

  open(target: PartTarget, watch: UploadWatch): PartUpload {
    const { uploadPartBytes, uploadQueueSize } = this.config.extractor;
    const tuning = { partBytes: uploadPartBytes, queueSize: uploadQueueSize };
    return new S3PartUpload(this.aws.forRole(target.role).s3, target, tuning, watch);
  }
}
