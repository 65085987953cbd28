import { DescribeKeyCommand, DecryptCommand, GenerateDataKeyCommand, KeyMetadata } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { Inject, Injectable } from '@nestjs/common';
import { AwsClients } from '@snapex/aws';
import { SnapexConfig } from '@snapex/config';
import { CONFIG } from '@snapex/service';

/** Every AWS call the access check makes, each one real: nothing is inferred from reading policies. */
@Injectable()
export class AccessProbeRepository {
  constructor(
    @Inject(AwsClients) private readonly aws: AwsClients,
    @Inject(CONFIG) private readonly config: SnapexConfig,
  ) {}

  async assumeRole(roleArn: string): Promise<void> {
    const sts = this.aws.serviceSts();
    try {
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.config.aws.roleSessionName,
          DurationSeconds: this.config.aws.roleSessionSeconds,
        }),
      );
    } finally {
      sts.destroy();
    }
  }

  /** The bucket's region; S3 reports us-east-1 as an empty location. */
  async bucketRegion(roleArn: string, bucket: string): Promise<string> {
    const { LocationConstraint } = await this.aws
      .forRole(roleArn)
      .s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    return LocationConstraint || 'us-east-1';
  }

  async describeKey(roleArn: string, keyId: string): Promise<KeyMetadata | undefined> {
    const { KeyMetadata } = await this.aws
      .forRole(roleArn)
      .kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    return KeyMetadata;
  }

  /** Encrypt and decrypt with the key, as the role: what SSE-KMS will do for every object. */
  async roundTripDataKey(roleArn: string, keyId: string): Promise<boolean> {
    const { kms } = this.aws.forRole(roleArn);
    const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, KeyId: keyId }),
    );
    return Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(generated.Plaintext ?? []));
  }

  async putObject(
    roleArn: string,
    bucket: string,
    key: string,
    kmsKeyId: string,
    body: string,
  ): Promise<void> {
    await this.aws.forRole(roleArn).s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: kmsKeyId,
      }),
    );
  }

  async getObject(roleArn: string, bucket: string, key: string): Promise<string> {
    const { Body } = await this.aws
      .forRole(roleArn)
      .s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await Body?.transformToString()) ?? '';
  }

  /** s3:ListBucket is granted on the bucket itself, so one key from its root proves it. */
  async listOneObject(roleArn: string, bucket: string): Promise<void> {
    await this.aws.forRole(roleArn).s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  }

  async deleteObject(roleArn: string, bucket: string, key: string): Promise<void> {
    await this.aws.forRole(roleArn).s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  forgetRole(roleArn: string): void {
    this.aws.forget(roleArn);
  }
}
