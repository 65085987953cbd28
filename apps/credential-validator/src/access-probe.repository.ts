import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KeyMetadata,
} from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Inject, Injectable } from '@nestjs/common';
import { AwsClients, ExportRole } from '@snapex/aws';

/** What S3 reports about an object's server-side encryption. */
export interface ObjectEncryption {
  algorithm: string | undefined;
  kmsKeyId: string | undefined;
}

/** S3 reports us-east-1 as an empty location and eu-west-1, for old buckets, as `EU`. */
function regionOfLocation(location: string | undefined): string {
  if (!location) return 'us-east-1';
  return location === 'EU' ? 'eu-west-1' : location;
}

function sameBytes(left: Uint8Array | undefined, right: Uint8Array | undefined): boolean {
  return left !== undefined && right !== undefined && Buffer.from(left).equals(Buffer.from(right));
}

/** Every AWS call the access check makes, each one real: nothing is inferred from reading policies. */
@Injectable()
export class AccessProbeRepository {
  constructor(@Inject(AwsClients) private readonly aws: AwsClients) {}

  /** Assumes the role afresh, even when credentials of an earlier task are still valid. */
  async assumeRole(role: ExportRole): Promise<void> {
    await this.aws.forRole(role).session.renew();
  }

  async bucketRegion(role: ExportRole, bucket: string): Promise<string> {
    const { LocationConstraint } = await this.aws
      .forRole(role)
      .s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    return regionOfLocation(LocationConstraint);
  }

  async describeKey(role: ExportRole, keyId: string): Promise<KeyMetadata | undefined> {
    const { KeyMetadata } = await this.aws.forRole(role).kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    return KeyMetadata;
  }

  /** A data key made under the key decrypts back to itself: what SSE-KMS does for every object. */
  async roundTripDataKey(role: ExportRole, keyId: string): Promise<boolean> {
    const { kms } = this.aws.forRole(role);
    const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, KeyId: keyId }),
    );
    return sameBytes(decrypted.Plaintext, generated.Plaintext);
  }

  /** kms:Encrypt and kms:Decrypt, the two permissions the key policy must grant. */
  async roundTripEncrypt(role: ExportRole, keyId: string, plaintext: string): Promise<boolean> {
    const { kms } = this.aws.forRole(role);
    const bytes = Buffer.from(plaintext);
    const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: bytes }));
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: keyId }),
    );
    return sameBytes(decrypted.Plaintext, bytes);
  }

  async putObject(
    role: ExportRole,
    bucket: string,
    key: string,
    kmsKeyId: string,
    body: string,
  ): Promise<void> {
    await this.aws.forRole(role).s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: kmsKeyId,
      }),
    );
  }

  async encryptionOf(role: ExportRole, bucket: string, key: string): Promise<ObjectEncryption> {
    const head = await this.aws.forRole(role).s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { algorithm: head.ServerSideEncryption, kmsKeyId: head.SSEKMSKeyId };
  }

  async getObject(role: ExportRole, bucket: string, key: string): Promise<string> {
    const { Body } = await this.aws.forRole(role).s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await Body?.transformToString()) ?? '';
  }

  /** s3:ListBucket is granted on the bucket itself, so one key from its root proves it. */
  async listOneObject(role: ExportRole, bucket: string): Promise<void> {
    await this.aws.forRole(role).s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  }

  async deleteObject(role: ExportRole, bucket: string, key: string): Promise<void> {
    await this.aws.forRole(role).s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  forgetRole(role: ExportRole): void {
    this.aws.forget(role);
  }
}
