import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AwsClients, countingS3Errors, requestHandlerOf } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { CONFIG } from '@snapex/service';
import { Readable } from 'node:stream';

/** The bucket snapshots are archived in, read as snapex itself (never as a caller's role). */
export interface SnapshotStore {
  read(bucket: string, key: string, signal?: AbortSignal): Promise<Readable>;
  /** Keys of every object under a prefix. */
  list(bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]>;
}

export const SNAPSHOT_STORE = Symbol('restorer:snapshot-store');

@Injectable()
export class S3SnapshotStore implements SnapshotStore, OnApplicationShutdown {
  private readonly s3: S3Client;

  constructor(@Inject(CONFIG) config: SnapexConfig, @Inject(AwsClients) aws: AwsClients) {
    const endpoint = aws.endpointOf('s3');
    const { serviceCredentials, forcePathStyle } = config.aws;
    this.s3 = countingS3Errors(
      new S3Client({
        region: config.region,
        forcePathStyle,
        requestHandler: requestHandlerOf(config),
        ...(endpoint ? { endpoint } : {}),
        ...(serviceCredentials ? { credentials: serviceCredentials } : {}),
      }),
    );
  }

  async read(bucket: string, key: string, signal?: AbortSignal): Promise<Readable> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: signal,
    });
    if (!(Body instanceof Readable)) throw new Error(`s3://${bucket}/${key} came back without a body`);
    return Body;
  }

  async list(bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        { abortSignal: signal },
      );
      keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  onApplicationShutdown(): void {
    this.s3.destroy();
  }
}
