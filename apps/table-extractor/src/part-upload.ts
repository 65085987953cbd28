import { PassThrough, Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Inject, Injectable } from '@nestjs/common';
import { awsErrorCode, AwsClients, ExportRole, httpStatusOf } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { CONFIG } from '@snapex/service';
import type { StoredPart } from './part-file';

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
  /** Records on a partition's stored files that the partition is finished, and their figures. */
  recordFinished(parts: { target: PartTarget; part: StoredPart }[]): Promise<void>;
  /** The files of a partition an earlier attempt recorded as finished; null when none did. */
  finishedParts(targetOf: (fileIndex: number) => PartTarget): Promise<StoredPart[] | null>;
}

const ROWS_TAG = 'snapex-rows';
const BYTES_TAG = 'snapex-bytes';
/** On the last file only, so a partition cut short by a crash is never taken for finished. */
const FILES_TAG = 'snapex-partition-files';

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

  /** As object tags (`s3:PutObjectTagging` is in the seed's `s3:PutObject*`): no object but the part files. */
  async recordFinished(parts: { target: PartTarget; part: StoredPart }[]): Promise<void> {
    for (const [index, { target, part }] of parts.entries()) {
      const tags: Record<string, number> = { [ROWS_TAG]: part.rows, [BYTES_TAG]: part.bytes };
      if (index === parts.length - 1) tags[FILES_TAG] = parts.length;
      await this.aws.forRole(target.role).s3.send(
        new PutObjectTaggingCommand({
          Bucket: target.bucket,
          Key: target.key,
          Tagging: { TagSet: Object.entries(tags).map(([Key, value]) => ({ Key, Value: String(value) })) },
        }),
      );
    }
  }

  async finishedParts(targetOf: (fileIndex: number) => PartTarget): Promise<StoredPart[] | null> {
    const parts: StoredPart[] = [];
    for (let fileIndex = 0; ; fileIndex++) {
      const target = targetOf(fileIndex);
      const tags = await this.tagsOf(target);
      const rows = tags?.get(ROWS_TAG);
      const bytes = tags?.get(BYTES_TAG);
      if (rows === undefined || bytes === undefined) return null;
      parts.push({ key: target.key, rows: Number(rows), bytes: Number(bytes) });
      if (tags?.get(FILES_TAG) === String(fileIndex + 1)) return parts;
    }
  }

  private async tagsOf(target: PartTarget): Promise<Map<string, string> | null> {
    try {
      const { TagSet } = await this.aws
        .forRole(target.role)
        .s3.send(new GetObjectTaggingCommand({ Bucket: target.bucket, Key: target.key }));
      return new Map((TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
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
