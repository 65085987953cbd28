import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Provider } from '@nestjs/common';
import { SnapexConfig, requireSection } from '@snapex/config';
import { Logger } from '@snapex/logging';
import { Readable } from 'node:stream';
import { AwsClients } from './aws-clients';
import { httpStatusOf } from './aws-errors';

const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

export interface StoredObject {
  bytes: number;
  lastModified: Date;
}

/** snapex's own bucket of snapshot dumps, reached as snapex's own identity. */
export class SnapshotStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly s3: S3Client;

  constructor(config: SnapexConfig, clients: AwsClients) {
    const store = requireSection(config, 'snapshotStore');
    this.bucket = store.bucket;
    this.prefix = store.prefix;
    this.s3 = clients.serviceS3();
  }

  /**
   * `<prefix><account>/<kind>/<name>/`: one folder per snapshot. The colon of automated snapshots
   * (`rds:…`) becomes an underscore, which no manual identifier contains: some S3 implementations sign a
   * key with a colon differently from the SDKs.
   */
  folderOf(accountId: string, kind: string, identifier: string): string {
    return `${this.accountFolderOf(accountId)}${kind}/${identifier.replace(/:/g, '_')}/`;
  }

  /** `<prefix><account>/`: everything of one account, snapshots taken and dumps it registers. */
  accountFolderOf(accountId: string): string {
    return `${this.prefix}${accountId}/`;
  }

  /** Streams a body into one object with a multipart upload; an error in the body aborts the upload. */
  async upload(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body },
      partSize: UPLOAD_PART_BYTES,
      queueSize: 2,
    });
    await upload.done();
  }

  /** Size and time of the object, or of every object under a key prefix ending in `/`; undefined when none. */
  async describe(keyOrPrefix: string): Promise<StoredObject | undefined> {
    if (keyOrPrefix.endsWith('/')) {
      const objects = await this.objectsUnder(keyOrPrefix);
      if (objects.length === 0) return undefined;
      return {
        bytes: objects.reduce((sum, object) => sum + object.bytes, 0),
        lastModified: new Date(Math.max(...objects.map((object) => object.lastModified.getTime()))),
      };
    }
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: keyOrPrefix }));
      return { bytes: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date() };
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Removes objects, and everything under key prefixes (those ending in `/`); objects already gone are no error. */
  async remove(keysOrPrefixes: string[]): Promise<void> {
    const keys = new Set<string>();
    for (const keyOrPrefix of keysOrPrefixes) {
      if (!keyOrPrefix.endsWith('/')) keys.add(keyOrPrefix);
      else for (const { key } of await this.objectsUnder(keyOrPrefix)) keys.add(key);
    }
    // One DeleteObject per key: DeleteObjects needs a checksum that not every S3 implementation checks alike.
    for (const key of keys) await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async objectsUnder(prefix: string): Promise<(StoredObject & { key: string })[]> {
    const found: (StoredObject & { key: string })[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        found.push({
          key: object.Key,
          bytes: object.Size ?? 0,
          lastModified: object.LastModified ?? new Date(),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found;
  }
}

/** The snapshot store, or null where snapshotStore is not configured (snapshots are then refused). */
export const SNAPSHOT_STORE = Symbol('snapex:snapshot-store');

export function snapshotStoreProvider(config: SnapexConfig, logger: Logger): Provider {
  return {
    provide: SNAPSHOT_STORE,
    useValue: config.snapshotStore ? new SnapshotStore(config, new AwsClients(config, logger)) : null,
  };
}
